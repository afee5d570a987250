/**
 * Upgrade readiness across saved hosts (components/model/upgrade-risks.ts per host): which keys
 * the next major upgrade of their NAS would revoke, from the lists we already have (no extra call).
 */
import type { ApiKeyRow, UpgradeReadiness } from '../../components/model/api-key.js';
import { upgradeRisks } from '../../components/model/upgrade-risks.js';
import type { SavedHost } from './protocol.js';

/** Each host's readiness (hosts of unknown version are left out: nothing can be said yet). */
export function fleetReadiness(rows: readonly ApiKeyRow[], hosts: readonly SavedHost[]): Map<string, UpgradeReadiness> {
  const out = new Map<string, UpgradeReadiness>();
  for (const host of hosts) {
    if (!host.version) continue;
    const readiness = upgradeRisks(rows.filter((row) => row.hostId === host.id), { version: host.version });
    if (readiness.target) out.set(host.id, readiness);
  }
  return out;
}

/** `hostId#keyId` of every key at risk, for counting a key once with the other reasons to look. */
export function atRiskIds(readiness: ReadonlyMap<string, UpgradeReadiness>): Set<string> {
  const ids = new Set<string>();
  for (const [hostId, host] of readiness) for (const risk of host.risks) ids.add(`${hostId}#${risk.keyId}`);
  return ids;
}
