/**
 * The one API-key model the UI uses, whatever TrueNAS version a key came from.
 * The connection library normalises every era (22.02 allowlisted keys, 25.04+ user-linked keys,
 * 25.10 revoked_reason, 26.0 SCRAM material) into these shapes. Pure data: no Lit, no transport.
 */

/** Methods of a legacy (22.02-24.10) allowlist entry. */
export const ALLOWLIST_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'CALL', 'SUBSCRIBE', '*'] as const;
export type AllowlistMethod = (typeof ALLOWLIST_METHODS)[number];

export interface AllowlistEntry {
  method: AllowlistMethod;
  /** A method or event name (CALL/SUBSCRIBE), a REST path, or a `*` wildcard pattern. */
  resource: string;
}

export interface ApiKey {
  id: number;
  name: string;
  /** Owner's username; null before 25.04 (no owner concept) or when the owner no longer resolves (25.10+). */
  username: string | null;
  /** `user_identifier` as the NAS reports it (row id, SID or "LEGACY_API_KEY"); null before 25.04. */
  userIdentifier: number | string | null;
  /** True when the owner is a local account; null when the NAS does not say (before 25.04). */
  local: boolean | null;
  /** Creation time in epoch milliseconds; null if the NAS did not report one. */
  createdAt: number | null;
  /** Expiry in epoch milliseconds; null means the key never expires. */
  expiresAt: number | null;
  revoked: boolean;
  /** Why the key was revoked (25.10+); may stay set after a reset un-revokes the key. */
  revokedReason: string | null;
  /** Legacy allowlist (22.02-24.10); null on 25.04+. */
  allowlist: AllowlistEntry[] | null;
  /**
   * How the NAS stores the key's hash (25.04/25.10, full admins only): `pbkdf2-sha256` was carried
   * over from 22.02/24.10 and makes the key die at the upgrade to 26. Null when masked or unknown;
   * absent where the version has no `keyhash`. The hash itself never enters the model.
   */
  hashScheme?: HashScheme | null;
  /** The owner's effective access (the key's blast radius), when the service could read it. */
  access?: KeyAccess;
}

/** Hash families of `keyhash` (MW@TS-25.10.6:utils/crypto.py; 26 drops keyhash for SCRAM material). */
export type HashScheme = 'pbkdf2-sha256' | 'pbkdf2-sha512';

/**
 * A compact blast-radius label. From the owner's roles (25.04+): `full-admin`, `read-only`,
 * `replication`, `snapshots`, `sharing`, `custom` (see `roles`) or `none`. From a legacy
 * allowlist (22.02-24.10): `full` for `*`/`*`, else `restricted`. `unknown`: the owner could not be
 * read (a directory user, or no permission to read accounts).
 */
export type KeyAccessSummary = 'full-admin' | 'read-only' | 'replication' | 'snapshots' | 'sharing' | 'custom' | 'none' | 'full' | 'restricted' | 'unknown';

export interface KeyAccess {
  summary: KeyAccessSummary;
  source: 'roles' | 'allowlist' | 'unknown';
  /** The owner's roles (source `roles`), sorted; empty otherwise. */
  roles: string[];
  /** The holder may manage every user's keys (FULL_ADMIN or API_KEY_WRITE): worth a warning. */
  managesKeys: boolean;
}

/** A key row, optionally tagged with the host it belongs to (multi-host views). */
export interface ApiKeyRow extends ApiKey {
  /** Stable identifier of the host the key lives on, for multi-host tables. */
  hostId?: string;
  /** Human name of that host. */
  hostName?: string;
}

/** A newly created or reset key: the entry plus its secret, which the NAS returns exactly once. */
export interface KeyWithSecret {
  /** The key as read back from the NAS after the change (its real state, e.g. still revoked). */
  key: ApiKey;
  /**
   * `<id>-<64 alphanumerics>`, or whatever printable form the NAS returned (passed on, not
   * discarded). Handle like a password: never log, persist in clear, or reflect.
   */
  secret: string;
  /**
   * Set by services that keep the secret themselves (e.g. the extension's vault). `saved: false`
   * means keeping it failed after the NAS answered: the secret is still here and must be shown.
   */
  stored?: SecretStorage;
}

/** Whether a service kept a new secret; `reason` is a human message. */
export type SecretStorage = { saved: true } | { saved: false; reason: string };

/**
 * Why a key is unusable, from the NAS's own words: `insecure` (used over plain http/ws: a reset
 * fixes it), `owner-gone` (its user no longer exists: nothing restores it), `expired` (past its
 * expiry: set a new one), `unknown` (revoked without a reason we know).
 */
export type KeyTrouble = 'insecure' | 'owner-gone' | 'expired' | 'unknown';

/** What keeps a key from working, or null when it works. Revocation wins over expiry. */
export function keyTrouble(key: Pick<ApiKey, 'revoked' | 'revokedReason' | 'username' | 'userIdentifier' | 'expiresAt'>, now = Date.now()): KeyTrouble | null {
  if (key.revoked) {
    const reason = (key.revokedReason ?? '').toLowerCase();
    if (reason.includes('insecure transport')) return 'insecure';
    // 25.10+ says so; 25.04 shows an owner that no longer resolves as username "".
    if (reason.includes('user does not exist') || (key.userIdentifier !== null && !key.username)) return 'owner-gone';
    return 'unknown';
  }
  return key.expiresAt !== null && key.expiresAt <= now ? 'expired' : null;
}

export type KeyStatus = 'active' | 'revoked' | 'expired' | 'expiring';

/** Days before expiry at which a key counts as "expiring soon" by default. */
export const EXPIRING_SOON_DAYS = 14;
const DAY_MS = 86_400_000;

/** Derives a key's status at time `now` (epoch ms). Revocation wins over expiry. */
export function keyStatus(key: Pick<ApiKey, 'revoked' | 'expiresAt'>, now = Date.now(), soonDays = EXPIRING_SOON_DAYS): KeyStatus {
  if (key.revoked) return 'revoked';
  if (key.expiresAt !== null) {
    if (key.expiresAt <= now) return 'expired';
    if (key.expiresAt - now <= soonDays * DAY_MS) return 'expiring';
  }
  return 'active';
}

/** A user who may own keys (25.04+), as the owner picker shows them. */
export interface KeyOwner {
  /** `account.bsdusers` row id (what `user_identifier` holds for local users). */
  id: number;
  uid: number;
  username: string;
  fullName: string;
  roles: string[];
  local: boolean;
  builtin: boolean;
  locked: boolean;
}

export type Protocol = 'jsonrpc' | 'legacy';

/**
 * How a service's connection to its NAS stands, for a visible state indicator: `connecting` (first
 * connect or sign-in under way), `signed-in` (calls go through), `reconnecting` (the socket dropped
 * and a new attempt is under way or scheduled), `offline` (the NAS cannot be reached now).
 */
export type ConnectionState = 'connecting' | 'signed-in' | 'reconnecting' | 'offline';

/** What a host can do, detected from its version and answers; forms switch on these, never on guesses. */
export interface HostCapabilities {
  /** Short version, e.g. "25.10.6" or "22.02.4". */
  version: string;
  protocol: Protocol;
  /** Keys belong to users and may expire (25.04+). */
  userLinkedKeys: boolean;
  /** Keys carry an allowlist (22.02-24.10). */
  allowlist: boolean;
  /** Entries carry `revoked_reason` (25.10+). */
  revokedReason: boolean;
  /** SCRAM-SHA-512 login for keys (26.0+). */
  scram: boolean;
  /** `api_key.my_keys` exists (25.04+). */
  myKeys: boolean;
  /** Most keys one user may hold, or null when unlimited (the limit is 10 on 25.04-25.10). */
  maxKeysPerUser: number | null;
  /** Keys scoped through a service account's privilege (25.04+: a key acts with its owner's roles). */
  scopedKeys?: boolean;
  /** Last use per key from the audit log (24.10+; 22.02 has no audit log). */
  keyUsage?: boolean;
  /** Open sessions can be told apart per key (24.10+; 22.02's sessions carry no key id). */
  keySessions?: boolean;
  /** Sessions can be ended (`auth.terminate_session`, 24.04+). */
  endSessions?: boolean;
  /** Key entries show their hash scheme to full admins (25.04/25.10). */
  keyHashScheme?: boolean;
  /** The next major upgrade and what it does to keys; null when none is known. */
  nextUpgrade?: UpgradePath | null;
}

/** Why an upgrade revokes a key: the 25.04 migration drops allowlists; 26 drops pbkdf2-sha256 hashes. */
export type UpgradeRiskReason = 'allowlist-dropped' | 'sha256-hash';

export interface UpgradePath {
  /** The release the upgrade lands on, e.g. "25.04" or "26.0". */
  target: string;
  /** What the upgrade checks on each key. */
  revokes: UpgradeRiskReason;
}

/** One field-level problem reported by the NAS, e.g. path `api_key_create.name`. */
export interface FieldError {
  /** The NAS attribute path as sent (`api_key_create.name`, `api_key_create`, or null). */
  path: string | null;
  /** The form field it belongs to (`name`, `username`, `expiresAt`, `allowlist`), or null for form-level. */
  field: string | null;
  message: string;
  errno: number | null;
}

/** Errors that carry field problems implement this; forms place each message on its field. */
export interface HasFieldErrors {
  readonly fieldErrors: readonly FieldError[];
}

export function fieldErrorsOf(error: unknown): readonly FieldError[] {
  if (typeof error === 'object' && error !== null && Array.isArray((error as Partial<HasFieldErrors>).fieldErrors)) {
    return (error as HasFieldErrors).fieldErrors;
  }
  return [];
}

/** Input for creating a key. `username`/`expiresAt` apply on 25.04+, `allowlist` on 22.02-24.10. */
export interface CreateKeyInput {
  name: string;
  username?: string;
  expiresAt?: number | null;
  allowlist?: AllowlistEntry[];
}

/** Input for editing a key. Set `reset` to get a new secret (this also un-revokes a revoked key). */
export interface UpdateKeyInput {
  name?: string;
  expiresAt?: number | null;
  allowlist?: AllowlistEntry[];
  reset?: boolean;
}

export type SortDirection = 'asc' | 'desc';
export type KeySortField = 'name' | 'username' | 'local' | 'status' | 'createdAt' | 'expiresAt' | 'host';

/** A server-side page request (maps to `api_key.query` order_by/limit/offset/count). */
export interface KeyPageRequest {
  offset: number;
  limit: number;
  sort?: { field: KeySortField; direction: SortDirection } | null;
  /** Case-insensitive text matched against name and username. */
  search?: string;
  status?: KeyStatus | null;
  /** With `status: 'expiring'`: the window in days (default EXPIRING_SOON_DAYS). */
  expiringWithinDays?: number;
}

export interface KeyPage {
  rows: ApiKeyRow[];
  /** Total rows matching the request's filters. */
  total: number;
}

/** A live change to the key list. */
export type KeyChange =
  | { type: 'added' | 'changed'; key: ApiKey }
  | { type: 'removed'; id: number };

/** A feature of issue 12 that a host may lack; see `HostCapabilities`. */
export type KeyFeature = 'scopedKeys' | 'keyUsage' | 'keySessions' | 'endSessions' | 'keyHashScheme';

/** Why `feature` is unavailable on this host, for a hint in place of the control; null when available. */
export function featureUnavailableReason(caps: HostCapabilities, feature: KeyFeature): string | null {
  if (caps[feature] === true) return null;
  const v = caps.version;
  switch (feature) {
    case 'scopedKeys':
      return `On TrueNAS ${v} a key is limited by its allowlist; keys limited by a service account's roles need 25.04 or newer.`;
    case 'keyUsage':
      return `TrueNAS ${v} keeps no audit log of sign-ins, so when a key was last used is not known (24.10 and newer record it).`;
    case 'keySessions':
      return `TrueNAS ${v} does not say which key opened a session, so open sessions cannot be shown per key (24.10 and newer do).`;
    case 'endSessions':
      return `TrueNAS ${v} cannot end another session from the API (24.10 and newer can).`;
    case 'keyHashScheme':
      return `TrueNAS ${v} does not show how keys are stored, so nothing here depends on it.`;
  }
}

/** Last successful sign-in with one key, from the audit log. */
export interface KeyLastUse {
  /** Epoch milliseconds. */
  at: number;
  /** Client address the NAS recorded, or null. */
  address: string | null;
}

/**
 * Usage for a host's keys: `ok` with the last use per key id (absent = no record in the window),
 * `not-permitted` (the account lacks the audit read role), `unsupported` (no audit log on this
 * version), or `failed` with a human reason. The window is the audit retention, or shorter when
 * the answer was cut at its row limit (`since` then says from when the records reach back).
 */
export type KeyUsageReport =
  | { status: 'ok'; lastUse: Map<number, KeyLastUse>; since: number; retentionDays: number; retentionKnown: boolean; complete: boolean }
  | { status: 'not-permitted'; reason: string }
  | { status: 'unsupported'; reason: string }
  | { status: 'failed'; reason: string };

/** One open session signed in with a key. */
export interface KeySession {
  /** Session id as the NAS names it (for ending it). */
  id: string;
  keyId: number;
  /** "address:port" or a unix socket path, as the NAS reports it; null if absent. */
  origin: string | null;
  /** Epoch ms of the sign-in (25.04+ `login_at`, else `created_at`); null if absent. */
  loginAt: number | null;
  /** The caller's own session: never ended by `endKeySessions`. */
  current: boolean;
  /** 25.04+: the session came over TLS, a unix socket or loopback; null when not reported. */
  secureTransport: boolean | null;
}

export type KeySessionsReport =
  | { status: 'ok'; byKey: Map<number, KeySession[]> }
  | { status: 'not-permitted'; reason: string }
  | { status: 'unsupported'; reason: string }
  | { status: 'failed'; reason: string };

/** What ending a key's sessions did. `keptCurrent`: the caller's own session used that key and was left open. */
export interface EndSessionsResult {
  ended: number;
  keptCurrent: boolean;
  /** Sessions that could not be ended (already gone is not a failure). */
  failed: number;
}

/** One key that an upgrade would revoke, and what fixes it. */
export interface UpgradeRisk {
  keyId: number;
  keyName: string;
  reason: UpgradeRiskReason;
  /** The release whose upgrade revokes it, e.g. "25.04". */
  target: string;
  /** `reset` always works (a new secret, stored with the new hash); `use-once` (sha256 only): one sign-in on 25.x rewrites the hash. */
  fixes: Array<'reset' | 'use-once'>;
}

export interface UpgradeReadiness {
  /** The next upgrade, or null when none is known (nothing is at risk then). */
  target: string | null;
  risks: UpgradeRisk[];
  /** Keys whose hash could not be read (not a full admin): the sha256 check could not cover them. */
  unchecked: number;
}
