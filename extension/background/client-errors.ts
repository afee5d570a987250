/**
 * Maps the connection library's typed errors onto wire errors. The message stays the library's
 * human one (it never contains a secret); the code tells pages which case it is.
 */
import { AuthError, CredentialExpiredError, TrueNasError, type ClientErrorCode } from '../../components/client/index.js';
import { fieldErrorsOf } from '../../components/model/api-key.js';
import type { ErrorCode, WireError } from '../shared/protocol.js';

const CODES: Record<ClientErrorCode, ErrorCode> = {
  invalid_url: 'bad-request',
  invalid_input: 'bad-request',
  transport: 'unreachable',
  connection_closed: 'unreachable',
  protocol: 'nas-error',
  timeout: 'unreachable',
  client_closed: 'unreachable',
  insecure_transport: 'insecure-refused',
  rate_limited: 'rate-limited',
  request_too_large: 'bad-request',
  call: 'nas-error',
  validation: 'bad-request',
  not_found: 'not-found',
  method_not_found: 'nas-error',
  not_authenticated: 'auth-failed',
  auth: 'auth-failed',
};

export function mapClientError(error: unknown): WireError | undefined {
  if (!(error instanceof TrueNasError)) return undefined;
  let code = CODES[error.code];
  // EXPIRED: past its expiry, or (25.04+) revoked for use over an insecure connection.
  if (error instanceof CredentialExpiredError) code = 'key-revoked';
  else if (error instanceof AuthError && error.outcome === 'OTP_REQUIRED') code = 'otp-required';
  const wire: WireError = { code, message: error.message };
  const fields = fieldErrorsOf(error);
  if (fields.length) wire.fieldErrors = [...fields];
  return wire;
}
