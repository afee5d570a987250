/** "Test connection": signs in on a fresh connection and reports exactly what happened. */
import {
  AccessDeniedError,
  CredentialExpiredError,
  InsecureTransportError,
  InvalidCredentialsError,
  RateLimitError,
  TrueNasError,
  type TrueNasClient,
} from '../../components/client/index.js';
import { ExtensionError } from '../shared/errors.js';
import type { HostAddress } from '../shared/hosts.js';
import { translate } from '../shared/i18n/index.js';
import type { ConnectionOutcome, ConnectionReport, ErrorCode, SavedHost } from '../shared/protocol.js';
import { clientErrorText } from './client-errors.js';
import { newClient, toCredentials, type HostSecret } from './connections.js';
import { hasHostPermission } from './hosts.js';
import { probe } from './probe.js';

function report(outcome: ConnectionOutcome, message: string, extra: Partial<ConnectionReport> = {}): ConnectionReport {
  return { outcome, message, version: null, protocol: null, openUrl: null, ...extra };
}

export async function testConnection(
  host: Pick<SavedHost, 'name' | 'login' | 'username' | 'allowInsecure'>,
  address: HostAddress,
  secret: HostSecret,
  otp?: string,
): Promise<ConnectionReport> {
  const { report, client } = await testSignIn(host, address, secret, otp);
  await client?.close().catch(() => undefined);
  return report;
}

/**
 * The same test, keeping the client when it signed in (`client` is null otherwise), so a caller
 * can go on using that session instead of signing in again; the caller then owns it.
 */
export async function testSignIn(
  host: Pick<SavedHost, 'name' | 'login' | 'username' | 'allowInsecure'>,
  address: HostAddress,
  secret: HostSecret,
  otp?: string,
): Promise<{ report: ConnectionReport; client: TrueNasClient | null }> {
  if (!(await hasHostPermission(address))) return { report: report('permission-missing', translate('ext.host.error.permission', host.name, address.origin)), client: null };
  const client = newClient(address);
  let kept = false;
  try {
    let outcome = await client.login(toCredentials(host, address, secret, otp));
    if (outcome.type === 'OTP_REQUIRED' && otp) outcome = await client.continueLogin(otp);
    if (outcome.type === 'OTP_REQUIRED') return { report: report('otp-required', translate('ext.host.otpRequired', host.name)), client: null };
    const caps = await client.capabilities();
    kept = true;
    return {
      report: report('ok', translate('ext.report.okDetail', caps.version, caps.protocol === 'legacy' ? '/websocket' : '/api/current'), { version: caps.version, protocol: caps.protocol }),
      client,
    };
  } catch (error) {
    return { report: await classify(error, address), client: null };
  } finally {
    if (!kept) await client.close().catch(() => undefined);
  }
}

/**
 * Error codes for a failed test at save time; `unreachable` is what a page offers "Save anyway"
 * for, and a certificate not accepted yet is one (this browser cannot reach the NAS until then).
 */
const SAVE_REFUSAL: Record<Exclude<ConnectionOutcome, 'ok' | 'permission-missing' | 'otp-required'>, ErrorCode> = {
  unreachable: 'unreachable',
  certificate: 'unreachable',
  'auth-failed': 'auth-failed',
  'rate-limited': 'rate-limited',
  'key-revoked': 'key-revoked',
  'key-expired': 'key-revoked',
  'insecure-refused': 'insecure-refused',
  locked: 'locked',
  error: 'nas-error',
};

/**
 * Why a host is not saved after its sign-in test, or null when it may be: the test passed, the
 * NAS accepted the password and asks for a one-time code (asked again at each sign-in), or the
 * browser has no access to the NAS yet (saved untested; the page asks for access).
 */
export function saveRefusal(report: ConnectionReport): ExtensionError | null {
  if (report.outcome === 'ok' || report.outcome === 'permission-missing' || report.outcome === 'otp-required') return null;
  const code = SAVE_REFUSAL[report.outcome];
  // A wrong credential belongs to the secret field, so the form can place it there.
  const fieldErrors = code === 'auth-failed' || code === 'key-revoked' ? [{ path: 'secret', field: 'secret', message: report.message, errno: null }] : [];
  return new ExtensionError(code, report.message, { fieldErrors, ...(report.openUrl ? { openUrl: report.openUrl } : {}) });
}

async function classify(error: unknown, address: HostAddress): Promise<ConnectionReport> {
  if (error instanceof ExtensionError) return report(error.code === 'permission-missing' ? 'permission-missing' : 'error', error.message);
  if (!(error instanceof TrueNasError)) return report('error', translate('ext.error.internal'));
  const text = clientErrorText(error);
  if (error instanceof InsecureTransportError) return report('insecure-refused', text);
  if (error instanceof RateLimitError) return report('rate-limited', text);
  if (error instanceof CredentialExpiredError) return report('key-revoked', text);
  if (error instanceof InvalidCredentialsError || error instanceof AccessDeniedError) return report('auth-failed', text);
  if (error.code === 'transport' || error.code === 'timeout' || error.code === 'connection_closed') {
    if (address.secure) {
      const found = await probe(address);
      if (found === 'certificate') return report('certificate', translate('ext.report.certificateDetail', address.origin), { openUrl: address.origin });
      if (found === 'reachable') return report('error', text);
    }
    return report('unreachable', translate('ext.report.unreachableDetail', address.origin, text));
  }
  return report('error', text);
}
