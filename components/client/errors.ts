/**
 * Typed errors of the TrueNAS connection library. Every error has a stable `code` (for
 * localised UI text) and a human English `message`. No message ever contains a secret: server
 * texts pass through `redactSecrets` before they become part of an error.
 */
import type { FieldError, HasFieldErrors } from '../model/api-key.js';
import { isolate } from '../internal/display-text.js';
import type { AddressProblem } from './url.js';

export type ClientErrorCode =
  | 'invalid_url'
  | 'invalid_input'
  | 'transport'
  | 'unreachable'
  | 'connection_closed'
  | 'protocol'
  | 'timeout'
  | 'client_closed'
  | 'insecure_transport'
  | 'rate_limited'
  | 'request_too_large'
  | 'response_too_large'
  | 'call'
  | 'validation'
  | 'not_found'
  | 'method_not_found'
  | 'not_authenticated'
  | 'auth';

/** Base class of every error the client throws. */
export class TrueNasError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A URL the client cannot use (unsupported scheme, credentials in the URL, empty, …); `problem` says which rule it broke. */
export class InvalidUrlError extends TrueNasError {
  readonly problem: AddressProblem;
  constructor(message: string, problem: AddressProblem = { kind: 'invalid' }) {
    super('invalid_url', message);
    this.problem = problem;
  }
}

/** Input the client refuses before anything is sent (malformed API key, bad date, …); forms can place it via `fieldErrors`. */
export class InvalidInputError extends TrueNasError implements HasFieldErrors {
  readonly field: string | null;
  readonly fieldErrors: readonly FieldError[];
  constructor(message: string, field: string | null = null) {
    super('invalid_input', message);
    this.field = field;
    this.fieldErrors = [{ path: null, field, message, errno: null }];
  }
}

/** The socket could not be opened or failed. `hint` says what usually fixes it. */
export class TransportError extends TrueNasError {
  readonly url: string;
  readonly hint: string | null;
  constructor(message: string, url: string, hint: string | null = null, code: ClientErrorCode = 'transport') {
    super(code, hint ? `${message} ${hint}` : message);
    this.url = url;
    this.hint = hint;
  }
}

/**
 * A call failed before it was sent because the NAS cannot be reached now: a connect or reconnect
 * attempt failed (`why: 'unreachable'`), or the connection did not come back within the client's
 * `offlineTimeoutMs` (`why: 'not-back'`). The NAS never saw the call, so a change was not applied.
 */
export class UnreachableError extends TransportError {
  readonly why: 'unreachable' | 'not-back';
  /** Always false: nothing reached the NAS. */
  readonly sent = false;
  constructor(host: string, url: string, why: 'unreachable' | 'not-back', hint: string | null = null) {
    super(
      why === 'unreachable'
        ? `Cannot reach the NAS at ${host}; nothing was sent. Check that it is on and reachable, then try again.`
        : `The connection to the NAS at ${host} is not back yet; nothing was sent. Try again in a moment.`,
      url,
      hint,
      'unreachable',
    );
    this.why = why;
  }
}

/** The connection closed while a call was pending. The call may or may not have run on the NAS. */
export class ConnectionClosedError extends TransportError {
  /** ECONNABORTED, as the official client reports it. */
  readonly errno = 103;
  readonly closeCode: number;
  readonly closeReason: string;
  /** True when repeating the call is harmless (a read); false for create/update/reset/delete. */
  readonly retryable: boolean;
  constructor(url: string, closeCode: number, closeReason: string, retryable: boolean, hint: string | null = null) {
    const what = retryable
      ? 'The connection to the NAS closed before it answered.'
      : 'The connection to the NAS closed before it answered; the change may or may not have been applied. Reload to check before trying again.';
    super(what, url, hint, 'connection_closed');
    this.closeCode = closeCode;
    this.closeReason = closeReason;
    this.retryable = retryable;
  }
}

/** The peer broke the protocol (bad handshake, malformed reply, unsupported version). */
export class ProtocolError extends TrueNasError {
  constructor(message: string) {
    super('protocol', message);
  }
}

/**
 * A call got no answer in time. The NAS does not cancel it, so it may still run. The message names
 * no method (people read it); `method` is for code and logs.
 */
export class TimeoutError extends TrueNasError {
  /** ETIMEDOUT */
  readonly errno = 110;
  readonly method: string;
  readonly timeoutMs: number;
  /** True for a read; false for a change, which the NAS may still carry out. */
  readonly retryable: boolean;
  constructor(method: string, timeoutMs: number, retryable = true) {
    const seconds = Math.round(timeoutMs / 100) / 10;
    super(
      'timeout',
      retryable
        ? `The NAS did not answer within ${seconds} s.`
        : `The NAS did not answer within ${seconds} s; it may still carry out the change. Reload to check before trying again.`,
    );
    this.method = method;
    this.timeoutMs = timeoutMs;
    this.retryable = retryable;
  }
}

/** The client was closed by its owner; no further calls are possible. */
export class ClientClosedError extends TrueNasError {
  constructor() {
    super('client_closed', 'The connection was closed by the application.');
  }
}

/**
 * What would have crossed the network in clear: a credential the client would send (`apiKey`,
 * `password`, `token`), or (`receive-key`) a new API key the NAS would send back from
 * `api_key.create` or a reset.
 */
export type InsecureTransportReason = 'apiKey' | 'password' | 'token' | 'receive-key';

/** Refused before sending: a credential or a new API key would travel unencrypted. */
export class InsecureTransportError extends TrueNasError {
  readonly reason: InsecureTransportReason;
  /** The credential that would have been sent; null when the refusal is about receiving a new key. */
  readonly credential: 'apiKey' | 'password' | 'token' | null;
  constructor(reason: InsecureTransportReason, host: string) {
    const message =
      reason === 'receive-key'
        ? `Refusing to create or reset an API key over the unencrypted connection to ${host}: the NAS would send the new key back in clear, readable by anyone on the network. Connect with https:// or wss:// to create or reset keys; this cannot be allowed on an unencrypted connection.`
        : reason === 'apiKey'
          ? `Refusing to send an API key unencrypted to ${host}. TrueNAS 25.04 and newer revoke an API key that is used over an insecure (http:// or ws://) connection. Connect with https:// or wss:// instead.`
          : `Refusing to send a ${reason === 'password' ? 'password' : 'login token'} unencrypted to ${host} over ws://. Connect with https:// or wss://, or explicitly allow an insecure connection for this sign-in.`;
    super('insecure_transport', message);
    this.reason = reason;
    this.credential = reason === 'receive-key' ? null : reason;
  }
}

/** Too many attempts: either the NAS answered EBUSY or the client's own login limiter held back. */
export class RateLimitError extends TrueNasError {
  /** EBUSY */
  readonly errno = 16;
  /** Milliseconds until another attempt is allowed, when known. */
  readonly retryAfterMs: number | null;
  readonly source: 'server' | 'client';
  constructor(source: 'server' | 'client', retryAfterMs: number | null, host: string) {
    super(
      'rate_limited',
      source === 'server'
        ? `The NAS at ${host} is rate limiting this client (at most 20 unauthenticated calls per minute). Wait a minute and try again.`
        : `Too many sign-in attempts to ${host} in the last minute; wait ${Math.ceil((retryAfterMs ?? 60_000) / 1000)} s before trying again. (TrueNAS locks clients out for 10 minutes after 20 attempts.)`,
    );
    this.retryAfterMs = retryAfterMs;
    this.source = source;
  }
}

/** A request larger than the NAS accepts (8 kB before sign-in, 64 kB after); nothing was sent. */
export class RequestTooLargeError extends TrueNasError {
  readonly limit: number;
  readonly method: string;
  constructor(method: string, limit: number) {
    super('request_too_large', `The request is larger than the NAS accepts (${Math.round(limit / 1024)} kB); nothing was sent.`);
    this.method = method;
    this.limit = limit;
  }
}

/**
 * The NAS sent a frame larger than the client accepts (`maxIncomingFrame`): the frame was dropped
 * unread, the connection closed, and every call waiting on it fails with this error (the reply
 * cannot be matched to one call without reading it).
 */
export class ResponseTooLargeError extends TrueNasError {
  /** The limit in characters (UTF-16 code units, or bytes for a binary frame). */
  readonly limit: number;
  /** False when the waiting call was a change (create/update/reset/delete): it may have been applied. */
  readonly retryable: boolean;
  constructor(limit: number, retryable: boolean) {
    const size = `${Math.round((limit / 1024 / 1024) * 10) / 10} MB`;
    super(
      'response_too_large',
      retryable
        ? `The NAS sent a reply larger than ${size}, more than this client accepts; the connection was closed and the request did not complete.`
        : `The NAS sent a reply larger than ${size}, more than this client accepts; the connection was closed. The change may or may not have been applied: reload to check before trying again.`,
    );
    this.limit = limit;
    this.retryable = retryable;
  }
}

/** A NAS error with its errno, errname and reason (the TrueNAS error object). */
export class CallError extends TrueNasError {
  readonly method: string;
  readonly errno: number | null;
  readonly errname: string | null;
  /** The NAS reason, `[ERRNAME]` prefix removed, secrets redacted. */
  readonly reason: string;
  /** JSON-RPC error code (-32001, -32602, …) or null on the legacy protocol. */
  readonly rpcCode: number | null;
  /** The raw `extra` triples, when the NAS sent any. */
  readonly extra: readonly unknown[] | null;
  constructor(
    init: { method: string; errno: number | null; errname: string | null; reason: string; rpcCode: number | null; extra: readonly unknown[] | null; message?: string },
    code: ClientErrorCode = 'call',
  ) {
    super(code, init.message ?? describeCallError(init.reason, init.errname));
    this.method = init.method;
    this.errno = init.errno;
    this.errname = init.errname;
    this.reason = init.reason;
    this.rpcCode = init.rpcCode;
    this.extra = init.extra;
  }
}

function describeCallError(reason: string, errname: string | null): string {
  if (reason === 'MatchNotFound()') return 'The NAS has no matching entry; it may have been deleted.';
  if (reason.trim() === '') return `The NAS reported an error${errname ? ` (${errname})` : ''} without a description.`;
  if (/^Not authorized$/i.test(reason)) return 'This account is not allowed to do that on the NAS (Not authorized).';
  return reason;
}

/** Field-level validation problems; forms place each on its field (`fieldErrors[i].field`). */
export class ValidationError extends CallError implements HasFieldErrors {
  readonly fieldErrors: readonly FieldError[];
  constructor(init: ConstructorParameters<typeof CallError>[0], fieldErrors: readonly FieldError[]) {
    super({ ...init, message: init.message ?? describeFieldErrors(fieldErrors, init.reason) }, 'validation');
    this.fieldErrors = fieldErrors;
  }
}

function describeFieldErrors(errors: readonly FieldError[], reason: string): string {
  if (errors.length === 0) return reason || 'The NAS rejected the input.';
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('\n');
}

/** The entry does not exist (ENOENT, `MatchNotFound()`, or the 22.02-24.04 delete KeyError quirk). */
export class NotFoundError extends CallError {
  constructor(init: ConstructorParameters<typeof CallError>[0]) {
    super({ ...init, message: init.message ?? (describeNotFound(init.reason)) }, 'not_found');
  }
}

function describeNotFound(reason: string): string {
  return /does not exist/.test(reason) ? reason : 'The NAS has no such entry; it may have been deleted.';
}

/** The method does not exist on this NAS version (-32601, ENOMETHOD). */
export class MethodNotFoundError extends CallError {
  constructor(init: ConstructorParameters<typeof CallError>[0]) {
    super({ ...init, message: init.message ?? 'This NAS version does not support this action.' }, 'method_not_found');
  }
}

/** The call needs a signed-in session. */
export class NotAuthenticatedError extends CallError {
  constructor(init: ConstructorParameters<typeof CallError>[0]) {
    super({ ...init, message: init.message ?? 'Not signed in to the NAS (the session may have ended). Sign in again.' }, 'not_authenticated');
  }
}

/** Login response types that end a sign-in attempt without success. */
export type AuthFailure = 'AUTH_ERR' | 'EXPIRED' | 'DENIED' | 'REDIRECT' | 'OTP_REQUIRED' | 'SERVER_PROOF_INVALID';

/** A sign-in that did not succeed; `outcome` says which NAS response type it was. */
export class AuthError extends TrueNasError {
  readonly outcome: AuthFailure;
  constructor(outcome: AuthFailure, message: string) {
    super('auth', message);
    this.outcome = outcome;
  }
}

/** AUTH_ERR: wrong credential, unknown or revoked key, or a key of another user. */
export class InvalidCredentialsError extends AuthError {
  constructor(message = 'The NAS rejected the sign-in: wrong username, password, token or API key, or the key has been revoked.') {
    super('AUTH_ERR', message);
  }
}

/** EXPIRED: the credential has expired (or, for an API key on 25.04+, was just revoked for insecure use). */
export class CredentialExpiredError extends AuthError {
  constructor(message = 'The credential has expired. For an API key: it is past its expiry date, or the NAS revoked it because it was used over an insecure connection; reset the key to use it again.') {
    super('EXPIRED', message);
  }
}

/** DENIED (26.0+): the credential is valid but the account has no API access. */
export class AccessDeniedError extends AuthError {
  constructor(message = 'The credential is valid, but this account is not allowed to use the NAS API.') {
    super('DENIED', message);
  }
}

/**
 * REDIRECT: this node is an HA standby; `urls` holds the addresses the NAS named, exactly as it
 * wrote them (untrusted NAS text: show them quoted with {@link nasTextForDisplay}, never as links).
 */
export class RedirectError extends AuthError {
  readonly urls: readonly string[];
  constructor(urls: readonly string[]) {
    const named = urls.length ? ` and named these addresses: ${urls.map((u) => `“${nasTextForDisplay(u)}”`).join(', ')}` : '';
    super('REDIRECT', `The NAS answered that it is a standby node${named}. Connect to the active controller.`);
    this.urls = urls;
  }
}

/**
 * Text the NAS wrote (a REDIRECT address, a reason), made safe to quote in a sentence: anything
 * shaped like an API key redacted, at most `max` characters, control and bidi characters shown
 * as visible markers, and isolated (FSI…PDI) so it cannot reorder the words around it. The
 * caller adds the quotation marks.
 */
export function nasTextForDisplay(text: string, max = 200): string {
  const safe = redactSecrets(String(text));
  return isolate(safe.length > max ? `${safe.slice(0, max)}…` : safe);
}

/** OTP_REQUIRED where no code can be supplied (e.g. an automatic sign-in after a reconnect). */
export class OtpRequiredError extends AuthError {
  readonly username: string;
  constructor(username: string) {
    super('OTP_REQUIRED', `The NAS asks for a one-time code for ${username}; sign in again and enter the code from the authenticator app.`);
    this.username = username;
  }
}

/** The NAS could not prove it knows the key (SCRAM server signature mismatch): possibly not the real NAS. */
export class ServerProofError extends AuthError {
  constructor() {
    super('SERVER_PROOF_INVALID', 'The NAS could not prove that it knows this API key (SCRAM server signature mismatch). It may not be the NAS you meant; the session was signed out.');
  }
}

const KEY_PATTERN = /\b\d+-[A-Za-z0-9]{64}\b/g;

/** Removes known secrets and anything shaped like an API key from a text the NAS or a peer sent. */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(KEY_PATTERN, '<redacted>');
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('<redacted>');
  }
  return out;
}

/** A thrown value as a short line for the logger (its message, else its text), secrets removed before it is cut. */
export function logText(error: unknown, redact: (text: string) => string = redactSecrets): string {
  return redact(String((error as Error)?.message ?? error)).slice(0, 200);
}
