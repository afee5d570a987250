/**
 * Open sessions per key (`auth.sessions`) and ending them (`auth.terminate_session`). Deleting,
 * resetting or revoking a key does not end its sessions (MW@TS-25.10.6:auth.py:110-118), so the
 * manager offers to. 24.10+ name the key in `credentials_data.api_key`; 22.02's sessions do not.
 */
import { featureUnavailableReason, type EndSessionsResult, type KeySession, type KeySessionsReport } from '../model/api-key.js';
import { withoutMethodNames } from './accounts.js';
import type { TrueNasClient } from './client.js';
import { InvalidInputError, ProtocolError, TrueNasError } from './errors.js';
import type { QueryFilter } from './types.js';
import { isNotPermitted } from './usage.js';
import { decodeDate, isRecord } from './wire.js';

/** One `auth.sessions` row as a KeySession, or null when it is not a readable key session. */
export function normalizeSession(row: unknown): KeySession | null {
  if (!isRecord(row) || typeof row.id !== 'string' || row.id === '') return null;
  const data = isRecord(row.credentials_data) ? row.credentials_data : null;
  const key = data && isRecord(data.api_key) ? data.api_key : null;
  if (!key || !Number.isSafeInteger(key.id)) return null;
  return {
    id: row.id,
    keyId: key.id as number,
    origin: typeof row.origin === 'string' ? row.origin : null,
    loginAt: decodeDate(data?.login_at) ?? decodeDate(row.created_at),
    current: row.current === true,
    secureTransport: typeof row.secure_transport === 'boolean' ? row.secure_transport : null,
  };
}

async function sessionRows(client: TrueNasClient, keyId?: number): Promise<KeySession[]> {
  const filters: QueryFilter[] = [['credentials', '=', 'API_KEY']];
  if (keyId !== undefined) filters.push(['credentials_data.api_key.id', '=', keyId]);
  const rows = await client.call('auth.sessions', [filters, {}]);
  if (!Array.isArray(rows)) throw new ProtocolError('The NAS answered the session list with something that is not a list.');
  return rows.map(normalizeSession).filter((s): s is KeySession => s !== null && (keyId === undefined || s.keyId === keyId));
}

const NOT_PERMITTED = 'This account may not list sessions (it needs the sessions read role), so open sessions are not shown.';

/** Every open key session on the host, grouped by key id, from one call. */
export async function keySessions(client: TrueNasClient): Promise<KeySessionsReport> {
  const caps = await client.capabilities();
  if (!(caps.keySessions ?? false)) return { status: 'unsupported', reason: featureUnavailableReason(caps, 'keySessions') ?? '' };
  let sessions: KeySession[];
  try {
    sessions = await sessionRows(client);
  } catch (error) {
    if (isNotPermitted(error)) return { status: 'not-permitted', reason: NOT_PERMITTED };
    const readable = withoutMethodNames(error, 'auth.sessions');
    return { status: 'failed', reason: readable instanceof TrueNasError ? readable.message : 'The session list could not be read.' };
  }
  const byKey = new Map<number, KeySession[]>();
  for (const s of sessions) byKey.set(s.keyId, [...(byKey.get(s.keyId) ?? []), s]);
  return { status: 'ok', byKey };
}

function checkKeyId(id: unknown): number {
  if (!Number.isSafeInteger(id) || (id as number) < 1) throw new InvalidInputError('The key id must be a positive whole number.', 'id');
  return id as number;
}

/** The open sessions of one key (throws the NAS error, e.g. not permitted). */
export async function sessionsOfKey(client: TrueNasClient, keyId: number): Promise<KeySession[]> {
  const id = checkKeyId(keyId);
  const caps = await client.capabilities();
  if (!(caps.keySessions ?? false)) return [];
  return sessionRows(client, id);
}

/**
 * Ends every open session of `keyId` except the caller's own (`current`), one
 * `auth.terminate_session` each. 24.10 answers null, 25.04+ true, or false for a session already
 * gone (not counted as ended, not a failure).
 */
export async function terminateKeySessions(client: TrueNasClient, keyId: number): Promise<EndSessionsResult> {
  const id = checkKeyId(keyId);
  const caps = await client.capabilities();
  if (!(caps.endSessions ?? false) || !(caps.keySessions ?? false)) {
    throw new InvalidInputError(featureUnavailableReason(caps, caps.keySessions ? 'endSessions' : 'keySessions') ?? 'This NAS cannot end sessions.');
  }
  const sessions = await sessionRows(client, id);
  const result: EndSessionsResult = { ended: 0, keptCurrent: false, failed: 0 };
  for (const session of sessions) {
    if (session.current) {
      result.keptCurrent = true;
      continue;
    }
    try {
      const answer = await client.call('auth.terminate_session', [session.id]);
      if (answer !== false) result.ended++;
    } catch {
      result.failed++;
    }
  }
  return result;
}
