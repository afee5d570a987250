/**
 * The one message protocol between extension pages (popup, options) and the background.
 *
 * - Requests go page → background with `runtime.sendMessage`. Only the background registers a
 *   `runtime.onMessage` listener, so a request reaches nobody else; the reply goes back to the
 *   page that asked and to no one else. That reply is the only way a secret leaves the background.
 * - Pushes (background → pages) go over a `runtime.connect` port named `events` and never carry
 *   secrets (see {@link PushEvent}).
 * - The offscreen document (Chrome) talks to the background over its own port, `offscreen`.
 *
 * Each entry of {@link ProtocolMap} is `type: { request; response }`; the discriminated unions
 * below are derived from it, so sender and router agree at compile time.
 */
import type { ApiKey, ApiKeyRow, ConnectionState, CreateKeyInput, FieldError, HostCapabilities, KeyChange, KeyOwner, KeyWithSecret, Protocol, SecretStorage, UpdateKeyInput } from '../../components/model/api-key.js';
import type { EndSessionsResult, KeySession, KeySessionsReport, KeyUsageReport } from '../../components/model/api-key.js';
import type { RoleInfo, ScopedKeyFailure, ScopedKeyInput, ScopedKeyPlan, ScopedKeyResult } from '../../components/model/scoped-key.js';
import type { HostAddress } from './hosts.js';
import type { Settings } from './settings.js';
import type { FirstPaint } from './first-paint.js';

/** How a saved host logs in. Credentials themselves live only in the vault. */
export type LoginMethod = 'apiKey' | 'password';

/** A saved NAS host as pages see it: no credentials. */
export interface SavedHost {
  id: string;
  name: string;
  /** Normalised address (scheme, host, port), e.g. `https://nas.local` or `http://127.0.0.1:8080`. */
  address: string;
  login: LoginMethod;
  /** Username for password logins (and the key owner hint); null for plain API-key logins. */
  username: string | null;
  /** Detected by the last successful connection; null until then. */
  version: string | null;
  protocol: Protocol | null;
  /** The user accepted the plain-transport warning for an `http://`/`ws://` remote address. */
  allowInsecure: boolean;
  /** The vault holds a credential for this host. */
  hasCredential: boolean;
  addedAt: number;
}

/** Input of hosts.save: a new host (no id) or changes to one (id). */
export interface HostInput {
  id?: string;
  name: string;
  address: string;
  login: LoginMethod;
  username?: string | null;
  /** API key or password; omit when editing to keep the stored one. */
  secret?: string;
  allowInsecure?: boolean;
  /** One-time code, when the NAS asked for one (password logins with two-factor authentication). */
  otp?: string;
  /** Honest state (issue 10): save without testing the sign-in first (the NAS is offline now). */
  saveAnyway?: boolean;
}

/** Reply of hosts.save: the saved host and what the sign-in test found (null when saved anyway). */
export interface HostSaveResult {
  host: SavedHost;
  report: ConnectionReport | null;
}

export interface VaultState {
  /** A vault exists (a passphrase was set). */
  initialized: boolean;
  locked: boolean;
  /** Epoch ms when the vault locks itself, or null (locked, or auto-lock off). */
  autoLockAt: number | null;
}

/** What "Test connection" found, phrased for a person; `outcome` says which case. */
export type ConnectionOutcome =
  | 'ok'
  | 'unreachable'
  | 'certificate'
  | 'auth-failed'
  | 'otp-required'
  | 'rate-limited'
  | 'key-revoked'
  | 'key-expired'
  | 'insecure-refused'
  | 'permission-missing'
  | 'locked'
  | 'error';

export interface ConnectionReport {
  outcome: ConnectionOutcome;
  /** Human explanation of what happened (localised by the background's caller, see `messageKey`). */
  message: string;
  version: string | null;
  protocol: Protocol | null;
  /** For `certificate`: the page to open so the user can accept the certificate. */
  openUrl: string | null;
}

/** Live state of one host in a multi-host view. */
export interface HostStatus {
  hostId: string;
  /**
   * `idle` (no connection), `ready` (cached data shown, fleet), `error` (the last attempt failed),
   * or the live connection's state (issue 10, honest state): `connecting`, `signed-in`,
   * `reconnecting`, `offline`.
   */
  state: 'idle' | 'ready' | 'error' | ConnectionState;
  error: WireError | null;
}

/** One key on one host with its vault and drift marks (All hosts view). */
export interface FleetRow extends ApiKeyRow {
  hostId: string;
  hostName: string;
}

export interface FleetResult {
  rows: FleetRow[];
  hosts: HostStatus[];
  refreshedAt: number;
}

/**
 * A stored key compared with the live NAS: `present` (the NAS has a key with that id; the secret
 * was not checked), `verified` (a sign-in with the stored secret worked), `reset-elsewhere` (the
 * NAS has the key but the stored secret no longer signs in: someone reset it elsewhere),
 * `missing` (the NAS no longer has it), `revoked`, or `unknown` (host not saved or not reachable).
 */
export type DriftState = 'present' | 'verified' | 'reset-elsewhere' | 'missing' | 'revoked' | 'unknown';

/** A stored key as the vault view lists it: never the secret. */
export interface VaultKeyView {
  id: string;
  /** The NAS origin the key belongs to. */
  host: string;
  /** The saved host with that origin, if any. */
  hostId: string | null;
  hostName: string | null;
  keyId: number | null;
  name: string;
  notes: string;
  source: 'create' | 'reset' | 'manual';
  /** When the current secret was stored. */
  storedAt: number;
  updatedAt: number;
  /** Superseded secrets kept as history (dates only). */
  history: Array<{ storedAt: number; supersededAt: number }>;
  drift: DriftState;
  /** Why the drift is `unknown`, when there is a reason worth showing. */
  driftNote: string | null;
}

/** A vault entry that fails its integrity check: its store and opaque id (nothing else can be read). */
export interface VaultDamagedEntry {
  store: 'keys' | 'hosts';
  id: string;
}

/** An encrypted export: the file, what it holds, and what it could NOT include. */
export interface VaultExportResult {
  fileName: string;
  content: string;
  keys: number;
  hosts: number;
  /** Damaged entries left out of the file; empty for a complete backup. */
  damaged: VaultDamagedEntry[];
}

export type VaultImportAction = 'add' | 'replace' | 'skip';

/** What an import would do (nothing written yet). Hosts and names come from the file: show them as text. */
export interface VaultImportPreview {
  exportedAt: number;
  keys: Array<{ host: string; keyId: number | null; name: string; action: VaultImportAction }>;
  hosts: Array<{ host: string; action: VaultImportAction }>;
  counts: Record<VaultImportAction, number>;
}

export interface QuickResetResult {
  /** The key as read back from the NAS after the reset (it may still be revoked: see `stillRevoked`). */
  key: ApiKey;
  /** Vault entry the new secret went into; null when the vault did not take it (see `stored`). */
  vaultEntryId: string | null;
  /** Whether the vault kept the new secret, and why not. */
  stored: SecretStorage;
  /** Whether the clipboard got it, when it is cleared (epoch ms, or null if never), and why not. */
  copied: { ok: true; clearsAt: number | null } | { ok: false; reason: string };
  /** Same as `copied.clearsAt` (null when not copied). */
  clipboardClearsAt: number | null;
  /** The key was revoked before the reset. */
  wasRevoked: boolean;
  revokedReason: string | null;
  /** An earlier secret was moved to history. */
  supersededPrevious: boolean;
  /**
   * The new secret, only when the vault or the clipboard did not take it: then the page must show
   * it, since the NAS never shows it again.
   */
  secret?: string;
}

/** A created or reset key as the background returns it. */
export type DeliveredKey = KeyWithSecret & { stored: SecretStorage; vaultEntryId: string | null; supersededPrevious: boolean };

/** A report whose maps cross the message boundary as entry lists (messages carry JSON only). */
export type OverTheWire<T> = T extends { status: 'ok' } ? { [K in keyof T]: T[K] extends Map<infer I, infer V> ? Array<[I, V]> : T[K] } : T;

/** A scoped key as the background returns it: what was created, and where the secret went. */
export type DeliveredScopedKey = ScopedKeyResult & Pick<DeliveredKey, 'stored' | 'vaultEntryId' | 'supersededPrevious'>;

export interface ProtocolMap {
  'app.state': { request: null; response: { vault: VaultState; hosts: SavedHost[]; settings: Settings } };
  'settings.update': { request: Partial<Settings>; response: Settings };

  'vault.setup': { request: { passphrase: string }; response: VaultState };
  'vault.unlock': { request: { passphrase: string }; response: VaultState };
  'vault.lock': { request: null; response: VaultState };
  'vault.list': { request: { live?: boolean }; response: VaultKeyView[] };
  'vault.verify': { request: { ids?: string[] }; response: VaultKeyView[] };
  'vault.reveal': { request: { id: string }; response: { secret: string } };
  'vault.copy': { request: { id: string }; response: { clearsAt: number | null } };
  'vault.update': { request: { id: string; notes?: string; name?: string }; response: VaultKeyView };
  'vault.delete': { request: { id: string }; response: null };
  'vault.export': { request: { passphrase: string }; response: VaultExportResult };
  'vault.import': { request: { content: string; passphrase: string }; response: { added: number; updated: number; unchanged: number } };
  // Vault: damage, import preview, passphrase change (issue 9, vault area).
  'vault.importPreview': { request: { content: string; passphrase: string }; response: VaultImportPreview };
  'vault.changePassphrase': { request: { current: string; next: string }; response: null };
  'vault.damaged': { request: null; response: VaultDamagedEntry[] };
  'vault.deleteDamaged': { request: VaultDamagedEntry; response: null };

  'hosts.parse': { request: { address: string }; response: HostAddress };
  'hosts.save': { request: HostInput; response: HostSaveResult };
  'hosts.remove': { request: { id: string }; response: null };
  'hosts.test': { request: { id: string } | { input: HostInput }; response: ConnectionReport };
  'hosts.otp': { request: { id: string; otp: string }; response: ConnectionReport };

  'keys.capabilities': { request: { hostId: string; cached?: boolean }; response: HostCapabilities };
  'keys.list': { request: { hostId: string; cached?: boolean }; response: { keys: ApiKey[]; fetchedAt: number; cached: boolean } };
  'keys.create': { request: { hostId: string; input: CreateKeyInput }; response: DeliveredKey };
  'keys.update': { request: { hostId: string; id: number; input: UpdateKeyInput }; response: ApiKey };
  'keys.reset': { request: { hostId: string; id: number; changes?: Omit<UpdateKeyInput, 'reset'> }; response: DeliveredKey };
  'keys.delete': { request: { hostId: string; id: number }; response: null };
  'keys.users': { request: { hostId: string; search?: string }; response: KeyOwner[] };
  'keys.currentUser': { request: { hostId: string; cached?: boolean }; response: string | null };
  'keys.quickReset': { request: { hostId: string; id: number }; response: QuickResetResult };
  'keys.fleet': { request: { cached?: boolean }; response: FleetResult };
  /** Honest state (issue 10): the host's connection state now; changes follow as host-status pushes. */
  'keys.connection': { request: { hostId: string }; response: ConnectionState };
  /** Last use per key (one audit query), open sessions of all keys (one call), of one key; ending them. */
  'keys.usage': { request: { hostId: string }; response: OverTheWire<KeyUsageReport> };
  'keys.sessions': { request: { hostId: string }; response: OverTheWire<KeySessionsReport> };
  'keys.keySessions': { request: { hostId: string; id: number }; response: KeySession[] };
  'keys.endSessions': { request: { hostId: string; id: number }; response: EndSessionsResult };
  /** Scoped keys (25.04+): the roles a custom one may take, the plan, and the run (its new secret goes to the vault). */
  'keys.roles': { request: { hostId: string }; response: RoleInfo[] };
  'keys.planScoped': { request: { hostId: string; input: ScopedKeyInput }; response: ScopedKeyPlan };
  'keys.createScoped': { request: { hostId: string; input: ScopedKeyInput; plan: ScopedKeyPlan }; response: DeliveredScopedKey };

  'clipboard.copy': { request: { text: string }; response: { clearsAt: number | null } };
  'clipboard.clear': { request: null; response: null };

  /** The popup's picture for its next opening (shared/first-paint.ts; checked, never a secret). */
  'popup.firstPaint': { request: FirstPaint; response: null };
}

export type MessageType = keyof ProtocolMap;
export type RequestOf<K extends MessageType> = ProtocolMap[K]['request'];
export type ResponseOf<K extends MessageType> = ProtocolMap[K]['response'];

/** A request on the wire: the discriminated union over every message type. */
export type Request = { [K in MessageType]: { channel: typeof CHANNEL; type: K; payload: RequestOf<K> } }[MessageType];

/** An error as it crosses the message boundary: a human message, a stable code, field problems. Never a secret. */
export interface WireError {
  code: ErrorCode;
  message: string;
  fieldErrors?: FieldError[];
  /** For errors the user can act on in the browser (e.g. open the NAS page to accept its certificate). */
  openUrl?: string;
  /** A scoped key that stopped part way: which step, why, and what is still on the NAS. */
  scopedFailure?: ScopedKeyFailure;
}

export type ErrorCode =
  | 'bad-request'
  | 'forbidden'
  | 'locked'
  | 'no-vault'
  | 'wrong-passphrase'
  | 'not-found'
  | 'permission-missing'
  | 'insecure-refused'
  | 'unreachable'
  | 'certificate'
  | 'auth-failed'
  | 'otp-required'
  | 'rate-limited'
  | 'key-revoked'
  | 'nas-error'
  | 'clipboard'
  | 'internal';

export type Reply<K extends MessageType> = { ok: true; value: ResponseOf<K> } | { ok: false; error: WireError };

/** Marks our requests so anything else arriving on the runtime channel is ignored. */
export const CHANNEL = 'nkm/1' as const;

/** Pushes on the `events` port. Never secrets: ids, states and counts only. */
export type PushEvent =
  | { type: 'vault'; state: VaultState }
  | { type: 'hosts'; hosts: SavedHost[] }
  | { type: 'settings'; settings: Settings }
  | { type: 'host-status'; status: HostStatus }
  | { type: 'progress'; operation: string; done: number; total: number }
  | { type: 'keys-changed'; hostId: string; change?: KeyChange };

export const EVENTS_PORT = 'events';
export const OFFSCREEN_PORT = 'offscreen';

/** Background ↔ offscreen document (Chrome), over the `offscreen` port. */
export type OffscreenRequest =
  | { id: number; op: 'write'; text: string }
  | { id: number; op: 'read' };
export interface OffscreenReply {
  id: number;
  ok: boolean;
  /** For `read`: the clipboard text, or null when the browser does not let us read it. */
  text?: string | null;
  error?: string;
}

/** Every message type the background accepts; a Record so a new type cannot be forgotten here. */
const TYPES: Record<MessageType, true> = {
  'app.state': true,
  'settings.update': true,
  'vault.setup': true,
  'vault.unlock': true,
  'vault.lock': true,
  'vault.list': true,
  'vault.verify': true,
  'vault.reveal': true,
  'vault.copy': true,
  'vault.update': true,
  'vault.delete': true,
  'vault.export': true,
  'vault.import': true,
  'vault.importPreview': true,
  'vault.changePassphrase': true,
  'vault.damaged': true,
  'vault.deleteDamaged': true,
  'hosts.parse': true,
  'hosts.save': true,
  'hosts.remove': true,
  'hosts.test': true,
  'hosts.otp': true,
  'keys.capabilities': true,
  'keys.list': true,
  'keys.create': true,
  'keys.update': true,
  'keys.reset': true,
  'keys.delete': true,
  'keys.users': true,
  'keys.currentUser': true,
  'keys.quickReset': true,
  'keys.fleet': true,
  'keys.connection': true,
  'keys.usage': true,
  'keys.sessions': true,
  'keys.keySessions': true,
  'keys.endSessions': true,
  'keys.roles': true,
  'keys.planScoped': true,
  'keys.createScoped': true,
  'clipboard.copy': true,
  'clipboard.clear': true,
  'popup.firstPaint': true,
};

export function isRequest(message: unknown): message is Request {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { channel?: unknown; type?: unknown };
  return m.channel === CHANNEL && typeof m.type === 'string' && Object.hasOwn(TYPES, m.type);
}
