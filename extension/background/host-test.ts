/** "Test connection": signs in on a fresh connection and reports exactly what happened. */
import {
  AccessDeniedError,
  CredentialExpiredError,
  InsecureTransportError,
  InvalidCredentialsError,
  RateLimitError,
  TrueNasError,
} from '../../components/client/index.js';
import { ExtensionError } from '../shared/errors.js';
import type { HostAddress } from '../shared/hosts.js';
import { translate } from '../shared/i18n/index.js';
import type { ConnectionOutcome, ConnectionReport, SavedHost } from '../shared/protocol.js';
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
  if (!(await hasHostPermission(address))) return report('permission-missing', translate('ext.host.error.permission', host.name, address.origin));
  const client = newClient(address);
  try {
    let outcome = await client.login(toCredentials(host, address, secret, otp));
    if (outcome.type === 'OTP_REQUIRED' && otp) outcome = await client.continueLogin(otp);
    if (outcome.type === 'OTP_REQUIRED') return report('otp-required', translate('ext.host.otpRequired', host.name));
    const caps = await client.capabilities();
    return report('ok', translate('ext.report.okDetail', caps.version, caps.protocol === 'legacy' ? '/websocket' : '/api/current'), { version: caps.version, protocol: caps.protocol });
  } catch (error) {
    return classify(error, address);
  } finally {
    await client.close().catch(() => undefined);
  }
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
