/** Public types of the TrueNAS connection library. */
import type { ConnectionState as ModelConnectionState, Protocol } from '../model/api-key.js';
import type { LoginLimiter } from './limiter.js';

/** The subset of the WHATWG WebSocket the client uses; both browsers' WebSocket and `ws` fit. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Method-style so the DOM's and `ws`'s richer event types fit (parameter bivariance). */
type Handler<E> = { handle(event: E): void }['handle'];

/** A WebSocket class. The third argument is `ws`'s options (`maxPayload` is set from `maxIncomingFrame`); browsers ignore it. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: { maxPayload?: number }) => WebSocketLike;

/** Optional diagnostics. The client logs method names, ids and close codes only, never params or results. */
export interface ClientLogger {
  debug?(message: string): void;
  warn?(message: string): void;
}

export interface ReconnectOptions {
  /** First delay in ms (default 500); doubles per attempt up to `maxDelayMs`, with full jitter. */
  initialDelayMs?: number;
  /** Cap of one delay (default 30,000). */
  maxDelayMs?: number;
  /** Attempts before giving up (default 10); the next call then connects afresh. */
  maxAttempts?: number;
}

export interface ClientOptions {
  /**
   * The NAS address: `nas.local` (https), `https://nas.local`, `http://10.0.0.5` (plain, on request),
   * `wss://nas.local/api/current`, `ws://nas.local/websocket` (forces the legacy protocol).
   */
  url: string;
  /** `auto` (default) tries `/api/current`, then falls back to `/websocket`. */
  protocol?: 'auto' | Protocol;
  /** WebSocket class; defaults to `globalThis.WebSocket`. In Node 20 pass `ws`'s `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Alternative to `WebSocket`: builds a socket for a URL (e.g. `ws` with a custom CA). */
  createWebSocket?: (url: string) => WebSocketLike;
  /** Per-call timeout in ms (default 30,000); a call can override it. */
  callTimeoutMs?: number;
  /** Time allowed to open the socket and finish the handshake (default 10,000). */
  connectTimeoutMs?: number;
  /**
   * A call waiting for the connection to come back (not sent yet) fails with `UnreachableError`
   * after this long (default 10,000), instead of waiting for its call timeout.
   */
  offlineTimeoutMs?: number;
  /** At most this many calls in flight (default and maximum 20, the NAS limit); the rest queue. */
  maxInFlight?: number;
  /** Reconnect after an unexpected close (default true). */
  reconnect?: boolean | ReconnectOptions;
  /** Keepalive ping interval while the connection is in use (default 20,000; 0 disables). */
  keepaliveIntervalMs?: number;
  /** A keepalive ping unanswered this long (default 10,000) means the socket is dead: reconnect. */
  keepaliveTimeoutMs?: number;
  /** The connection counts as in use this long after the last call (default 60,000), or while subscribed. */
  keepaliveIdleMs?: number;
  /** Guards login attempts per host; defaults to a limiter shared by every client in this JS realm. */
  loginLimiter?: LoginLimiter;
  /**
   * Largest incoming frame accepted, in characters (default 32 MiB). A bigger one is dropped unread:
   * the calls waiting on the connection fail with ResponseTooLargeError and the connection closes.
   * With `ws` (Node) the limit is also its `maxPayload`, so it stops reading such a frame early.
   */
  maxIncomingFrame?: number;
  logger?: ClientLogger;
  /** Source of randomness for reconnect jitter (tests). */
  random?: () => number;
}

export interface CallOptions {
  /** Overrides the client's call timeout. */
  timeoutMs?: number;
  /** Rejects the call (if still queued or pending) when aborted. */
  signal?: AbortSignal;
}

/** How to sign in. Secrets are held only in memory, for re-authentication after a reconnect. */
export type Credentials = ApiKeyCredentials | PasswordCredentials | TokenCredentials;

export interface ApiKeyCredentials {
  type: 'apiKey';
  /** `<id>-<64 alphanumerics>` as the NAS showed it. */
  key: string;
  /** The key owner. Needed for SCRAM (26.0+) and API_KEY_PLAIN (25.04+). */
  username?: string;
  /** `auto` (default): SCRAM when the NAS offers it, else the plain key (TLS or loopback only). */
  mechanism?: 'auto' | 'scram' | 'plain';
}

export interface PasswordCredentials {
  type: 'password';
  username: string;
  password: string;
  /** One-time code, if known up front (required on legacy NASes with 2FA). */
  otp?: string;
  /** Explicitly allow sending the password over unencrypted ws:// (refused otherwise). */
  allowInsecureTransport?: boolean;
}

export interface TokenCredentials {
  type: 'token';
  token: string;
  /** Explicitly allow sending the token over unencrypted ws:// (refused otherwise). */
  allowInsecureTransport?: boolean;
}

/** `auth.me` / `user_info`: the parts the library uses. */
export interface AuthUserInfo {
  pw_name: string;
  pw_uid?: number;
  privilege?: { roles?: string[] };
  account_attributes?: string[];
  [key: string]: unknown;
}

export type LoginMechanism = 'API_KEY_PLAIN' | 'SCRAM' | 'PASSWORD_PLAIN' | 'TOKEN_PLAIN' | 'OTP_TOKEN' | 'LEGACY';

/** A sign-in step that did not fail. Failures (AUTH_ERR, EXPIRED, DENIED, REDIRECT) are thrown as AuthError subclasses. */
export type LoginOutcome =
  | { type: 'SUCCESS'; message: string; mechanism: LoginMechanism; username: string | null; userInfo: AuthUserInfo | null }
  | { type: 'OTP_REQUIRED'; message: string; username: string };

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'authenticated' | 'reconnecting' | 'closed';

/** The model's state for people (components/model/api-key.ts), derived from ConnectionState. */
export type PublicConnectionState = ModelConnectionState;

/** A live collection event, as both protocols deliver it. */
export interface CollectionEvent {
  msg: 'added' | 'changed' | 'removed';
  collection: string;
  id: unknown;
  fields?: Record<string, unknown>;
  cleared?: boolean;
}

export interface Subscription {
  readonly name: string;
  unsubscribe(): Promise<void>;
}

/** A query condition: `[field, op, value]`, or `["OR", [conditions]]`. */
export type QueryFilter = [string, QueryOperator, unknown] | ['OR', QueryFilter[]];

export type QueryOperator =
  | '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | 'in' | 'nin' | 'rin' | 'rnin' | '^' | '!^' | '$' | '!$'
  | 'C=' | 'C!=' | 'C>' | 'C>=' | 'C<' | 'C<=' | 'Cin' | 'Cnin' | 'Crin' | 'Crnin' | 'C^' | 'C!^' | 'C$' | 'C!$';

export interface QueryOptions {
  /** Field names; `-` prefix reverses, `nulls_first:`/`nulls_last:` prefixes on 22.12+. */
  order_by?: string[];
  select?: (string | [string, string])[];
  offset?: number;
  /** 0 = no limit; 25.10+ caps at 10,000. */
  limit?: number;
}

/** Client events: `on(type, listener)`. */
export interface ClientEventMap {
  state: { state: ConnectionState };
  /** The connection state a person sees (connecting, signed in, reconnecting, offline), on every change. */
  connection: { state: PublicConnectionState };
  /** The connection came back, was re-authenticated and resubscribed; events may have been missed. */
  reconnected: { attempts: number };
  /** Automatic re-authentication after a reconnect failed; sign in again. */
  reauthFailed: { error: Error };
  /** Reconnecting stopped (attempts exhausted, or the NAS refused this address). */
  disconnected: { error: Error };
}
