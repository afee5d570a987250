/**
 * One websocket to a NAS, speaking either JSON-RPC 2.0 (`/api/current`) or the legacy DDP-like
 * protocol (`/websocket`). It frames requests, matches replies by id in any order, turns NAS
 * errors into typed errors and hands collection events up. Queueing, timeouts, reconnects and
 * auth live in the client; this class only knows its socket. Every frame from the peer is
 * untrusted: nothing here may throw on malformed input.
 */
import type { Protocol } from '../model/api-key.js';
import {
  CallError,
  ConnectionClosedError,
  MethodNotFoundError,
  NotAuthenticatedError,
  NotFoundError,
  ProtocolError,
  RateLimitError,
  RequestTooLargeError,
  ResponseTooLargeError,
  TransportError,
  ValidationError,
  logText,
} from './errors.js';
import type { ClientLogger, CollectionEvent, WebSocketLike } from './types.js';
import { fieldErrorsFrom, isRecord } from './wire.js';

/** The NAS closes the socket on an unauthenticated frame over 8 kB and (24.10+) an authenticated one over 64 kB. */
export const UNAUTHENTICATED_FRAME_LIMIT = 8192;
export const AUTHENTICATED_FRAME_LIMIT = 65536;

const OPEN = 1;

/** Errors of a setup that got no answer in time (as opposed to one refused or closed). */
const timedOut = new WeakSet<Error>();

/** The socket setup got no answer within the connect timeout: the host does not answer at all. */
export function isConnectTimeout(error: unknown): boolean {
  return error instanceof Error && timedOut.has(error);
}

/** Size of a frame as the socket delivered it: characters of a text frame, bytes of a binary one. */
function frameSize(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (typeof data !== 'object' || data === null) return 0;
  const sized = data as { byteLength?: unknown; size?: unknown };
  if (typeof sized.byteLength === 'number') return sized.byteLength;
  return typeof sized.size === 'number' ? sized.size : 0;
}

/** `ws` refused a frame over its `maxPayload` (it then closes with 1009). */
function isPayloadLimitError(event: unknown): boolean {
  if (!isRecord(event)) return false;
  const error = isRecord(event.error) ? event.error : null;
  return error?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || (typeof event.message === 'string' && /max payload size exceeded/i.test(event.message));
}

/** A request the connection carries; the client owns its promise and timer. */
export interface Outgoing {
  kind: 'call' | 'sub' | 'unsub';
  /** Method for calls, event name for sub, server subscription id for unsub. */
  method: string;
  params: unknown[];
  retryable: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** Set once the caller gave up (timeout/abort): a late reply is dropped but still frees the slot. */
  abandoned: boolean;
}

export interface ConnectionHooks {
  onEvent(event: CollectionEvent): void;
  onSubscriptionEnded(collection: string): void;
  onClose(code: number, reason: string): void;
  /** A slot became free (a reply arrived). */
  onSlotFree(): void;
}

/** Errno names for 22.02, which sends no `errname`. */
const ERRNAMES: Record<number, string> = {
  2: 'ENOENT', 11: 'EAGAIN', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY', 22: 'EINVAL', 74: 'EBADMSG', 95: 'EOPNOTSUPP',
  103: 'ECONNABORTED', 109: 'ETOOMANYREFS', 201: 'ENOMETHOD', 207: 'ENOTAUTHENTICATED',
};

export class Connection {
  readonly protocol: Protocol;
  readonly url: string;
  /** Requests sent and not yet answered, including abandoned ones (the NAS still runs them). */
  readonly #pending = new Map<string | number, Outgoing>();
  readonly #pings = new Map<string, () => void>();
  readonly #hooks: ConnectionHooks;
  readonly #log: ClientLogger;
  readonly #redact: (text: string) => string;
  readonly #maxIncomingFrame: number;
  #socket: WebSocketLike | null = null;
  #nextId = 1;
  #open = false;
  #closed = false;
  /** The peer sent a frame over the limit: pending calls fail with ResponseTooLargeError. */
  #tooLarge = false;
  /** Set after sign-in: raises the outgoing frame limit. */
  authenticated = false;
  lastReceivedAt = 0;

  constructor(init: {
    protocol: Protocol;
    url: string;
    hooks: ConnectionHooks;
    logger: ClientLogger;
    redact: (text: string) => string;
    maxIncomingFrame: number;
  }) {
    this.protocol = init.protocol;
    this.url = init.url;
    this.#hooks = init.hooks;
    this.#log = init.logger;
    this.#redact = init.redact;
    this.#maxIncomingFrame = init.maxIncomingFrame;
  }

  get isOpen(): boolean {
    return this.#open && !this.#closed;
  }

  /** Requests on the wire, abandoned ones included. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Requests on the wire whose caller still waits. */
  get liveInFlight(): number {
    let n = 0;
    for (const p of this.#pending.values()) if (!p.abandoned) n++;
    return n;
  }

  /** Opens the socket and, on the legacy protocol, performs the `connect` handshake. */
  open(createSocket: (url: string) => WebSocketLike, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let detail = '';
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#teardown();
        reject(error);
      };
      const succeed = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#open = true;
        resolve();
      };
      const timer = setTimeout(() => {
        const error = new TransportError(`Timed out connecting to ${this.url}.`, this.url);
        timedOut.add(error);
        fail(error);
      }, timeoutMs);
      let socket: WebSocketLike;
      try {
        socket = createSocket(this.url);
      } catch (error) {
        fail(new TransportError(`Could not open a connection to ${this.url}: ${this.#redact(String((error as Error)?.message ?? error)).slice(0, 300)}`, this.url));
        return;
      }
      this.#socket = socket;
      socket.onerror = (event) => {
        if (isPayloadLimitError(event)) this.#tooLarge = true;
        const message = isRecord(event) && typeof event.message === 'string' ? event.message : '';
        if (message) detail = message;
        if (!settled) fail(new TransportError(`Could not connect to ${this.url}${detail ? ` (${this.#redact(detail).slice(0, 300)})` : ''}.`, this.url));
      };
      socket.onclose = (event) => {
        if (!settled) {
          fail(new TransportError(`The NAS closed the connection to ${this.url} during setup (code ${event?.code ?? 0}).`, this.url));
          return;
        }
        this.#handleClose(typeof event?.code === 'number' ? event.code : 1006, typeof event?.reason === 'string' ? event.reason : '');
      };
      socket.onmessage = (event) => {
        if (frameSize(event?.data) > this.#maxIncomingFrame) {
          // Dropped unread (never parsed, no reference kept); during setup the handshake fails.
          if (!settled) fail(new ResponseTooLargeError(this.#maxIncomingFrame, true));
          else this.#rejectOversized();
          return;
        }
        if (!settled && this.protocol === 'legacy') {
          // Before `connected`, only the handshake answer matters.
          const msg = this.#parse(event?.data);
          if (isRecord(msg) && msg.msg === 'connected') succeed();
          else if (isRecord(msg) && msg.msg === 'failed') fail(new ProtocolError('The NAS refused the legacy protocol handshake (it does not speak version 1).'));
          return;
        }
        this.#receive(event?.data);
      };
      socket.onopen = () => {
        if (this.protocol === 'jsonrpc') succeed();
        else this.#rawSend(JSON.stringify({ msg: 'connect', version: '1', support: ['1'], features: [] }));
      };
    });
  }

  /** Sends a request. Rejects at once (nothing sent) when it is too large or the socket is not open. */
  send(out: Outgoing): void {
    if (!this.isOpen) {
      out.reject(new ConnectionClosedError(this.url, 1006, 'not connected', out.retryable));
      return;
    }
    const id = this.protocol === 'jsonrpc' ? this.#nextId++ : String(this.#nextId++);
    let frame: string;
    if (out.kind === 'sub' && this.protocol === 'legacy') frame = JSON.stringify({ msg: 'sub', id, name: out.method });
    else if (out.kind === 'unsub' && this.protocol === 'legacy') {
      // The legacy protocol sends no reply to `unsub`.
      this.#rawSend(JSON.stringify({ msg: 'unsub', id: out.method }));
      out.resolve(null);
      return;
    } else {
      const method = out.kind === 'sub' ? 'core.subscribe' : out.kind === 'unsub' ? 'core.unsubscribe' : out.method;
      const params = out.kind === 'call' ? out.params : [out.method];
      try {
        frame =
          this.protocol === 'jsonrpc'
            ? JSON.stringify({ jsonrpc: '2.0', id, method, params })
            : JSON.stringify({ msg: 'method', id, method, params });
      } catch {
        out.reject(new ProtocolError('The request cannot be sent (its parameters are not plain JSON data).'));
        return;
      }
    }
    const limit = this.authenticated ? AUTHENTICATED_FRAME_LIMIT : UNAUTHENTICATED_FRAME_LIMIT;
    if (frame.length > limit) {
      out.reject(new RequestTooLargeError(out.method, limit));
      return;
    }
    this.#pending.set(id, out);
    this.#rawSend(frame);
  }

  /** Legacy `ping` (22.02-24.10 answer `pong`; 25.04+ never answer). Resolves on pong. */
  legacyPing(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const id = `p${this.#nextId++}`;
      const timer = setTimeout(() => {
        this.#pings.delete(id);
        resolve(false);
      }, timeoutMs);
      this.#pings.set(id, () => {
        clearTimeout(timer);
        resolve(true);
      });
      this.#rawSend(JSON.stringify({ msg: 'ping', id }));
    });
  }

  /** Closes the socket; pending requests settle with ConnectionClosedError. */
  close(code = 1000, reason = ''): void {
    if (this.#closed) return;
    try {
      this.#socket?.close(code, reason);
    } catch {
      // Invalid close codes or a dead socket: the teardown below still settles everything.
    }
    this.#handleClose(code, reason);
  }

  #rawSend(frame: string): void {
    try {
      if (this.#socket && this.#socket.readyState === OPEN) this.#socket.send(frame);
    } catch (error) {
      this.#log.warn?.(`send failed: ${logText(error, this.#redact)}`);
      this.close(1006, 'send failed');
    }
  }

  #teardown(): void {
    const socket = this.#socket;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    // Keep swallowing errors: `ws` throws an 'error' nobody listens to (e.g. closed while connecting).
    socket.onerror = () => undefined;
    try {
      if (socket.readyState <= OPEN) socket.close();
    } catch {
      // already closing
    }
  }

  #handleClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const wasOpen = this.#open;
    this.#open = false;
    this.#teardown();
    const safeReason = this.#redact(reason).slice(0, 200);
    const hint = code === 1008 ? 'The NAS only accepts connections from addresses on its allowlist (System > General > UI allowlist).' : null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const out of pending) {
      if (out.abandoned) continue;
      out.reject(this.#tooLarge ? new ResponseTooLargeError(this.#maxIncomingFrame, out.retryable) : new ConnectionClosedError(this.url, code, safeReason, out.retryable, hint));
    }
    for (const done of this.#pings.values()) done();
    this.#pings.clear();
    if (wasOpen) this.#hooks.onClose(code, safeReason);
  }

  #parse(data: unknown): unknown {
    if (typeof data !== 'string') {
      this.#log.warn?.('ignored a binary frame from the NAS');
      return undefined;
    }
    try {
      return JSON.parse(data);
    } catch {
      this.#log.warn?.('ignored a frame that is not JSON');
      return undefined;
    }
  }

  /** A frame over the limit: every waiting call fails at once with ResponseTooLargeError and the socket closes (1009). */
  #rejectOversized(): void {
    this.#log.warn?.('a frame from the NAS exceeds the size limit; closing');
    this.#tooLarge = true;
    this.close(1009, 'frame too large');
  }

  #receive(data: unknown): void {
    this.lastReceivedAt = Date.now();
    const msg = this.#parse(data);
    if (!isRecord(msg)) return;
    try {
      if (this.protocol === 'jsonrpc') this.#receiveJsonRpc(msg);
      else this.#receiveLegacy(msg);
    } catch (error) {
      // A listener or a type-confused frame threw: never let it take the connection down.
      this.#log.warn?.(`frame handling failed: ${logText(error, this.#redact)}`);
    }
  }

  #take(id: unknown): Outgoing | undefined {
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    const out = this.#pending.get(id);
    if (!out) return undefined;
    this.#pending.delete(id);
    queueMicrotask(() => this.#hooks.onSlotFree());
    return out.abandoned ? undefined : out;
  }

  #receiveJsonRpc(msg: Record<string, unknown>): void {
    if (msg.id !== undefined && msg.id !== null) {
      const out = this.#take(msg.id);
      if (!out) return;
      if ('error' in msg && msg.error !== undefined && msg.error !== null) out.reject(this.#jsonRpcError(out.method, msg.error));
      else if ('result' in msg) out.resolve(msg.result);
      else out.reject(new ProtocolError('The NAS answered a request with neither a result nor an error.'));
      return;
    }
    if (msg.method === 'collection_update' && isRecord(msg.params)) this.#event(msg.params);
    else if (msg.method === 'notify_unsubscribed' && isRecord(msg.params) && typeof msg.params.collection === 'string') {
      this.#hooks.onSubscriptionEnded(msg.params.collection);
    } else if ('error' in msg) {
      this.#log.warn?.('the NAS reported an error without a request id');
    }
  }

  #receiveLegacy(msg: Record<string, unknown>): void {
    switch (msg.msg) {
      case 'result': {
        const out = this.#take(msg.id);
        if (!out) return;
        if (msg.error !== undefined && msg.error !== null) out.reject(this.#legacyError(out.method, msg.error));
        else if (out.kind === 'sub') out.reject(new ProtocolError('The NAS answered a subscription with a result instead of confirming it.'));
        else if ('result' in msg) out.resolve(msg.result);
        else out.reject(new ProtocolError('The NAS answered a request with neither a result nor an error.'));
        return;
      }
      case 'ready': {
        if (!Array.isArray(msg.subs)) return;
        for (const id of msg.subs) {
          const out = this.#pending.get(id as string);
          if (out?.kind === 'sub') {
            this.#take(id);
            if (!out.abandoned) out.resolve(id);
          }
        }
        return;
      }
      case 'added':
      case 'changed':
      case 'removed':
        this.#event(msg);
        return;
      case 'nosub':
        if (typeof msg.collection === 'string') this.#hooks.onSubscriptionEnded(msg.collection);
        return;
      case 'pong': {
        const done = typeof msg.id === 'string' ? this.#pings.get(msg.id) : undefined;
        if (done) {
          this.#pings.delete(msg.id as string);
          done();
        }
        return;
      }
      default:
        return;
    }
  }

  #event(params: Record<string, unknown>): void {
    const { msg, collection } = params;
    if ((msg !== 'added' && msg !== 'changed' && msg !== 'removed') || typeof collection !== 'string') return;
    const event: CollectionEvent = { msg, collection, id: params.id };
    if (isRecord(params.fields)) event.fields = params.fields;
    if (params.cleared === true) event.cleared = true;
    this.#hooks.onEvent(event);
  }

  /** JSON-RPC error object → typed error (§1.3, §6.3). */
  #jsonRpcError(method: string, error: unknown): Error {
    if (!isRecord(error)) return new ProtocolError('The NAS answered a request with a malformed error.');
    const code = typeof error.code === 'number' ? error.code : null;
    const data = isRecord(error.data) ? error.data : null;
    const message = typeof error.message === 'string' ? this.#redact(error.message).slice(0, 500) : '';
    if (code === -32601) return new MethodNotFoundError({ method, errno: null, errname: null, reason: message || 'Method does not exist', rpcCode: code, extra: null });
    if (!data) {
      return new CallError({ method, errno: null, errname: null, reason: message || `JSON-RPC error ${code ?? '?'}`, rpcCode: code, extra: null });
    }
    return this.#nasError(method, data, code, code === -32602);
  }

  #legacyError(method: string, error: unknown): Error {
    if (!isRecord(error)) return new ProtocolError('The NAS answered a request with a malformed error.');
    return this.#nasError(method, error, null, error.type === 'VALIDATION');
  }

  /** The TrueNAS error object (`error`, `errname`, `reason`, `extra`) → typed error. */
  #nasError(method: string, data: Record<string, unknown>, rpcCode: number | null, validation: boolean): Error {
    const errno = typeof data.error === 'number' ? data.error : null;
    const errname = typeof data.errname === 'string' ? data.errname : errno !== null ? (ERRNAMES[errno] ?? null) : null;
    const rawReason = typeof data.reason === 'string' ? data.reason : '';
    const reason = this.#redact(rawReason.replace(/^\[[A-Z_]+\]\s*/, '').trim()).slice(0, 2000);
    const extra = Array.isArray(data.extra) ? data.extra : null;
    const init = { method, errno, errname, reason, rpcCode, extra };
    if (validation) {
      const fieldErrors = fieldErrorsFrom(extra).map((e) => ({ ...e, message: this.#redact(e.message) }));
      // InstanceNotFound arrives as a validation error whose only item has errno ENOENT.
      if (fieldErrors.length > 0 && fieldErrors.every((e) => e.errno === 2 && e.path === null)) return new NotFoundError({ ...init, message: fieldErrors[0]!.message });
      return new ValidationError(init, fieldErrors);
    }
    if (errno === 16 || /Rate Limit Exceeded/.test(rawReason)) return new RateLimitError('server', null, this.url);
    if (errno === 207 || (errno === 13 && /^Not authenticated$/.test(reason))) return new NotAuthenticatedError(init);
    if (errno === 201 || errname === 'ENOMETHOD') return new MethodNotFoundError(init);
    if (errno === 2) return new NotFoundError(init);
    if (reason === 'MatchNotFound()') return new NotFoundError(init);
    return new CallError(init);
  }
}
