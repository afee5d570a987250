/** HostCapabilities from `system.version` (spec §7): facts per release, not guesses. */
import type { HostCapabilities, Protocol } from '../model/api-key.js';
import { nextUpgradeFor } from '../model/upgrade-risks.js';
import { ProtocolError } from './errors.js';

/**
 * Short version from `system.version`: "TrueNAS-SCALE-22.02.4" → "22.02.4", "TrueNAS-25.04.2.6" →
 * "25.04.2.6", "TrueNAS-27.0.0-MASTER-…" → "27.0.0".
 */
export function parseVersion(text: unknown): { short: string; major: number; minor: number } | null {
  if (typeof text !== 'string') return null;
  const match = /(\d{2})\.(\d{1,2})(?:\.\d+)*/.exec(text);
  if (!match) return null;
  return { short: match[0], major: Number(match[1]), minor: Number(match[2]) };
}

/** True when version ≥ major.minor. */
function atLeast(v: { major: number; minor: number }, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function capabilitiesFrom(versionText: unknown, protocol: Protocol): HostCapabilities {
  const v = parseVersion(versionText);
  if (!v) throw new ProtocolError('The NAS reported a version this client cannot read.');
  const userLinked = atLeast(v, 25, 4);
  return {
    version: v.short,
    protocol,
    userLinkedKeys: userLinked,
    allowlist: !userLinked,
    revokedReason: atLeast(v, 25, 10),
    scram: atLeast(v, 26, 0),
    myKeys: userLinked,
    // 10 keys per user on 25.04-25.10 (pam_tdb); no limit before (no owners) or from 26.0.
    maxKeysPerUser: userLinked && !atLeast(v, 26, 0) ? 10 : null,
    // A key acts with its owner's roles from 25.04 (truenas-accounts.md §1).
    scopedKeys: userLinked,
    // audit.query exists from 24.04 (22.02 has no audit log); 24.10 sessions carry
    // credentials_data.api_key {id,name} (MW@TS-24.10.2.4:plugins/auth.py dump); 22.02's do not.
    keyUsage: atLeast(v, 24, 4),
    keySessions: atLeast(v, 24, 4),
    // auth.terminate_session: 24.04+ (MW@TS-24.10.2.4:plugins/auth.py; absent on 22.02).
    endSessions: atLeast(v, 24, 4),
    // keyhash is in the 25.04/25.10 entry (full admins see it); 26.0 replaced it with SCRAM material.
    keyHashScheme: userLinked && !atLeast(v, 26, 0),
    nextUpgrade: nextUpgradeFor(v.short),
  };
}
