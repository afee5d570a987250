import type {
  ApiKey,
  ConnectionState,
  CreateKeyInput,
  EndSessionsResult,
  HostCapabilities,
  KeyChange,
  KeySession,
  KeySessionsReport,
  KeyUsageReport,
  UpgradeReadiness,
  KeyOwner,
  KeyPage,
  KeyPageRequest,
  KeyWithSecret,
  UpdateKeyInput,
} from '../model/api-key.js';
import type { RoleInfo, ScopedKeyInput, ScopedKeyPlan, ScopedKeyResult } from '../model/scoped-key.js';

/**
 * What `api-key-manager` needs from a NAS. Host apps inject an implementation: the adapter over
 * the TrueNAS connection library (`createTrueNasService`), the extension's background proxy, or
 * a test double. Errors thrown should have a human `message`; field problems implement
 * `HasFieldErrors` so the form can place them.
 */
export interface ApiKeyService {
  capabilities(): Promise<HostCapabilities>;
  /** All keys; the table sorts and filters them itself. */
  list(): Promise<ApiKey[]>;
  /** One page, sorted and filtered by the NAS where it can (for tables too large to load whole). */
  listPage?(request: KeyPageRequest): Promise<KeyPage>;
  create(input: CreateKeyInput): Promise<KeyWithSecret>;
  update(id: number, input: UpdateKeyInput): Promise<ApiKey>;
  /**
   * New secret for an existing key; also un-revokes a revoked key. `changes` (name, expiry,
   * allowlist) are applied in the same call, so an edit-with-reset is one atomic step.
   */
  reset(id: number, changes?: Omit<UpdateKeyInput, 'reset'>): Promise<KeyWithSecret>;
  delete(id: number): Promise<void>;
  /** Users who can own keys (25.04+), optionally filtered by a search text. Empty before 25.04. */
  users(search?: string): Promise<KeyOwner[]>;
  /** Username of the signed-in user, the default key owner; null when unknown. */
  currentUsername(): Promise<string | null>;
  /** Live changes; returns an unsubscribe function. */
  subscribe(listener: (change: KeyChange) => void): () => void;
  /**
   * Connection state as it changes: calls `listener` at once with the current state and again on
   * every change; returns an unsubscribe function. Optional: services without a connection omit it.
   */
  watchConnection?(listener: (state: ConnectionState) => void): () => void;
  /** URL of the host's API documentation (`/api/docs`), if known. */
  readonly apiDocsUrl?: string | null;

  // Issue 12: scoped keys, usage, sessions, upgrade readiness. Each is optional; a host that lacks
  // the feature says so in `capabilities()` (see `featureUnavailableReason`), and the UI hides it.

  /**
   * Last successful sign-in per key from one audit query (24.10+). Never throws for a missing role
   * or an old version: the report says `not-permitted` / `unsupported`.
   */
  keyUsage?(): Promise<KeyUsageReport>;
  /** Open sessions of every key, grouped by key id, from one call (24.10+); a report, never a throw for a missing role. */
  allKeySessions?(): Promise<KeySessionsReport>;
  /** Open sessions of one key (empty where sessions carry no key id). */
  keySessions?(id: number): Promise<KeySession[]>;
  /** Ends the key's open sessions, never the caller's own; says how many were ended. */
  endKeySessions?(id: number): Promise<EndSessionsResult>;
  /** Roles a custom scoped key may pick from (`privilege.roles`, 25.04+); the refused ones are left out. */
  availableRoles?(): Promise<RoleInfo[]>;
  /** What a scoped key will create, before anything is (throws ScopedKeyInputError with field errors). */
  planScopedKey?(input: ScopedKeyInput): Promise<ScopedKeyPlan>;
  /**
   * Runs a plan: on a failed step, what it created is removed again and the error implements
   * `ScopedKeyFailure` (`scopedKeyFailureOf(error)`). The secret is returned once, like `create`.
   */
  createScopedKey?(plan: ScopedKeyPlan): Promise<ScopedKeyResult>;
  /** Keys the next major upgrade would revoke, with the reason and the fix. */
  upgradeRisks?(): Promise<UpgradeReadiness>;
}
