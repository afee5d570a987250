/**
 * Maps the connection library's typed errors onto wire errors. The library's messages are
 * English, so every case whose text is the library's own is replaced by the extension's
 * translated term; only texts the NAS itself wrote (validation field messages, call reasons)
 * pass through, as TrueNAS writes them in English on the NAS too. No text contains a secret.
 */
import {
  AuthError,
  CallError,
  ConnectionClosedError,
  CredentialExpiredError,
  InsecureTransportError,
  OtpRequiredError,
  RateLimitError,
  RedirectError,
  RequestTooLargeError,
  ResponseTooLargeError,
  ScopedKeyError,
  TimeoutError,
  TransportError,
  TrueNasError,
  UnreachableError,
  nasTextForDisplay,
  type ClientErrorCode,
} from '../../components/client/index.js';
import { fieldErrorsOf } from '../../components/model/api-key.js';
import { ScopedKeyInputError } from '../../components/model/scoped-key.js';
import { translate } from '../shared/i18n/index.js';
import type { ErrorCode, WireError } from '../shared/protocol.js';

const CODES: Record<ClientErrorCode, ErrorCode> = {
  invalid_url: 'bad-request',
  invalid_input: 'bad-request',
  transport: 'unreachable',
  unreachable: 'unreachable',
  connection_closed: 'unreachable',
  protocol: 'nas-error',
  timeout: 'unreachable',
  client_closed: 'unreachable',
  insecure_transport: 'insecure-refused',
  rate_limited: 'rate-limited',
  request_too_large: 'bad-request',
  response_too_large: 'nas-error',
  call: 'nas-error',
  validation: 'bad-request',
  not_found: 'not-found',
  method_not_found: 'nas-error',
  not_authenticated: 'auth-failed',
  auth: 'auth-failed',
};

/** Host and web origin (https:// for wss://) of a socket URL, for the texts. */
function endpoint(url: string): { host: string; origin: string } {
  try {
    const u = new URL(url);
    return { host: u.hostname, origin: `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}` };
  } catch {
    return { host: url, origin: url };
  }
}

function transportText(error: TransportError): string {
  const { host, origin } = endpoint(error.url);
  let text: string;
  if (error instanceof UnreachableError) {
    // Nothing was sent: say so, so a change is known not to have happened.
    text = translate(error.why === 'unreachable' ? 'ext.client.unreachable' : 'ext.client.notBack', host);
  } else if (error instanceof ConnectionClosedError) {
    text = translate(error.retryable ? 'ext.client.closed' : 'ext.client.closedChange');
    if (error.closeCode === 1008) text += ` ${translate('ext.client.allowlist')}`;
  } else {
    text = translate('ext.client.transport', host);
  }
  // wss: a self-signed certificate (TrueNAS's default) looks like any other failed connection.
  if (error.url.startsWith('wss:') && (error.code === 'transport' || (error instanceof UnreachableError && error.why === 'unreachable'))) text += ` ${translate('ext.client.certificateHint', origin)}`;
  return text;
}

function authText(error: AuthError): string {
  switch (error.outcome) {
    case 'AUTH_ERR':
      return translate('ext.client.authErr');
    case 'EXPIRED':
      return translate('ext.client.expired');
    case 'DENIED':
      return translate('ext.client.denied');
    case 'REDIRECT':
      // NAS text, quoted and made visible: never a link, never our own advice.
      return translate('ext.client.redirect', error instanceof RedirectError ? error.urls.map((url) => translate('ext.client.quote', nasTextForDisplay(url))).join(', ') : '');
    case 'OTP_REQUIRED':
      return translate('ext.client.otpRequired', error instanceof OtpRequiredError ? error.username : '');
    case 'SERVER_PROOF_INVALID':
      return translate('ext.client.serverProof');
  }
}

/** Which step of a scoped key stopped, why, and what undoing the earlier ones left. */
function scopedText(error: ScopedKeyError): string {
  const step = translate(SCOPED_STEPS[error.failedStep]);
  const undo = error.undone ? translate('ext.scoped.undone') : translate('ext.scoped.left', error.leftOnNas.join('; '));
  return `${translate('ext.scoped.failed', error.stepIndex + 1, step, error.reason)} ${undo}`;
}

const SCOPED_STEPS = {
  'use-group': 'ext.scoped.step.useGroup',
  'create-group': 'ext.scoped.step.createGroup',
  'create-privilege': 'ext.scoped.step.createPrivilege',
  'create-user': 'ext.scoped.step.createUser',
  'create-key': 'ext.scoped.step.createKey',
} as const satisfies Record<ScopedKeyError['failedStep'], string>;

/** The user-facing text of a client error in the UI language. */
export function clientErrorText(error: TrueNasError): string {
  if (error instanceof TransportError) return transportText(error);
  if (error instanceof ScopedKeyError) return scopedText(error);
  if (error instanceof AuthError) return authText(error);
  switch (error.code) {
    case 'invalid_url':
      return translate('ext.client.invalidUrl');
    case 'protocol':
      return translate('ext.client.protocol');
    case 'timeout':
      // Never the method name; a change that got no answer may still be carried out.
      if (!(error instanceof TimeoutError)) return translate('ext.client.protocol');
      return translate(error.retryable ? 'ext.client.timeout' : 'ext.client.timeoutChange', Math.round(error.timeoutMs / 100) / 10);
    case 'client_closed':
      return translate('ext.client.clientClosed');
    case 'insecure_transport':
      if (!(error instanceof InsecureTransportError)) return translate('ext.client.insecureKey');
      if (error.reason === 'receive-key') return translate('ext.client.insecureReceiveKey');
      return translate(error.reason === 'apiKey' ? 'ext.client.insecureKey' : 'ext.client.insecurePassword');
    case 'rate_limited':
      if (error instanceof RateLimitError && error.source === 'client') return translate('ext.client.rateLimitedClient', Math.ceil((error.retryAfterMs ?? 60_000) / 1000));
      return translate('ext.client.rateLimitedServer');
    case 'request_too_large':
      return error instanceof RequestTooLargeError ? translate('ext.client.tooLarge', Math.round(error.limit / 1024)) : error.message;
    case 'response_too_large': {
      const mb = error instanceof ResponseTooLargeError ? Math.round((error.limit / 1024 / 1024) * 10) / 10 : 8;
      return translate(error instanceof ResponseTooLargeError && !error.retryable ? 'ext.client.responseTooLargeChange' : 'ext.client.responseTooLarge', mb);
    }
    case 'not_found':
      return translate('ext.client.notFound');
    case 'method_not_found':
      return translate('ext.client.methodNotFound');
    case 'not_authenticated':
      return translate('ext.client.notAuthenticated');
    case 'call':
      if (error instanceof CallError) {
        if (error.reason === 'MatchNotFound()') return translate('ext.client.notFound');
        if (error.reason.trim() === '') return translate('ext.client.callEmpty', error.errname ?? '');
        if (/^Not authorized$/i.test(error.reason)) return translate('ext.client.notAuthorized');
      }
      // The NAS's own reason (English on the NAS too), secrets already redacted by the library:
      // quoted as what the NAS said, with hidden characters made visible, never as our advice.
      if (error instanceof CallError) return translate('ext.client.nasSaid', translate('ext.client.quote', nasTextForDisplay(error.reason, 500)));
      return error.message;
    default:
      // validation: the NAS's own field messages; invalid_input: the library's per-field text
      // for input the extension already checks itself (kept so the field stays specific).
      return error.message;
  }
}

export function mapClientError(error: unknown): WireError | undefined {
  // A scoped key's input the plan refused: its field message (fieldErrors place it on the field).
  if (error instanceof ScopedKeyInputError) return { code: 'bad-request', message: error.message, fieldErrors: [...error.fieldErrors] };
  if (!(error instanceof TrueNasError)) return undefined;
  let code = CODES[error.code];
  // EXPIRED: past its expiry, or (25.04+) revoked for use over an insecure connection.
  if (error instanceof CredentialExpiredError) code = 'key-revoked';
  else if (error instanceof AuthError && error.outcome === 'OTP_REQUIRED') code = 'otp-required';
  const wire: WireError = { code, message: clientErrorText(error) };
  const fields = fieldErrorsOf(error);
  if (fields.length) wire.fieldErrors = [...fields];
  if (error instanceof ScopedKeyError) {
    wire.scopedFailure = { failedStep: error.failedStep, stepIndex: error.stepIndex, reason: error.reason, undone: error.undone, leftOnNas: [...error.leftOnNas] };
  }
  return wire;
}
