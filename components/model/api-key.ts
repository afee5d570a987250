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
