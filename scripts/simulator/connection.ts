/**
 * One websocket connection: frame checks, the legacy (`/websocket`) and JSON-RPC 2.0
 * (`/api/...`) envelopes, pre-dispatch authentication/authorization/rate limiting, the
 * 10-running / 20-in-flight limit, and replies in either protocol (truenas-api.md §1).
 */
import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import type { CallContext, ConnectionOptions, Credentials, MethodDef, PendingLogin, SessionState } from './context.js';
import {
  CallError,
  ERRNO,
  PlainError,
  SimError,
  TooManyCalls,
  jsonRpcError,
  legacyError,
} from './errors.js';
import { sessionRoles } from './methods/auth.js';
import { canSubscribe } from './methods/core.js';
import { allowlistPermits, expandRoles } from './roles.js';
import { endSession } from './sessions.js';
import type { Simulator } from './simulator.js';
import { DateValue, EjsonDateError, PyJsonError, decodeEjson, parsePythonJson, pyLength, pyTypeName, toWire } from './wire.js';

const UNAUTHENTICATED_LIMIT = 8192;
const AUTHENTICATED_LIMIT = 65536;
const EXTENDED_LIMIT = 2_097_152;
const EXTENDED_METHODS = new Set(['filesystem.file_receive', 'failover.datastore.sql']);
const SOFT_LIMIT = 10;
const HARD_LIMIT = 20;

type Message = Record<string, unknown>;

/** WebSocket close reasons are at most 123 bytes. */
function closeReason(text: string): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= 123) return text;
  return buf.subarray(0, 120).toString('utf8').replace(/\uFFFD+$/, '');
}

/** Python's KeyError text for a missing key. */
const keyError = (key: string) => `'${key}'`;

export class Connection implements SessionState {
  readonly id = randomUUID();
  cred: Credentials | null = null;
  pending: PendingLogin | null = null;
  options: ConnectionOptions = { legacy_jobs: true, private_methods: false, py_exceptions: false };
  lastActivity = Date.now();
  readonly subscriptions = new Map<string, string>();
  closed = false;
  sessionStart: number | null = null;
  /** Legacy protocol: `connect` received. */
  private handshake = false;
  private inFlight = 0;
  private running = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly sim: Simulator,
    readonly ws: WebSocket,
    readonly protocol: 'legacy' | 'jsonrpc',
    readonly apiN: number,
    readonly remoteAddress: string,
    readonly secure: boolean,
    readonly remotePort = 0,
  ) {
    ws.on('message', (data, isBinary) => {
      try {
        this.onFrame(data as Buffer, isBinary);
      } catch (e) {
        this.crashed(e);
      }
    });
    ws.on('close', () => this.onClose());
    ws.on('error', () => this.onClose());
  }

  /** Calls received and not yet answered (running or waiting). */
  get calls(): number {
    return this.inFlight;
  }

  /** Calls executing now (at most 10). */
  get runningCalls(): number {
    return this.running;
  }

  /** An exception escaped a handler: like the middleware, close with 1011 and its text. */
  private crashed(e: unknown): void {
    this.sim.internalErrors++;
    this.close(1011, e instanceof Error ? e.message : String(e));
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.clear();
    // The session ends with its socket (SessionManager._app_on_close -> logout).
    endSession(this.sim, this, true);
    this.sim.forget(this);
  }

  /** `auth.terminate_session`: aiohttp's `ws.close()` (code 1000, no reason). */
  terminate(): void {
    this.close(1000, '');
  }

  send(message: unknown): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(toWire(message));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, closeReason(reason));
    this.onClose();
  }

  // ---- frames ------------------------------------------------------------------------------------

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    this.lastActivity = Date.now();
    if (isBinary) {
      this.close(1003, 'Invalid websocket message type: <WSMsgType.BINARY: 2>');
      return;
    }
    const text = data.toString('utf8');
    const n = this.sim.profile.n;
    const length = pyLength(text);
    if (!this.cred && length > UNAUTHENTICATED_LIMIT) {
      this.close(1007, 'Anonymous connection max message length is 8 kB');
      return;
    }
    if (length > EXTENDED_LIMIT) {
      this.close(1009, 'Max message length is 64 kB');
      return;
    }
    let message: unknown;
    try {
      // The sub-second doubling is in every release's decoder, 26.0.0-BETA.3 included
      // (AC@release/26.0.0-BETA.3:ejson.py:84-86).
      message = decodeEjson(parsePythonJson(text), true);
    } catch (e) {
      if (e instanceof PyJsonError || e instanceof EjsonDateError) {
        if (this.protocol === 'jsonrpc') this.send({ jsonrpc: '2.0', error: { code: -32700, message: e.message }, id: null });
        else this.close(1007, e.message);
      } else {
        // RecursionError / TypeError are not ValueErrors: they end the connection.
        this.close(1011, (e as Error).message);
      }
      return;
    }
    const isObject = message !== null && typeof message === 'object' && !Array.isArray(message);
    if (!isObject && (this.protocol === 'jsonrpc' || n >= 2410)) {
      const reason = Array.isArray(message) ? 'Batch messages are not supported at this time' : 'Invalid Message Format';
      if (this.protocol === 'jsonrpc') this.send({ jsonrpc: '2.0', error: { code: -32700, message: reason }, id: null });
      else this.close(1007, reason);
      return;
    }
    if (!isObject) {
      // guess (22.02): the handler indexes the message with ['msg']: a TypeError ends the connection.
      this.close(1011, subscriptError(message));
      return;
    }
    const msg = message as Message;
    if (n >= 2410 && length > AUTHENTICATED_LIMIT && !EXTENDED_METHODS.has(String(msg.method))) {
      this.close(1009, 'Max message length is 64 kB');
      return;
    }
    if (this.protocol === 'jsonrpc') this.onJsonRpc(msg);
    else this.onLegacy(msg);
  }

  // ---- JSON-RPC 2.0 -----------------------------------------------------------------------------

  private onJsonRpc(message: Message): void {
    const hasId = 'id' in message;
    const problem = envelopeProblem(message);
    if (problem) {
      // Envelope errors, like every reply, go only to requests that carry an id.
      if (hasId) this.send({ jsonrpc: '2.0', error: { code: -32600, message: problem }, id: message.id });
      return;
    }
    const def = this.sim.methods.get(message.method as string);
    if (!def) {
      if (hasId) this.send({ jsonrpc: '2.0', error: { code: -32601, message: 'Method does not exist' }, id: message.id });
      return;
    }
    this.rpcCall(def, (message.params as unknown[] | undefined) ?? [], hasId, message.id).catch((e: unknown) => this.crashed(e));
  }

  private async rpcCall(def: MethodDef, params: unknown[], hasId: boolean, id: unknown): Promise<void> {
    let result: unknown;
    try {
      await this.acquire();
      try {
        const refused = await this.authorizeCall(def);
        if (refused) throw refused;
        if (def.apiSince && this.apiN < def.apiSince) {
          // A method newer than the pinned API version.
          const dot = def.name.lastIndexOf('.');
          throw new CallError(`Method '${def.name.slice(dot + 1)}' not found in '${def.name.slice(0, dot)}'`, ERRNO.ENOMETHOD);
        }
        result = await this.invoke(def, params);
      } finally {
        this.release();
      }
    } catch (e) {
      if (hasId) this.send({ jsonrpc: '2.0', error: jsonRpcError(this.sim.asSimError(e), this.sim.profile), id });
      return;
    }
    if (hasId) this.send({ jsonrpc: '2.0', result, id });
  }

  // ---- legacy ------------------------------------------------------------------------------------

  private onLegacy(message: Message): void {
    const n = this.sim.profile.n;
    if (!('msg' in message)) {
      this.close(1011, keyError('msg'));
      return;
    }
    const kind = message.msg;
    if (kind === 'connect') {
      if (message.version !== '1') this.send({ msg: 'failed', version: '1' });
      else {
        this.send({ msg: 'connected', session: this.id });
        this.handshake = true;
      }
      return;
    }
    if (!this.handshake) {
      this.send({ msg: 'failed', version: '1' });
      return;
    }
    if (kind === 'method') {
      this.legacyMethod(message).catch((e: unknown) => this.crashed(e));
      return;
    }
    if (kind === 'ping') {
      // The pong handler was removed in 25.04: from then on a legacy ping gets no reply at all.
      if (n < 2504) this.send('id' in message ? { msg: 'pong', id: message.id } : { msg: 'pong' });
      return;
    }
    if (n < 2212 && !this.cred) {
      this.legacyErrorNow(message, new PlainError(ERRNO.EACCES, 'Not authenticated'));
      return;
    }
    if (kind === 'sub') {
      if (!('name' in message)) return this.close(1011, keyError('name'));
      if (!('id' in message)) return this.close(1011, keyError('id'));
      const name = message.name;
      if (typeof name !== 'string') return this.close(1011, `'${pyTypeName(name)}' object has no attribute 'split'`);
      if (!canSubscribe(this.sim.profile, this, name.split(':', 1)[0]!)) {
        this.send({ msg: 'result', id: message.id, error: legacyError(new PlainError(ERRNO.EACCES, 'Not authorized'), this.sim.profile) });
        return;
      }
      this.subscriptions.set(subKey(message.id), name);
      this.send({ msg: 'ready', subs: [message.id] });
      return;
    }
    if (kind === 'unsub') {
      if (!('id' in message)) return this.close(1011, keyError('id'));
      this.subscriptions.delete(subKey(message.id));
    }
    // Anything else is ignored.
  }

  /** An error the handler sends synchronously: a missing id raises KeyError and closes with 1011. */
  private legacyErrorNow(message: Message, error: SimError): void {
    if (!('id' in message)) {
      this.close(1011, keyError('id'));
      return;
    }
    this.send({ msg: 'result', id: message.id, error: legacyError(error, this.sim.profile) });
  }

  /**
   * A reply from the call task: without an id the KeyError happens in the task and nothing is
   * sent (read from the 25.04 and older handlers; the spec says the socket closes with 1011,
   * which the code does only for errors sent before the task starts).
   */
  private legacyReply(message: Message, outcome: { result: unknown } | { error: SimError }): void {
    if (!('id' in message)) return;
    if ('error' in outcome) this.send({ msg: 'result', id: message.id, error: legacyError(outcome.error, this.sim.profile) });
    else this.send({ id: message.id, msg: 'result', result: outcome.result });
  }

  private async legacyMethod(message: Message): Promise<void> {
    const modern = this.sim.profile.n >= 2504;
    // 25.04+ looks up and authorizes before the call task, so errors there are sent at once.
    const early = (error: SimError) => (modern ? this.legacyErrorNow(message, error) : this.legacyReply(message, { error }));
    if (!('method' in message)) {
      // Every era checks this before the call task (MW@TS-22.02.4:main.py:318-320, TS-24.10.2.4:main.py:363-365).
      this.legacyErrorNow(message, new PlainError(ERRNO.EINVAL, "Message is malformed: 'method' is absent."));
      return;
    }
    const lookup = this.lookupLegacy(message.method);
    if (lookup instanceof SimError) return early(lookup);
    const refused = await this.authorizeCall(lookup);
    if (refused) return early(refused);
    // `message.get("params") or []`: any falsy value (None, 0, "", {}, ...) means no params.
    // guess: up to 24.10 a non-list gets the same error as 25.04+ (the spec gives only 25.04+).
    const raw = message.params;
    const params = pyFalsy(raw) ? [] : raw;
    if (!Array.isArray(params)) {
      this.legacyReply(message, { error: new PlainError(ERRNO.EINVAL, '`params` must be a list.') });
      return;
    }
    try {
      await this.acquire();
      let result: unknown;
      try {
        result = await this.invoke(lookup, params);
      } finally {
        this.release();
      }
      this.legacyReply(message, { result });
    } catch (e) {
      this.legacyReply(message, { error: this.sim.asSimError(e) });
    }
  }

  private lookupLegacy(name: unknown): MethodDef | SimError {
    if (typeof name !== 'string' || !name.includes('.')) return new CallError('Invalid method name', ERRNO.EBADMSG);
    const def = this.sim.methods.get(name);
    if (def) return def;
    const dot = name.lastIndexOf('.');
    const service = name.slice(0, dot);
    if (!this.sim.services.has(service)) return new CallError(`Service '${service}' not found`, ERRNO.ENOMETHOD);
    return new CallError(`Method '${name.slice(dot + 1)}' not found in '${service}'`, ERRNO.ENOMETHOD);
  }

  // ---- shared call path --------------------------------------------------------------------------

  /** Pre-dispatch checks: rate limit for anonymous methods, then authentication and authorization. */
  private async authorizeCall(def: MethodDef): Promise<SimError | undefined> {
    const profile = this.sim.profile;
    const n = profile.n;
    if (def.noAuth?.(profile)) {
      // 24.10 counts every caller; 25.04+ skips authenticated sessions. Loopback is not exempt.
      const counted = n >= 2410 && def.rateLimit !== false && (!this.cred || n < 2504);
      if (counted && this.sim.rateLimited(def.name, this.remoteAddress)) {
        await this.sim.failureDelay(1, 10);
        return n >= 2504 ? new CallError('Rate Limit Exceeded', ERRNO.EBUSY) : new PlainError(ERRNO.EBUSY, 'Rate Limit Exceeded');
      }
      return undefined;
    }
    if (!this.cred) {
      if (n < 2212) return new PlainError(ERRNO.EACCES, 'Not authenticated');
      if (n < 2504) return new PlainError(ERRNO.ENOTAUTHENTICATED, 'Not authenticated');
      return new CallError('Not authenticated', ERRNO.ENOTAUTHENTICATED);
    }
    if (!this.permits(def)) return n < 2504 ? new PlainError(ERRNO.EACCES, 'Not authorized') : new CallError('Not authorized', ERRNO.EACCES);
    return undefined;
  }

  private permits(def: MethodDef): boolean {
    const cred = this.cred!;
    // 22.02-24.10 key sessions: the allowlist alone decides, even for methods without authz.
    if (cred.allowlist) return allowlistPermits(cred.allowlist, 'CALL', def.name);
    const required = def.authz(this.sim.profile);
    if (required === 'none') return true;
    // A session acts with the roles its user had at login (a key: its owner's, 25.04+).
    const roles = expandRoles(sessionRoles(cred), this.sim.profile.n);
    return roles.has('FULL_ADMIN') || required.some((r) => roles.has(r));
  }

  private async invoke(def: MethodDef, params: unknown[]): Promise<unknown> {
    const delay = this.sim.delayFor(def.name);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const ctx: CallContext = { sim: this.sim, session: this, profile: this.sim.profile, apiN: this.apiN, method: def.name };
    this.sim.handlerCalls++;
    const fault = this.sim.takeFault(def.name);
    if (fault) throw fault;
    return def.handler(ctx, params);
  }

  /** The middleware's SoftHardSemaphore(10, 20): 10 run, 10 more wait, the 21st is refused. */
  private async acquire(): Promise<void> {
    if (this.inFlight >= HARD_LIMIT) throw new TooManyCalls();
    this.inFlight++;
    if (this.running < SOFT_LIMIT) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    this.inFlight--;
    const next = this.waiters.shift();
    if (next) next();
    else this.running--;
  }
}

/** The JSON-RPC envelope checks, in the server's order (truenas-api.md §1.3). */
export function envelopeProblem(m: Message): string | undefined {
  if (!('jsonrpc' in m)) return "Missing 'jsonrpc' member";
  if (m.jsonrpc !== '2.0') return "'jsonrpc' member must be of type string and must be exactly '2.0'";
  if ('id' in m) {
    const id = m.id;
    // Python's isinstance(id, None | int | str): bools are ints, floats are not.
    const ok = id === null || typeof id === 'string' || typeof id === 'boolean' || (typeof id === 'number' && Number.isInteger(id));
    if (!ok) return "'id' member must be of type null, string or number";
  }
  if (!('method' in m)) return "Missing 'method' member";
  if (typeof m.method !== 'string' || m.method === '') return "'method' member must be of type string";
  if ('params' in m && !Array.isArray(m.params)) return "'params' member must be of type array";
  return undefined;
}

function pyFalsy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0 && !(v instanceof DateValue);
}

function subKey(id: unknown): string {
  return typeof id === 'string' ? id : JSON.stringify(id);
}

/** Python's TypeError for `message['msg']` on a non-dict. */
function subscriptError(value: unknown): string {
  if (typeof value === 'string') return 'string indices must be integers';
  if (Array.isArray(value)) return 'list indices must be integers or slices, not str';
  return `'${pyTypeName(value)}' object is not subscriptable`;
}
