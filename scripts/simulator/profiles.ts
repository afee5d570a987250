/**
 * The TrueNAS releases the simulator can impersonate. Behaviour switches on `profile.n`, a
 * sortable number (22.02 -> 2202, 25.10 -> 2510), so rules read like the spec: `p.n >= 2504`.
 */

export type ProfileName = '22.02' | '24.10' | '25.04' | '25.10' | '26.0';
export const PROFILES: readonly ProfileName[] = ['22.02', '24.10', '25.04', '25.10', '26.0'];
export const DEFAULT_PROFILE: ProfileName = '25.10';

export interface Profile {
  name: ProfileName;
  /** Sortable version number: 2202, 2410, 2504, 2510, 2600. */
  n: number;
  /** The exact release the profile reproduces (truenas-api.md §0 tags). */
  release: string;
  /** `system.version`. */
  version: string;
  /** `system.version_short` (22.12+). */
  versionShort: string;
  /** `GET /api/versions` (25.04+), newest last. */
  apiVersions: string[];
}

const V2504 = ['v25.04.0', 'v25.04.1', 'v25.04.2'];
const V2510 = [...V2504, 'v25.10.0', 'v25.10.1', 'v25.10.2', 'v25.10.3', 'v25.10.4', 'v25.10.5'];

const TABLE: Record<ProfileName, Profile> = {
  '22.02': { name: '22.02', n: 2202, release: '22.02.4', version: 'TrueNAS-SCALE-22.02.4', versionShort: '22.02.4', apiVersions: [] },
  '24.10': { name: '24.10', n: 2410, release: '24.10.2.4', version: 'TrueNAS-SCALE-24.10.2.4', versionShort: '24.10.2.4', apiVersions: [] },
  '25.04': { name: '25.04', n: 2504, release: '25.04.2.6', version: 'TrueNAS-25.04.2.6', versionShort: '25.04.2.6', apiVersions: V2504 },
  '25.10': { name: '25.10', n: 2510, release: '25.10.6', version: 'TrueNAS-25.10.6', versionShort: '25.10.6', apiVersions: V2510 },
  '26.0': {
    name: '26.0',
    n: 2600,
    release: '26.0.0-BETA.3',
    version: 'TrueNAS-26.0.0-BETA.3',
    versionShort: '26.0.0-BETA.3',
    // 26.0.0-BETA.3 has api/v25_10_0…v25_10_4 and v26_0_0: no v25.10.5 (MW@TS-26.0.0-BETA.3:api/).
    apiVersions: [...V2510.filter((v) => v !== 'v25.10.5'), 'v26.0.0'],
  },
};

export function getProfile(name: ProfileName): Profile {
  return TABLE[name];
}

export function isProfileName(value: unknown): value is ProfileName {
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value);
}

/**
 * The API era a pinned endpoint speaks, as a profile number: `/api/v25.04.2` -> 2504.
 * `/api/v24.10` is the hidden compatibility route; it defines only cloud_sync models, so
 * guess: for API keys it behaves like the current API. Returns undefined for unknown versions.
 */
export function pinnedApiEra(profile: Profile, version: string): number | undefined {
  if (version === 'v24.10') return profile.n >= 2504 ? profile.n : undefined;
  if (!profile.apiVersions.includes(version)) return undefined;
  const [, major, minor] = /^v(\d+)\.(\d+)/.exec(version) ?? [];
  return Number(major) * 100 + Number(minor);
}
