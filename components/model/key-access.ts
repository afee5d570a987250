/**
 * A key's blast radius in one word. On 25.04+ a key acts with its owner's roles; on 22.02/24.10
 * it has an allowlist. Pure: the service reads the owners (one `user.query`) and calls these.
 */
import type { AllowlistEntry, ApiKey, KeyAccess, KeyAccessSummary } from './api-key.js';

/** Roles that make up each purpose (and the read roles that come with them). MW@TS-25.10.6:role.py:212-224. */
const PURPOSE_SETS: ReadonlyArray<[KeyAccessSummary, ReadonlySet<string>]> = [
  ['snapshots', new Set(['SNAPSHOT_READ', 'SNAPSHOT_WRITE', 'SNAPSHOT_DELETE', 'SNAPSHOT_TASK_READ', 'SNAPSHOT_TASK_WRITE'])],
  [
    'replication',
    new Set([
      'REPLICATION_ADMIN', 'REPLICATION_TASK_WRITE_PULL', 'REPLICATION_TASK_READ', 'REPLICATION_TASK_WRITE', 'REPLICATION_TASK_CONFIG_READ',
      'REPLICATION_TASK_CONFIG_WRITE', 'KEYCHAIN_CREDENTIAL_READ', 'KEYCHAIN_CREDENTIAL_WRITE', 'SNAPSHOT_TASK_READ', 'SNAPSHOT_TASK_WRITE',
      'SNAPSHOT_READ', 'SNAPSHOT_WRITE',
    ]),
  ],
];

/** Roles that let the holder manage every user's keys (MW@TS-25.10.6:plugins/api_key.py:325-343). */
const KEY_MANAGING = new Set(['FULL_ADMIN', 'API_KEY_WRITE']);

/** The compact summary of an owner's roles. */
export function summarizeRoles(roles: readonly string[]): KeyAccess {
  const sorted = [...new Set(roles)].sort();
  const managesKeys = sorted.some((r) => KEY_MANAGING.has(r));
  const of = (summary: KeyAccessSummary): KeyAccess => ({ summary, source: 'roles', roles: sorted, managesKeys });
  if (sorted.includes('FULL_ADMIN')) return of('full-admin');
  if (sorted.length === 0) return of('none');
  // READONLY_ADMIN is every *_READ role; read roles on their own read the same way.
  const writes = sorted.filter((r) => r !== 'READONLY_ADMIN' && !r.endsWith('_READ'));
  if (writes.length === 0) return of('read-only');
  if (writes.length === 1 && writes[0] === 'SHARING_ADMIN' && sorted.every((r) => r === 'SHARING_ADMIN' || r.endsWith('_READ') || r === 'READONLY_ADMIN')) return of('sharing');
  if (sorted.includes('READONLY_ADMIN')) return of('custom');
  for (const [summary, set] of PURPOSE_SETS) if (sorted.every((r) => set.has(r))) return of(summary);
  return of('custom');
}

/** A legacy allowlist: `full` when it may call everything, else `restricted`. */
export function summarizeAllowlist(allowlist: readonly AllowlistEntry[]): KeyAccess {
  const full = allowlist.some((e) => e.method === '*' && e.resource === '*');
  return { summary: full ? 'full' : 'restricted', source: 'allowlist', roles: [], managesKeys: full };
}

export const UNKNOWN_ACCESS: KeyAccess = { summary: 'unknown', source: 'unknown', roles: [], managesKeys: false };

/**
 * Each key's access. `ownerRoles` maps usernames to their roles (from one `user.query`); null when
 * the owners could not be read. A revoked key whose owner is gone can do nothing: `none`.
 */
export function keyAccess(key: Pick<ApiKey, 'allowlist' | 'username' | 'userIdentifier' | 'revoked'>, ownerRoles: ReadonlyMap<string, readonly string[]> | null): KeyAccess {
  if (key.allowlist) return summarizeAllowlist(key.allowlist);
  if (key.userIdentifier !== null && !key.username) return { summary: 'none', source: 'roles', roles: [], managesKeys: false };
  if (!ownerRoles || key.username === null) return UNKNOWN_ACCESS;
  const roles = ownerRoles.get(key.username);
  return roles ? summarizeRoles(roles) : UNKNOWN_ACCESS;
}
