/**
 * Upgrade readiness: which keys the next major upgrade revokes. Pure. The facts:
 * - 24.10 and older → 25.04 revokes every key whose allowlist is not exactly `[{"*","*"}]`
 *   (MW@TS-25.04.2.6:alembic/versions/25.04/2024-10-08_18-48_user_api_key.py:19-38).
 * - 25.x → 26 revokes every key still hashed `$pbkdf2-sha256$` (MW@TS-26.0.0-BETA.3:alembic/versions/26.0/
 *   2026-02-06_18-18_convert-api-keys.py:59-82); one successful sign-in on 25.x rewrites the hash
 *   (MW@TS-25.10.6:plugins/auth.py:956-960), so using the key once also fixes it.
 */
import type { ApiKey, HostCapabilities, UpgradePath, UpgradeReadiness, UpgradeRisk } from './api-key.js';

function versionNumber(version: string): number | null {
  const m = /^(\d{2})\.(\d{1,2})/.exec(version);
  return m ? Number(m[1]) * 100 + Number(m[2]) : null;
}

/** The next major upgrade that revokes keys, from a short version such as "24.10.2.4". */
export function nextUpgradeFor(version: string): UpgradePath | null {
  const n = versionNumber(version);
  if (n === null) return null;
  if (n < 2504) return { target: '25.04', revokes: 'allowlist-dropped' };
  if (n < 2600) return { target: '26.0', revokes: 'sha256-hash' };
  return null;
}

/** True when the allowlist survives the 25.04 migration: exactly one entry, `*` / `*`. */
export function allowlistSurvives(allowlist: readonly { method: string; resource: string }[] | null): boolean {
  return allowlist !== null && allowlist.length === 1 && allowlist[0]!.method === '*' && allowlist[0]!.resource === '*';
}

/**
 * The keys at risk on this host. Keys already revoked are skipped (the upgrade takes nothing from
 * them). On 25.x, keys whose hash scheme is not visible (not a full admin) are counted as unchecked.
 */
export function upgradeRisks(keys: readonly ApiKey[], caps: Pick<HostCapabilities, 'version'> & Partial<Pick<HostCapabilities, 'nextUpgrade'>>): UpgradeReadiness {
  const path = caps.nextUpgrade !== undefined ? caps.nextUpgrade : nextUpgradeFor(caps.version);
  if (!path) return { target: null, risks: [], unchecked: 0 };
  const risks: UpgradeRisk[] = [];
  let unchecked = 0;
  for (const key of keys) {
    if (key.revoked) continue;
    if (path.revokes === 'allowlist-dropped') {
      if (!allowlistSurvives(key.allowlist)) risks.push({ keyId: key.id, keyName: key.name, reason: 'allowlist-dropped', target: path.target, fixes: ['reset'] });
    } else if (key.hashScheme === 'pbkdf2-sha256') {
      risks.push({ keyId: key.id, keyName: key.name, reason: 'sha256-hash', target: path.target, fixes: ['reset', 'use-once'] });
    } else if (key.hashScheme !== 'pbkdf2-sha512') {
      unchecked++;
    }
  }
  return { target: path.target, risks, unchecked };
}

/** "3 keys will stop working after upgrading to 26.0", or null when none will. */
export function upgradeSummary(readiness: UpgradeReadiness): string | null {
  const n = readiness.risks.length;
  if (n === 0 || readiness.target === null) return null;
  return `${n} ${n === 1 ? 'key' : 'keys'} will stop working after upgrading to ${readiness.target}.`;
}
