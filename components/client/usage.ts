/**
 * Last use per key from the audit log: ONE `audit.query` per refresh for every key (the filters
 * below; grouped by key id here). No version stores last use on the key itself
 * (truenas-accounts.md §2). Needs SYSTEM_AUDIT_READ (in READONLY_ADMIN); without it the answer is a
 * `not-permitted` report, never an exception that breaks the key list.
 */
import { featureUnavailableReason, type KeyLastUse, type KeyUsageReport } from '../model/api-key.js';
import { withoutMethodNames } from './accounts.js';
import type { TrueNasClient } from './client.js';
import { CallError, TrueNasError } from './errors.js';
import type { QueryFilter } from './types.js';
import { decodeDate, isRecord } from './wire.js';

/** MW@TS-25.10.6:plugins/audit/utils.py:16 AUDIT_LIFETIME (the setting allows 1-30 days). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 7;
/** Rows per refresh: enough for weeks of a few keys signing in hourly; 25.10 caps a query at 10,000. */
export const DEFAULT_USAGE_LIMIT = 2000;
const DAY_MS = 86_400_000;

/**
 * Successful API-key sign-ins, newest first. Nested keys become JSON paths on 25.10 and are
 * matched in Python on 24.10 (MW@TS-25.10.6:plugins/audit/audit.py:121-185; the middleware's own
 * alert source queries the same way, alert/source/auth.py:49-81). 25.10 requires a limit.
 */
export function usageQuery(limit = DEFAULT_USAGE_LIMIT): Record<string, unknown> {
  const filters: QueryFilter[] = [
    ['event', '=', 'AUTHENTICATION'],
    ['success', '=', true],
    ['event_data.credentials.credentials', '=', 'API_KEY'],
  ];
  return {
    services: ['MIDDLEWARE'],
    'query-filters': filters,
    'query-options': { order_by: ['-message_timestamp'], limit, select: ['message_timestamp', 'timestamp', 'address', 'event_data'] },
  };
}

/** The key id and time of one audit row, or null when the row is not a readable key sign-in. */
export function lastUseOf(row: unknown): { keyId: number; use: KeyLastUse } | null {
  if (!isRecord(row) || !isRecord(row.event_data)) return null;
  const creds = row.event_data.credentials;
  const data = isRecord(creds) ? creds.credentials_data : null;
  const key = isRecord(data) ? data.api_key : null;
  const id = isRecord(key) ? key.id : null;
  if (!Number.isSafeInteger(id)) return null;
  const at = typeof row.message_timestamp === 'number' && Number.isFinite(row.message_timestamp) ? row.message_timestamp * 1000 : decodeDate(row.timestamp);
  if (at === null) return null;
  const address = typeof row.address === 'string' && row.address !== '' ? row.address : null;
  return { keyId: id as number, use: { at, address } };
}

/** Lack of a role: "Not authorized" with EACCES (both protocols). */
export function isNotPermitted(error: unknown): boolean {
  return error instanceof CallError && error.errno === 13 && /not authorized/i.test(error.reason);
}

const retentionCache = new WeakMap<TrueNasClient, Promise<number | null>>();

/** `audit.config` retention in days, asked once per client; null when it cannot be read. (unverified at run time; absent from the simulator) */
function retentionDays(client: TrueNasClient): Promise<number | null> {
  let cached = retentionCache.get(client);
  if (!cached) {
    cached = client.call('audit.config').then(
      (config) => (isRecord(config) && Number.isSafeInteger(config.retention) && (config.retention as number) > 0 ? (config.retention as number) : null),
      () => null,
    );
    retentionCache.set(client, cached);
  }
  return cached;
}

export interface KeyUsageOptions {
  /** Rows to read (default DEFAULT_USAGE_LIMIT, at most 10,000). */
  limit?: number;
  now?: number;
}

/** Last successful sign-in per key id on this host, from one audit query. */
export async function keyUsage(client: TrueNasClient, options: KeyUsageOptions = {}): Promise<KeyUsageReport> {
  const caps = await client.capabilities();
  if (!(caps.keyUsage ?? false)) return { status: 'unsupported', reason: featureUnavailableReason(caps, 'keyUsage') ?? '' };
  const limit = Math.min(10_000, Math.max(1, Math.floor(options.limit ?? DEFAULT_USAGE_LIMIT)));
  let rows: unknown;
  const retention = retentionDays(client);
  try {
    rows = await client.call('audit.query', [usageQuery(limit)]);
  } catch (error) {
    if (isNotPermitted(error)) return { status: 'not-permitted', reason: 'This account may not read the audit log (it needs the audit read role, which read-only administrators have), so last use is not shown.' };
    const readable = withoutMethodNames(error, 'audit.query');
    return { status: 'failed', reason: readable instanceof TrueNasError ? readable.message : 'The audit log could not be read.' };
  }
  if (!Array.isArray(rows)) return { status: 'failed', reason: 'The NAS answered the audit query with something that is not a list.' };
  const days = await retention;
  const retentionDaysKnown = days ?? DEFAULT_AUDIT_RETENTION_DAYS;
  const lastUse = new Map<number, KeyLastUse>();
  let oldest = Infinity;
  for (const row of rows) {
    const found = lastUseOf(row);
    if (!found) continue;
    oldest = Math.min(oldest, found.use.at);
    const seen = lastUse.get(found.keyId);
    if (!seen || seen.at < found.use.at) lastUse.set(found.keyId, found.use);
  }
  const now = options.now ?? Date.now();
  const complete = rows.length < limit;
  // A cut answer reaches back only to its oldest row: a key absent from it may still have been used before.
  const since = complete || oldest === Infinity ? now - retentionDaysKnown * DAY_MS : oldest;
  return { status: 'ok', lastUse, since, retentionDays: retentionDaysKnown, retentionKnown: days !== null, complete };
}
