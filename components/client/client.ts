/**
 * TrueNasClient: a connection to one NAS that survives socket drops. It detects the protocol,
 * queues calls (at most 20 in flight, the NAS limit), times them out, signs in, reconnects with
 * backoff and jitter, re-authenticates and resubscribes, and keeps the socket alive with pings
 * only while it is in use. Runs in browsers and in Node (pass `ws` as `WebSocket`).
 */
import type { HostCapabilities, Protocol } from '../model/api-key.js';
import { AccountsApi } from './accounts.js';
import { ApiKeysApi, SystemApi, UsersApi } from './api.js';
import { continueWithOtp, login as runLogin, secretsOf, validateCredentials, validateOtp } from './auth.js';
import type { AuthContext } from './auth.js';
import { capabilitiesFrom } from './capabilities.js';
import { Connection, isConnectTimeout, type Outgoing } from './connection.js';
import {
  AuthError,
  ClientClosedError,
  ConnectionClosedError,
  InsecureTransportError,
  InvalidInputError,
  OtpRequiredError,
  ProtocolError,
  RateLimitError,
  ResponseTooLargeError,
  TimeoutError,
  TransportError,
  UnreachableError,
  logText,
  redactSecrets,
} from './errors.js';
import { defaultLoginLimiter, type LoginLimiter } from './limiter.js';
import type {
  AuthUserInfo,
  CallOptions,
  ClientEventMap,
  ClientLogger,
  ClientOptions,
  CollectionEvent,
  ConnectionState,
  Credentials,
  LoginOutcome,
  PublicConnectionState,
  ReconnectOptions,
  Subscription,
  WebSocketLike,
} from './types.js';
import { endpointUrl, mayReceiveKey, parseHostAddress, type HostAddress } from './url.js';

/** Reads that are harmless to repeat; everything else counts as a change (never retried). */
const READ_METHODS = new Set([
  'core.ping', 'system.version', 'system.version_short', 'system.info', 'system.product_type', 'auth.me',
  'auth.mechanism_choices', 'api_key.my_keys', 'core.get_jobs',
]);
export function isRetryable(method: string): boolean {
  return READ_METHODS.has(method) || method.endsWith('.query') || method.endsWith('.get_instance');
}

/** Calls whose answer is a new API key: `api_key.create` and `api_key.update` with `reset`. */
function answersWithKey(method: string, params: unknown[]): boolean {
  if (method === 'api_key.create') return true;
  const changes: unknown = method === 'api_key.update' && Array.isArray(params) ? params[1] : undefined;
  return typeof changes === 'object' && changes !== null && (changes as { reset?: unknown }).reset !== undefined && (changes as { reset?: unknown }).reset !== false;
}

const MAX_IN_FLIGHT = 20;

interface QueuedCall extends Outgoing {
  timer: ReturnType<typeof setTimeout> | null;
  onAbort: (() => void) | null;
  signal: AbortSignal | undefined;
  /** Internal (sign-in, resubscribe) calls go first and do not wait for re-authentication. */
  priority: boolean;
  sent: boolean;
  /** Fails the call if it is still waiting for the connection to come back (offlineTimeoutMs). */
  offlineTimer: ReturnType<typeof setTimeout> | null;
}

interface SubEntry {
  name: string;
  listeners: Set<(event: CollectionEvent) => void>;
  serverId: string | null;
  pending: Promise<void> | null;
}

type Listener<K extends keyof ClientEventMap> = (event: ClientEventMap[K]) => void;

const noopLogger: ClientLogger = {};

export class TrueNasClient {
  readonly address: HostAddress;
  readonly apiKeys: ApiKeysApi;
  readonly users: UsersApi;
  readonly system: SystemApi;
  /** Local users, groups and privileges (the scoped-key flow). */
  readonly accounts: AccountsApi;

  readonly #createSocket: (url: string) => WebSocketLike;
  readonly #callTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #offlineTimeoutMs: number;
  readonly #maxInFlight: number;
  readonly #reconnect: Required<ReconnectOptions> | null;
  readonly #keepaliveMs: number;
  readonly #keepaliveIdleMs: number;
  readonly #keepaliveTimeoutMs: number;
  readonly #limiter: LoginLimiter;
  readonly #maxIncomingFrame: number;
  readonly #log: ClientLogger;
  readonly #random: () => number;
  readonly #forced: Protocol | null;

  #protocol: Protocol | null = null;
  #conn: Connection | null = null;
  #state: ConnectionState = 'idle';
  #connection: PublicConnectionState = 'connecting';
  /** A socket was open at some point: an idle client after that is offline, not "about to connect". */
  #everOpened = false;
  /** Signed out (logout, or re-authentication failed): a connected socket without a session. */
  #signedOut = false;
  #recovery: Promise<void> | null = null;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #attempt = 0;
  #closedByUser = false;
  #queue: QueuedCall[] = [];
  #priority: QueuedCall[] = [];
  #subs = new Map<string, SubEntry>();
  #credentials: Credentials | null = null;
  #otpPending: { username: string } | null = null;
  #authenticated = false;
  /** Signed in at some point and not logged out: a reconnect must restore the session. */
  #hadSession = false;
  #secrets = new Set<string>();
  #userInfo: AuthUserInfo | null = null;
  #username: string | null = null;
  #caps: Promise<HostCapabilities> | null = null;
  #keepaliveTimer: ReturnType<typeof setInterval> | null = null;
  #lastCallAt = 0;
  #pinging = false;
  #listeners = new Map<keyof ClientEventMap, Set<(event: never) => void>>();
  /** Removes this session's credentials (and anything shaped like an API key) from a text. */
  readonly #redact = (text: string): string => redactSecrets(text, this.#secrets);

  constructor(options: ClientOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidInputError('Client options are missing.');
    this.address = parseHostAddress(options.url);
    this.#forced = options.protocol && options.protocol !== 'auto' ? options.protocol : this.address.forcedProtocol;
    if (this.#forced !== null && this.#forced !== 'jsonrpc' && this.#forced !== 'legacy') throw new InvalidInputError('protocol must be auto, jsonrpc or legacy.', 'protocol');
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: ClientOptions['WebSocket'] }).WebSocket;
    if (options.createWebSocket) this.#createSocket = options.createWebSocket;
    // `ws` (Node) stops reading a frame at `maxPayload`; browsers ignore the third argument.
    else if (Ctor) this.#createSocket = (url) => new Ctor(url, undefined, { maxPayload: this.#maxIncomingFrame });
    else throw new InvalidInputError('No WebSocket implementation: in Node 20 pass `WebSocket` from the `ws` package.', 'WebSocket');
    this.#callTimeoutMs = positive(options.callTimeoutMs, 30_000);
    this.#connectTimeoutMs = positive(options.connectTimeoutMs, 10_000);
    this.#offlineTimeoutMs = positive(options.offlineTimeoutMs, 10_000);
    this.#maxInFlight = Math.min(MAX_IN_FLIGHT, Math.max(1, Math.floor(options.maxInFlight ?? MAX_IN_FLIGHT)));
    const r = options.reconnect ?? true;
    this.#reconnect =
      r === false
        ? null
        : {
            initialDelayMs: positive(r === true ? undefined : r.initialDelayMs, 500),
            maxDelayMs: positive(r === true ? undefined : r.maxDelayMs, 30_000),
            maxAttempts: positive(r === true ? undefined : r.maxAttempts, 10),
          };
    this.#keepaliveMs = Math.max(0, options.keepaliveIntervalMs ?? 20_000);
    this.#keepaliveIdleMs = positive(options.keepaliveIdleMs, 60_000);
    this.#keepaliveTimeoutMs = positive(options.keepaliveTimeoutMs, 10_000);
    this.#limiter = options.loginLimiter ?? defaultLoginLimiter;
    this.#maxIncomingFrame = positive(options.maxIncomingFrame, 32 * 1024 * 1024);
    this.#log = options.logger ?? noopLogger;
    this.#random = options.random ?? Math.random;
    this.apiKeys = new ApiKeysApi(this, this.#log);
    this.users = new UsersApi(this);
    this.system = new SystemApi(this);
    this.accounts = new AccountsApi(this);
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** The connection state as people see it: connecting, signed in, reconnecting or offline. */
  get connection(): PublicConnectionState {
    return this.#connection;
  }

  /** The protocol in use (or last used); null before the first connection. */
  get protocol(): Protocol | null {
    return this.#protocol;
  }

  get authenticated(): boolean {
    return this.#authenticated;
  }

  /** `https://host[:port]/api/docs`: the NAS's API documentation. */
  get apiDocsUrl(): string {
    return `${this.address.baseUrl}/api/docs`;
  }

  /** Username of the signed-in session, when the NAS said (login_ex user_info, auth.me) or the caller gave one. */
  get username(): string | null {
    return this.#username;
  }

  /** Calls in flight on the current socket whose callers still wait, and calls queued behind them. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.#conn?.liveInFlight ?? 0, queued: this.#queue.length + this.#priority.length };
  }

  on<K extends keyof ClientEventMap>(type: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  #emit<K extends keyof ClientEventMap>(type: K, event: ClientEventMap[K]): void {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        (listener as Listener<K>)(event);
      } catch (error) {
        this.#log.warn?.(`${type} listener threw: ${logText(error, this.#redact)}`);
      }
    }
  }

  #setState(state: ConnectionState): void {
    if (this.#state !== state) {
      this.#state = state;
      this.#emit('state', { state });
    }
    const connection = this.#publicState();
    if (connection !== this.#connection) {
      this.#connection = connection;
      this.#emit('connection', { state: connection });
    }
  }

  #publicState(): PublicConnectionState {
    switch (this.#state) {
      case 'authenticated':
        return 'signed-in';
      case 'reconnecting':
        return 'reconnecting';
      case 'closed':
        return 'offline';
      case 'connecting':
        return this.#hadSession ? 'reconnecting' : 'connecting';
      case 'connected':
        if (this.#signedOut) return 'offline';
        return this.#hadSession ? 'reconnecting' : 'connecting';
      case 'idle':
        return this.#everOpened ? 'offline' : 'connecting';
    }
  }

  /** Opens the connection (detecting the protocol) if it is not open. */
  async connect(): Promise<void> {
    if (this.#closedByUser) throw new ClientClosedError();
    if (this.#conn?.isOpen) return;
    await this.#recover(false);
  }

  /**
   * Signs in. Resolves with SUCCESS, or OTP_REQUIRED (then call `continueLogin(code)`); throws an
   * AuthError subclass for AUTH_ERR, EXPIRED, DENIED and REDIRECT, InsecureTransportError when the
   * credential would travel unencrypted, RateLimitError when too many attempts were made.
   */
  async login(credentials: Credentials): Promise<LoginOutcome> {
    if (this.#closedByUser) throw new ClientClosedError();
    const checked = validateCredentials(credentials);
    // New credentials replace the old ones, which a reconnect must not replay meanwhile; they
    // come back if this attempt fails before the NAS judged it (the old session still stands).
    const previous = { credentials: this.#credentials, hadSession: this.#hadSession };
    const restore = () => {
      if (this.#credentials === null && this.#authenticated) {
        this.#credentials = previous.credentials;
        this.#hadSession = previous.hadSession;
      }
    };
    this.#credentials = null;
    this.#hadSession = false;
    this.#signedOut = false;
    await this.connect().catch((error: unknown) => {
      // A recovery that failed only at signing in with the old credentials leaves a usable socket.
      if (!this.#conn?.isOpen) throw error;
    });
    const wait = this.#limiter.tryAcquire(this.address.host);
    if (wait > 0) {
      restore();
      throw new RateLimitError('client', wait, this.address.host);
    }
    const secrets = secretsOf(checked);
    for (const s of secrets) this.#secrets.add(s);
    this.#otpPending = null;
    let outcome: LoginOutcome;
    try {
      outcome = await this.#runAuth(checked);
    } catch (error) {
      // Keep no copy of a credential that did not sign in.
      if (this.#credentials !== checked) for (const s of secrets) this.#secrets.delete(s);
      if (!(error instanceof AuthError)) restore();
      throw error;
    }
    if (outcome.type === 'OTP_REQUIRED') {
      // A second factor cannot be replayed after a reconnect: keep the password only until this step ends.
      this.#credentials = null;
      this.#otpPending = { username: outcome.username };
    } else {
      await this.#resubscribeAll();
    }
    return outcome;
  }

  /** Sends the one-time code after OTP_REQUIRED. May answer OTP_REQUIRED again (the NAS allows 3 tries). */
  async continueLogin(otp: string): Promise<LoginOutcome> {
    if (this.#closedByUser) throw new ClientClosedError();
    const code = validateOtp(otp);
    if (!this.#otpPending || !this.#conn?.isOpen) throw new InvalidInputError('No sign-in is waiting for a one-time code; sign in again.', 'otp');
    const username = this.#otpPending.username;
    const outcome = await continueWithOtp(this.#authContext(), code, username).catch((error: unknown) => {
      this.#otpPending = null;
      throw error;
    });
    if (outcome.type === 'SUCCESS') {
      this.#otpPending = null;
      this.#onAuthenticated(outcome, null);
      await this.#resubscribeAll();
    }
    return outcome;
  }

  /** Signs out and forgets the credentials (the socket stays open). */
  async logout(): Promise<void> {
    this.#forgetCredentials();
    this.#hadSession = false;
    this.#authenticated = false;
    if (this.#conn) this.#conn.authenticated = false;
    this.#caps = null;
    const serverIds = [...this.#subs.values()].map((entry) => entry.serverId).filter((id): id is string => id !== null);
    for (const entry of this.#subs.values()) entry.serverId = null;
    this.#signedOut = true;
    if (this.#conn?.isOpen) {
      // Listeners stay registered and resubscribe at the next sign-in; end the server side now
      // (25.04+ logout drops subscriptions itself, older versions keep them).
      await Promise.all(serverIds.map((id) => this.#enqueue('unsub', id, [], {}, true).catch(() => undefined)));
      await this.#internalCall('auth.logout', []).catch(() => undefined);
      this.#setState('connected');
    } else {
      this.#setState(this.#state);
    }
  }

  /** Closes for good: pending and queued calls reject, secrets are dropped, no reconnect. */
  async close(): Promise<void> {
    if (this.#closedByUser) return;
    this.#closedByUser = true;
    this.#forgetCredentials();
    this.#stopKeepalive();
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    this.#subs.clear();
    const conn = this.#conn;
    this.#conn = null;
    conn?.close(1000, 'client closed');
    this.#failQueued(new ClientClosedError());
    this.#setState('closed');
  }

  /** Calls a NAS method. Params are positional, exactly as the NAS documents them. */
  call<T = unknown>(method: string, params: unknown[] = [], options: CallOptions = {}): Promise<T> {
    // However the call is made, a new key never comes back over a connection that carries it in clear.
    if (!mayReceiveKey(this.address) && answersWithKey(method, params)) return Promise.reject(new InsecureTransportError('receive-key', this.address.host));
    return this.#enqueue('call', method, params, options, false) as Promise<T>;
  }

  /**
   * Subscribes to a NAS event (e.g. `api_key.query`). Listeners of one name share one server
   * subscription; it is renewed after every reconnect.
   */
  async subscribe(name: string, listener: (event: CollectionEvent) => void): Promise<Subscription> {
    if (this.#closedByUser) throw new ClientClosedError();
    if (typeof name !== 'string' || name === '' || typeof listener !== 'function') throw new InvalidInputError('subscribe needs an event name and a listener.');
    let entry = this.#subs.get(name);
    if (!entry) {
      entry = { name, listeners: new Set(), serverId: null, pending: null };
      this.#subs.set(name, entry);
    }
    entry.listeners.add(listener);
    try {
      await this.#ensureServerSub(entry, false);
    } catch (error) {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0 && this.#subs.get(name) === entry) this.#subs.delete(name);
      throw error;
    }
    this.#updateKeepalive();
    let active = true;
    return {
      name,
      unsubscribe: async () => {
        if (!active) return;
        active = false;
        entry.listeners.delete(listener);
        if (entry.listeners.size > 0 || this.#subs.get(name) !== entry) return;
        this.#subs.delete(name);
        const serverId = entry.serverId;
        entry.serverId = null;
        if (serverId && this.#conn?.isOpen) await this.#enqueue('unsub', serverId, [], {}, true).catch(() => undefined);
        this.#updateKeepalive();
      },
    };
  }

  /** What the NAS can do, from `system.version` (cached per connection). Needs a signed-in session. */
  capabilities(): Promise<HostCapabilities> {
    if (!this.#caps) {
      const caps = this.call('system.version').then((version) => capabilitiesFrom(version, this.#protocol ?? 'jsonrpc'));
      caps.catch(() => {
        if (this.#caps === caps) this.#caps = null;
      });
      this.#caps = caps;
    }
    return this.#caps;
  }

  /** `auth.me` (22.12+; user sessions only before 25.04). */
  async me(): Promise<AuthUserInfo> {
    const info = await this.call<unknown>('auth.me');
    if (typeof info !== 'object' || info === null || typeof (info as AuthUserInfo).pw_name !== 'string') {
      throw new ProtocolError('The NAS did not say which user is signed in.');
    }
    this.#userInfo = info as AuthUserInfo;
    this.#username = this.#userInfo.pw_name;
    return this.#userInfo;
  }

  /** The `user_info` of the last successful sign-in, if the NAS sent one. */
  get userInfo(): AuthUserInfo | null {
    return this.#userInfo;
  }

  // ---- queue -------------------------------------------------------------------------------

  #enqueue(kind: Outgoing['kind'], method: string, params: unknown[], options: CallOptions, priority: boolean): Promise<unknown> {
    if (this.#closedByUser) return Promise.reject(new ClientClosedError());
    if (typeof method !== 'string' || method === '') return Promise.reject(new InvalidInputError('The method name is missing.'));
    if (!Array.isArray(params)) return Promise.reject(new InvalidInputError(`The params of ${method} must be an array (positional arguments).`));
    const signal = options.signal;
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an aborted call rejects with the signal's own reason, as fetch does
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<unknown>((resolve, reject) => {
      const call: QueuedCall = {
        kind,
        method,
        params,
        retryable: kind === 'call' ? isRetryable(method) : true,
        resolve: (value) => {
          this.#finish(call);
          resolve(value);
        },
        reject: (error) => {
          this.#finish(call);
          reject(error);
        },
        abandoned: false,
        timer: null,
        onAbort: null,
        signal,
        priority,
        sent: false,
        offlineTimer: null,
      };
      const timeoutMs = positive(options.timeoutMs, this.#callTimeoutMs);
      call.timer = setTimeout(() => this.#abandon(call, new TimeoutError(method, timeoutMs, call.retryable)), timeoutMs);
      if (signal) {
        call.onAbort = () => this.#abandon(call, signal.reason instanceof Error ? signal.reason : new Error('Aborted'));
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      (priority ? this.#priority : this.#queue).push(call);
      if (!priority) {
        this.#lastCallAt = Date.now();
        if (!this.#ready()) this.#armOffline(call);
      }
      if (!this.#conn?.isOpen && !this.#recovery) {
        if (!this.#reconnectTimer) this.#recover(false).catch(() => undefined);
        else if (!priority) {
          // Someone waits now: try at once instead of after the backoff, so a NAS that is still
          // down fails this call in moments (the attempt counts towards maxAttempts).
          clearTimeout(this.#reconnectTimer);
          this.#reconnectTimer = null;
          this.#recover(true).catch(() => undefined);
        }
      }
      this.#pump();
    });
  }

  /** A user call waiting for the connection fails after offlineTimeoutMs if it is still not sent. */
  #armOffline(call: QueuedCall): void {
    if (call.offlineTimer || call.sent || call.abandoned) return;
    call.offlineTimer = setTimeout(() => {
      call.offlineTimer = null;
      if (!call.sent) this.#abandon(call, this.#unreachable('not-back'));
    }, this.#offlineTimeoutMs);
  }

  #unreachable(why: 'unreachable' | 'not-back', cause?: Error): UnreachableError {
    const hint = cause instanceof TransportError ? cause.hint : null;
    return new UnreachableError(this.address.host, endpointUrl(this.address, this.#protocol ?? this.#forced ?? 'jsonrpc'), why, hint);
  }

  /** Fails the user calls that wait for a connection (never sent, so the NAS never saw them). */
  #failWaiting(error: Error): void {
    const waiting = this.#queue;
    this.#queue = [];
    for (const call of waiting) {
      call.abandoned = true;
      call.reject(error);
    }
  }

  #finish(call: QueuedCall): void {
    if (call.timer) clearTimeout(call.timer);
    call.timer = null;
    if (call.offlineTimer) clearTimeout(call.offlineTimer);
    call.offlineTimer = null;
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
    call.onAbort = null;
  }

  /** The caller gives up (timeout/abort). A sent call keeps its slot until the NAS answers. */
  #abandon(call: QueuedCall, error: Error): void {
    if (call.abandoned) return;
    if (!call.sent) {
      const list = call.priority ? this.#priority : this.#queue;
      const i = list.indexOf(call);
      if (i >= 0) list.splice(i, 1);
    }
    const reject = call.reject;
    call.abandoned = true;
    reject(error);
    // Every slot held by a call nobody waits for: the NAS is stuck; start afresh.
    const conn = this.#conn;
    if (conn?.isOpen && conn.inFlight >= this.#maxInFlight && conn.liveInFlight === 0) {
      this.#log.warn?.('all call slots are held by unanswered calls; reconnecting');
      conn.close(4000, 'stalled');
    }
  }

  #ready(): boolean {
    // After a reconnect, user calls wait until the session is signed in again.
    return this.#conn !== null && this.#conn.isOpen && this.#recovery === null;
  }

  #pump(): void {
    const conn = this.#conn;
    if (!conn?.isOpen) return;
    while (conn.inFlight < this.#maxInFlight) {
      const next = this.#priority.shift() ?? (this.#ready() ? this.#queue.shift() : undefined);
      if (!next) break;
      next.sent = true;
      if (next.offlineTimer) clearTimeout(next.offlineTimer);
      next.offlineTimer = null;
      conn.send(next);
    }
  }

  #failQueued(error: Error): void {
    const calls = [...this.#priority, ...this.#queue];
    this.#priority = [];
    this.#queue = [];
    for (const call of calls) {
      call.abandoned = true;
      call.reject(error);
    }
  }

  #internalCall(method: string, params: unknown[], timeoutMs?: number): Promise<unknown> {
    return this.#enqueue('call', method, params, timeoutMs ? { timeoutMs } : {}, true);
  }

  #authContext(): AuthContext {
    return { call: (method, params) => this.#internalCall(method, params), address: this.address };
  }

  // ---- connection lifecycle ----------------------------------------------------------------

  /** Opens a socket (and signs in again / resubscribes if the session had credentials). Single-flight. */
  #recover(isReconnect: boolean): Promise<void> {
    if (this.#recovery) return this.#recovery;
    const run = (async () => {
      this.#setState(isReconnect ? 'reconnecting' : 'connecting');
      const conn = await this.#open();
      this.#conn = conn;
      this.#everOpened = true;
      this.#setState('connected');
      this.#pump();
      if (this.#credentials) await this.#reauthenticate(this.#credentials);
      else if (this.#hadSession) throw new OtpRequiredError(this.#username ?? '');
      await this.#resubscribeAll();
      if (!conn.isOpen) throw new ConnectionClosedError(conn.url, 1006, 'closed during recovery', true);
    })();
    this.#recovery = run;
    run.then(
      () => {
        if (this.#recovery === run) this.#recovery = null;
        this.#pump();
        if (isReconnect) this.#emit('reconnected', { attempts: this.#attempt });
        this.#attempt = 0;
        this.#updateKeepalive();
      },
      (error: unknown) => {
        if (this.#recovery === run) this.#recovery = null;
        // Decide the fate of queued calls before any of them can go out on an unusable session.
        this.#recoveryFailed(error as Error, isReconnect);
        this.#pump();
      },
    );
    return run;
  }

  async #open(): Promise<Connection> {
    const protocols: Protocol[] = this.#forced ? [this.#forced] : this.#protocol ? [this.#protocol] : ['jsonrpc', 'legacy'];
    let lastError: Error | null = null;
    for (const protocol of protocols) {
      if (this.#closedByUser) throw new ClientClosedError();
      const url = endpointUrl(this.address, protocol);
      const conn: Connection = new Connection({
        protocol,
        url,
        logger: this.#log,
        maxIncomingFrame: this.#maxIncomingFrame,
        redact: this.#redact,
        hooks: {
          onEvent: (event) => this.#dispatchEvent(event),
          onSubscriptionEnded: (collection) => {
            const entry = this.#subs.get(collection);
            if (entry) entry.serverId = null;
            this.#log.warn?.(`the NAS ended the subscription to ${collection}`);
          },
          onClose: (code, reason) => this.#onConnectionClosed(conn, code, reason),
          onSlotFree: () => this.#pump(),
        },
      });
      try {
        await conn.open(this.#createSocket, this.#connectTimeoutMs);
        if (this.#closedByUser) {
          conn.close(1000, 'client closed');
          throw new ClientClosedError();
        }
        this.#protocol = protocol;
        this.#log.debug?.(`connected to ${url}`);
        return conn;
      } catch (error) {
        if (error instanceof ProtocolError || error instanceof ClientClosedError || error instanceof ResponseTooLargeError) throw error;
        lastError = error as Error;
        this.#log.debug?.(`could not open ${url}`);
        // Nothing answered at all: the other endpoint would only wait as long again.
        if (isConnectTimeout(error)) break;
      }
    }
    const hint = this.address.tls
      ? `If the NAS uses a self-signed certificate (the default), open ${this.address.baseUrl} once in this browser and accept the certificate, then try again.`
      : null;
    throw new TransportError(
      `Could not connect to the NAS at ${this.address.host}${lastError ? `: ${lastError.message.replace(/\.$/, '')}` : ''}.`,
      endpointUrl(this.address, protocols[0]!),
      hint,
    );
  }

  async #reauthenticate(credentials: Credentials): Promise<void> {
    // Respect the login limiter: wait for a slot instead of hammering the NAS.
    for (;;) {
      const wait = this.#limiter.tryAcquire(this.address.host);
      if (wait === 0) break;
      this.#log.debug?.(`login limiter: waiting ${wait} ms before signing in again`);
      await sleep(wait + Math.floor(this.#random() * 250));
      if (this.#closedByUser) throw new ClientClosedError();
    }
    const outcome = await this.#runAuth(credentials);
    if (outcome.type === 'OTP_REQUIRED') {
      this.#credentials = null;
      throw new OtpRequiredError(outcome.username);
    }
  }

  async #runAuth(credentials: Credentials): Promise<LoginOutcome> {
    let outcome: LoginOutcome;
    try {
      outcome = await runLogin(this.#authContext(), credentials);
    } catch (error) {
      if (error instanceof AuthError) {
        this.#forgetCredentials();
        this.#authenticated = false;
        if (this.#conn) this.#conn.authenticated = false;
      }
      throw error;
    }
    if (outcome.type === 'SUCCESS') this.#onAuthenticated(outcome, credentials);
    return outcome;
  }

  #onAuthenticated(outcome: Extract<LoginOutcome, { type: 'SUCCESS' }>, credentials: Credentials | null): void {
    this.#authenticated = true;
    this.#hadSession = true;
    this.#signedOut = false;
    if (this.#conn) this.#conn.authenticated = true;
    // A one-time code cannot be replayed: such a session is not restored after a reconnect.
    this.#credentials = credentials && !(credentials.type === 'password' && credentials.otp) ? credentials : null;
    if (outcome.userInfo) this.#userInfo = outcome.userInfo;
    this.#username = outcome.username ?? (credentials?.type === 'password' ? credentials.username : this.#username);
    this.#setState('authenticated');
    this.#updateKeepalive();
    this.#pump();
  }

  async #resubscribeAll(): Promise<void> {
    for (const entry of this.#subs.values()) {
      // A subscribe request still queued will go out on this connection by itself.
      if (entry.pending || entry.serverId) continue;
      try {
        await this.#ensureServerSub(entry, true);
      } catch (error) {
        this.#log.warn?.(`could not resubscribe to ${entry.name}: ${logText(error, this.#redact)}`);
      }
    }
  }

  #ensureServerSub(entry: SubEntry, priority: boolean): Promise<void> {
    if (entry.serverId) return Promise.resolve();
    if (!entry.pending) {
      entry.pending = this.#enqueue('sub', entry.name, [], {}, priority).then(
        (id) => {
          entry.pending = null;
          if (typeof id !== 'string' && typeof id !== 'number') throw new ProtocolError('The NAS did not confirm a subscription to live changes.');
          // Replies come from the open socket; a later close clears the id again.
          entry.serverId = String(id);
        },
        (error: unknown) => {
          entry.pending = null;
          throw error;
        },
      );
    }
    return entry.pending;
  }

  #dispatchEvent(event: CollectionEvent): void {
    const entry = this.#subs.get(event.collection);
    if (!entry) return;
    for (const listener of entry.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#log.warn?.(`event listener threw: ${logText(error, this.#redact)}`);
      }
    }
  }

  #onConnectionClosed(conn: Connection, code: number, reason: string): void {
    if (this.#conn !== conn) return;
    this.#conn = null;
    this.#authenticated = false;
    this.#caps = null;
    this.#stopKeepalive();
    for (const entry of this.#subs.values()) entry.serverId = null;
    if (this.#closedByUser) return;
    for (const call of this.#queue) this.#armOffline(call);
    this.#log.debug?.(`connection closed (${code}${reason ? `: ${reason}` : ''})`);
    // A recovery in progress fails on its own and decides what comes next.
    if (this.#recovery && code !== 1008) return;
    if (code === 1008 || !this.#reconnect) {
      this.#giveUp(new ConnectionClosedError(conn.url, code, reason, true, code === 1008 ? 'The NAS only accepts connections from addresses on its allowlist.' : null), true);
      return;
    }
    if (!this.#hasWork() && this.#credentials === null) {
      // Nothing waits and no session to restore: reconnect lazily on the next call.
      this.#attempt = 0;
      this.#setState('idle');
      return;
    }
    if (this.#attempt >= this.#reconnect.maxAttempts) {
      this.#giveUp(new ConnectionClosedError(conn.url, code, reason, true), true);
      return;
    }
    this.#scheduleReconnect();
  }

  /** Subscriptions or calls are waiting for a connection. */
  #hasWork(): boolean {
    return this.#subs.size > 0 || this.#queue.length > 0 || this.#priority.length > 0;
  }

  /** No more reconnects: queued calls fail with `error` and the client is closed until the next call. */
  #giveUp(error: Error, notify: boolean): void {
    this.#attempt = 0;
    this.#failQueued(error);
    this.#setState('closed');
    if (notify) this.#emit('disconnected', { error });
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer) return;
    const r = this.#reconnect!;
    this.#attempt++;
    const cap = Math.min(r.maxDelayMs, r.initialDelayMs * 2 ** Math.min(this.#attempt - 1, 30));
    // Full jitter, with a floor so a tight loop is impossible.
    const delay = Math.max(50, Math.floor(cap * (0.5 + this.#random() * 0.5)));
    this.#setState('reconnecting');
    this.#log.debug?.(`reconnect attempt ${this.#attempt} in ${delay} ms`);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#closedByUser) return;
      this.#recover(true).catch(() => undefined);
    }, delay);
  }

  #recoveryFailed(error: Error, isReconnect: boolean): void {
    if (this.#closedByUser) return;
    // The NAS refused this address (1008): already reported by the close handler; never retry.
    if (error instanceof ConnectionClosedError && error.closeCode === 1008) return;
    const authProblem = error instanceof AuthError || error instanceof InvalidInputError || error.name === 'InsecureTransportError';
    if (this.#conn?.isOpen && authProblem) {
      // Connected but no longer signed in: callers must sign in again.
      this.#failQueued(error);
      this.#signedOut = true;
      this.#setState('connected');
      this.#emit('reauthFailed', { error });
      return;
    }
    if (this.#conn?.isOpen) {
      if (!this.#authenticated && (this.#credentials !== null || this.#hadSession)) {
        // The sign-in did not complete (e.g. a timeout): start over on a fresh socket.
        this.#conn.close(4000, 'sign-in did not complete');
        return;
      }
      // Signed in again but a later step failed (e.g. resubscribing timed out): keep the socket.
      this.#setState(this.#authenticated ? 'authenticated' : 'connected');
      return;
    }
    // The NAS cannot be reached: whoever waits hears so now, not at their call timeout.
    if (error instanceof TransportError || error instanceof TimeoutError) this.#failWaiting(this.#unreachable('unreachable', error));
    const canRetry =
      this.#reconnect && (isReconnect || this.#credentials !== null) && this.#attempt < this.#reconnect.maxAttempts && !(error instanceof ProtocolError) && !(error instanceof ResponseTooLargeError);
    if (canRetry && (this.#hasWork() || this.#credentials !== null)) {
      this.#scheduleReconnect();
      return;
    }
    this.#giveUp(error, isReconnect);
  }

  #forgetCredentials(): void {
    this.#credentials = null;
    this.#otpPending = null;
    this.#secrets.clear();
  }

  // ---- keepalive ---------------------------------------------------------------------------

  #updateKeepalive(): void {
    if (this.#keepaliveMs <= 0 || this.#closedByUser) return;
    if (!this.#keepaliveTimer && this.#authenticated) {
      this.#keepaliveTimer = setInterval(() => void this.#keepaliveTick(), this.#keepaliveMs);
      // Never keep a Node process alive just for pings.
      (this.#keepaliveTimer as { unref?: () => void }).unref?.();
    }
  }

  #stopKeepalive(): void {
    if (this.#keepaliveTimer) clearInterval(this.#keepaliveTimer);
    this.#keepaliveTimer = null;
  }

  async #keepaliveTick(): Promise<void> {
    const conn = this.#conn;
    if (!conn?.isOpen || !this.#authenticated || this.#pinging || this.#recovery) return;
    const now = Date.now();
    const inUse = this.#subs.size > 0 || conn.inFlight > 0 || this.#queue.length > 0 || now - this.#lastCallAt < this.#keepaliveIdleMs;
    if (!inUse) return;
    if (now - conn.lastReceivedAt < this.#keepaliveMs) return;
    this.#pinging = true;
    this.#log.debug?.('keepalive ping');
    try {
      let alive: boolean;
      // 25.04+ dropped the legacy pong; older NASes may refuse core.ping to non-admins.
      const legacyPong = conn.protocol === 'legacy' && !(await this.capabilities().then((c) => c.userLinkedKeys).catch(() => false));
      if (legacyPong) alive = await conn.legacyPing(this.#keepaliveTimeoutMs);
      else alive = await this.#internalCall('core.ping', [], this.#keepaliveTimeoutMs).then(() => true, (e: unknown) => !(e instanceof TimeoutError));
      if (!alive && this.#conn === conn) {
        this.#log.warn?.('keepalive ping unanswered; reconnecting');
        conn.close(4000, 'keepalive timeout');
      }
    } finally {
      this.#pinging = false;
    }
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
