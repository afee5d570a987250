/**
 * The encrypted key vault: envelope encryption over IndexedDB (see docs/vault.md).
 *
 * One instance belongs to the extension background (service worker / event page); pages reach it by
 * messages. Every method is safe to call from several instances on the same database at once: each
 * change is one IndexedDB transaction that only lands if the records it read are unchanged.
 */
import { fromBase64, randomBytes, sameBytes, toBase64, toBase64Url, zero } from './codec.js';
import {
  derivePassphraseKeys,
  enforceKdfFloor,
  importSessionKey,
  newDataKey,
  newIndexKey,
  newKdfParams,
  openJson,
  passphraseBytes,
  requestedIterations,
  sealJson,
  unwrapDataKey,
  unwrapIndexKey,
  wrapKey,
  type PassphraseKeys,
} from './crypto.js';
import { deleteVaultDb, openVaultDb, toVaultError, type RecordRow, type RecordStore, type VaultDatabase } from './db.js';
import {
  ConfirmationRequiredError,
  ImportFormatError,
  UnlockThrottledError,
  VaultConflictError,
  VaultError,
  VaultExistsError,
  VaultInputError,
  VaultLockedError,
  VaultNotFoundError,
  VaultTamperedError,
  WrongPassphraseError,
  type LockReason,
} from './errors.js';
import { openEncryptedExport, parseExportFile, writeEncryptedExport, writePlaintextExport, type ExportContents } from './export-format.js';
import { WRAP_AAD, newHeader, parseHeader, withChecksum, type HeaderRow } from './header.js';
import {
  checkHost,
  checkHostAuth,
  checkKeyId,
  checkKeyPatch,
  checkSaveKeyInput,
  type HostAuth,
  type HostCredential,
  type KeyPatch,
  type SaveKeyInput,
  type StoredApiKey,
  type VaultList,
} from './model.js';
import {
  PAYLOAD_VERSION,
  applySave,
  fromV1,
  hostRecordId,
  isHostPayload,
  isKeyPayload,
  isKeyPayloadV1,
  keyRecordId,
  mergeKeys,
  recordAad,
  samePayload,
  type HostPayload,
  type KeyPayload,
} from './records.js';
import type { SessionSnapshot, SessionStore } from './session-store.js';

export type { LockReason } from './errors.js';

/** Idle time before the vault locks itself, unless changed with {@link Vault.setAutoLockDelay}. */
export const DEFAULT_AUTO_LOCK_MS = 15 * 60_000;
/** Bounds of the idle time (a null delay turns idle locking off). */
export const AUTO_LOCK_MIN_MS = 1_000;
export const AUTO_LOCK_MAX_MS = 30 * 86_400_000;

/** Wrong passphrases allowed before attempts are slowed; then 1 s, 2 s, 4 s, 8 s, 16 s, and 30 s from then on. */
export const THROTTLE_FREE_ATTEMPTS = 3;
const THROTTLE_BASE_MS = 1_000;
/** The longest the owner ever waits after wrong passphrases. */
export const THROTTLE_MAX_MS = 30_000;

/** The confirmation {@link Vault.exportPlaintext} requires, word for word. */
export const PLAINTEXT_EXPORT_CONFIRMATION = 'I understand this file is not encrypted';

const WRITE_ATTEMPTS = 12;

/** How long the next unlock attempt is refused after `failures` consecutive wrong passphrases. */
export function throttleDelayMs(failures: number): number {
  if (failures <= THROTTLE_FREE_ATTEMPTS) return 0;
  return Math.min(THROTTLE_BASE_MS * 2 ** (failures - THROTTLE_FREE_ATTEMPTS - 1), THROTTLE_MAX_MS);
}

export interface VaultOptions {
  /** IndexedDB database name. Default `nas-key-vault`. */
  name?: string;
  /** The IndexedDB factory to use (e.g. a storage bucket's). Default: the global `indexedDB`. */
  indexedDB?: IDBFactory;
  /** Keeps the unlocked keys across worker restarts (see session-store.ts). Without one, a restart locks. */
  sessionStore?: SessionStore;
  /** Clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** PBKDF2 iterations for new vaults, passphrase changes and exports. Default and floor: 600,000. */
  kdfIterations?: number;
  /**
   * TEST ONLY: accept iteration counts below the 600,000 floor (down to 1,000), when writing and
   * when reading. Never set this in the extension: a vault written with it is refused without it.
   */
  insecureTestOnlyAllowWeakKdf?: boolean;
  /** How long to wait for an older connection to close before failing with `VaultBlockedError`. Default 1 s. */
  blockedTimeoutMs?: number;
  /** Called whenever the persisted auto-lock deadline changes (null: locked or no idle lock), e.g. to arm `chrome.alarms`. */
  onDeadlineChange?: (deadline: number | null) => void;
  /**
   * Called once each time this instance goes from unlocked to locked, however that happened:
   * `locked` (its own `lock()` or `destroy()`), `idle` (the deadline passed, noticed by any call),
   * `elsewhere` (another instance locked or replaced the session). An instance that has not
   * restored its keys yet counts as unlocked while its session store holds a snapshot of the live
   * session (a restarted worker). Runs after the lock is complete; exceptions are swallowed.
   */
  onLock?: (reason: LockReason) => void;
}

/** A snapshot of the vault's state for the UI. */
export interface VaultStatus {
  /** A vault was created. */
  exists: boolean;
  /** This instance can decrypt now. */
  unlocked: boolean;
  /** When the vault locks itself (epoch ms); null when locked or idle locking is off. */
  deadline: number | null;
  /** The idle time before auto-lock (ms); null when off. */
  autoLockMs: number | null;
  /** Consecutive wrong passphrases. */
  failures: number;
  /** How long unlocking is refused (ms), 0 if it may be tried now. */
  retryAfterMs: number;
}

/** A stored entry that failed its integrity check: where it is and its opaque id (never its contents). */
export interface DamagedEntry {
  store: 'keys' | 'hosts';
  id: string;
}

/** What an export produced. */
export interface ExportResult {
  /** The file's content (JSON text). */
  content: string;
  keys: number;
  hosts: number;
  /** Entries that failed their integrity check and are NOT in the file (empty for a complete backup). */
  damaged: DamagedEntry[];
}

/**
 * App data sealed under the vault's data key by {@link Vault.seal}: JSON-safe (base64 strings), so it
 * can be kept in `chrome.storage.local`. Opens only with the same vault and the same label.
 */
export interface SealedBlob {
  v: 1;
  /** 12 random bytes, base64. */
  iv: string;
  /** AES-256-GCM ciphertext with its 128-bit tag, base64. */
  ct: string;
}

/** Longest label {@link Vault.seal} accepts (labels name a purpose, they are not data). */
export const SEAL_LABEL_MAX = 256;

/** What an import changed. */
export interface ImportResult {
  added: number;
  updated: number;
  unchanged: number;
}

/** What an import would do with one entry: add it, replace (merge into) the local one, or skip it (nothing would change). */
export type ImportAction = 'add' | 'replace' | 'skip';

/** What {@link Vault.importFile} would do, from {@link Vault.previewImport}; nothing is written. */
export interface ImportPreview {
  /** When the file was exported (epoch ms). */
  exportedAt: number;
  keys: Array<{ host: string; keyId: number | null; name: string; action: ImportAction }>;
  hosts: Array<{ host: string; action: ImportAction }>;
  counts: Record<ImportAction, number>;
}

/** How far in the future a timestamp in an import file may be (clock skew between machines). */
export const IMPORT_FUTURE_TOLERANCE_MS = 5 * 60_000;

interface Unlocked {
  dek: CryptoKey;
  idx: CryptoKey;
  session: string;
}

interface SessionMeta {
  id: string;
  deadline: number | null;
}
interface ThrottleMeta {
  failures: number;
  notBefore: number;
}

function parseSession(value: unknown): SessionMeta | null {
  const s = value as Partial<SessionMeta> | null;
  if (typeof s !== 'object' || s === null || typeof s.id !== 'string') return null;
  return { id: s.id, deadline: typeof s.deadline === 'number' ? s.deadline : null };
}

function parseThrottle(value: unknown): ThrottleMeta {
  const t = value as Partial<ThrottleMeta> | null;
  const failures = typeof t?.failures === 'number' && t.failures >= 0 ? t.failures : 0;
  const notBefore = typeof t?.notBefore === 'number' ? t.notBefore : 0;
  return { failures, notBefore };
}

/** How long an attempt must still wait: capped at what the failure count earns, so a clock set back (or an older, longer delay) cannot lock the owner out for longer. */
function throttleWait(throttle: ThrottleMeta, now: number): number {
  return Math.max(0, Math.min(throttle.notBefore - now, throttleDelayMs(throttle.failures)));
}

/** True when the stored delay reaches further than the failure count earns (clock set back, older version); it is then rewritten. */
function overlong(throttle: ThrottleMeta, now: number): boolean {
  return throttle.notBefore - now > throttleDelayMs(throttle.failures);
}

function parseAutoLock(value: unknown): number | null {
  const s = value as { autoLockMs?: unknown } | null;
  if (typeof s !== 'object' || s === null || !('autoLockMs' in s)) return DEFAULT_AUTO_LOCK_MS;
  return typeof s.autoLockMs === 'number' ? s.autoLockMs : null;
}

function parseSnapshot(value: unknown): SessionSnapshot | null {
  const s = value as Partial<SessionSnapshot> | null;
  const pair = (p: unknown) => typeof p === 'object' && p !== null && typeof (p as { iv?: unknown }).iv === 'string' && typeof (p as { wrapped?: unknown }).wrapped === 'string';
  if (typeof s !== 'object' || s === null || s.v !== 1 || typeof s.session !== 'string' || typeof s.key !== 'string' || !pair(s.dek) || !pair(s.idx)) return null;
  return s as SessionSnapshot;
}

const blobAad = (label: string) => `nas-key-vault|blob|${label}`;

function checkLabel(label: unknown): string {
  if (typeof label !== 'string' || label.length === 0 || label.length > SEAL_LABEL_MAX) {
    throw new VaultInputError('label', `The label must be text of 1 to ${SEAL_LABEL_MAX} characters.`);
  }
  return label;
}

/** A {@link SealedBlob}'s bytes, or null if its shape is wrong. */
function parseBlob(blob: unknown): { iv: Uint8Array; ct: Uint8Array } | null {
  const b = blob as Partial<SealedBlob> | null;
  if (typeof b !== 'object' || b === null || b.v !== 1 || typeof b.iv !== 'string' || typeof b.ct !== 'string') return null;
  const iv = fromBase64(b.iv);
  const ct = fromBase64(b.ct);
  if (iv?.length !== 12 || !ct || ct.length < 16) return null;
  return { iv, ct };
}

const sessionAad = (what: 'dek' | 'idx', session: string) => `nas-key-vault|session|${what}|${session}`;

/** Planned changes of one transaction: new payloads by id, or null to delete. */
interface Changes {
  keys: Map<string, KeyPayload | null>;
  hosts: Map<string, HostPayload | null>;
}

/** Current payloads read for a change (undefined: no such record). */
interface Current {
  keys: Map<string, KeyPayload | undefined>;
  hosts: Map<string, HostPayload | undefined>;
}

/**
 * The encrypted vault. Create one per database and keep it for the worker's lifetime.
 *
 * ```ts
 * const vault = new Vault({ sessionStore: new StorageAreaSessionStore(chrome.storage.session), onDeadlineChange: armAlarm });
 * if (!(await vault.exists())) await vault.create(passphrase); else await vault.unlock(passphrase);
 * await vault.saveKey({ host: 'https://nas.local', name: 'backup', secret, source: 'create' });
 * ```
 */
export class Vault {
  private readonly name: string;
  private readonly factory: IDBFactory;
  private readonly sessionStore: SessionStore | undefined;
  private readonly now: () => number;
  /** PBKDF2 iterations for new vaults, passphrase changes and exports. */
  private readonly iterations: number;
  private readonly allowWeak: boolean;
  private readonly blockedTimeoutMs: number;
  private readonly onDeadlineChange: ((deadline: number | null) => void) | undefined;
  private readonly onLock: ((reason: LockReason) => void) | undefined;
  /** The session whose end was last reported to `onLock`, so each end is reported once. */
  private endedSession: string | null = null;
  private db: Promise<VaultDatabase> | null = null;
  /** The unlocked keys (non-extractable); null while locked. The only key material this instance holds. */
  private keys: Unlocked | null = null;
  /** Serialises this instance's changes (other instances are handled by compare-and-swap). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Serialises this instance's passphrase checks: one KDF at a time, each seeing the failures counted before it. */
  private attempts: Promise<unknown> = Promise.resolve();

  constructor(options: VaultOptions = {}) {
    this.name = options.name ?? 'nas-key-vault';
    const factory = options.indexedDB ?? globalThis.indexedDB;
    if (!factory) throw new VaultInputError('indexedDB', 'IndexedDB is not available here; the vault cannot run.');
    this.factory = factory;
    this.sessionStore = options.sessionStore;
    this.now = options.now ?? Date.now;
    this.allowWeak = options.insecureTestOnlyAllowWeakKdf === true;
    this.iterations = requestedIterations(options.kdfIterations, this.allowWeak);
    this.blockedTimeoutMs = options.blockedTimeoutMs ?? 1_000;
    this.onDeadlineChange = options.onDeadlineChange;
    this.onLock = options.onLock;
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /** True once a vault was created in this database. */
  exists(): Promise<boolean> {
    return this.guard(async () => (await (await this.database()).get('meta', 'header')) !== undefined);
  }

  /** The vault's state (also restores a session after a worker restart and applies an overdue auto-lock). */
  status(): Promise<VaultStatus> {
    return this.guard(async () => {
      const unlocked = (await this.currentKeys()) !== null;
      const db = await this.database();
      const tx = db.transaction('meta', 'readonly');
      const [header, session, settings, throttle] = await Promise.all([tx.store.get('header'), tx.store.get('session'), tx.store.get('settings'), tx.store.get('throttle'), tx.done]);
      const t = parseThrottle(throttle);
      if (overlong(t, this.now())) await this.clampThrottle();
      return {
        exists: header !== undefined,
        unlocked,
        deadline: unlocked ? (parseSession(session)?.deadline ?? null) : null,
        autoLockMs: parseAutoLock(settings),
        failures: t.failures,
        retryAfterMs: throttleWait(t, this.now()),
      };
    });
  }

  /**
   * Creates the vault with a passphrase (at least 8 characters) and leaves it unlocked.
   * Throws {@link VaultExistsError} if one exists (it is not overwritten).
   */
  create(passphrase: string): Promise<void> {
    return this.guard(async () => {
      zero(passphraseBytes(passphrase));
      const db = await this.database();
      if ((await db.get('meta', 'header')) !== undefined) throw new VaultExistsError();
      const kdf = newKdfParams(this.iterations);
      const derived = await derivePassphraseKeys(passphrase, kdf, 'vault');
      const header = await newHeader(kdf, derived, { dek: await newDataKey(), idx: await newIndexKey() }, this.now(), 1);
      const tx = db.transaction('meta', 'readwrite');
      if ((await tx.store.get('header')) !== undefined) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new VaultExistsError();
      }
      await Promise.all([tx.store.put(header, 'header'), tx.store.delete('throttle'), tx.store.delete('session'), tx.done]);
      await this.startSession(header, derived.key);
    });
  }

  /**
   * Unlocks with the passphrase. Throws {@link WrongPassphraseError} (nothing changed; after
   * {@link THROTTLE_FREE_ATTEMPTS} failures further attempts are refused for a growing delay with
   * {@link UnlockThrottledError}), {@link VaultTamperedError}, `KdfPolicyError` or {@link VaultNotFoundError}.
   * The first unlock after an upgrade from schema v1 also finishes the migration, in one transaction.
   */
  unlock(passphrase: string): Promise<void> {
    return this.guard(async () => {
      // An overdue idle lock or a lock elsewhere is applied (and reported) before a new session starts.
      await this.currentKeys();
      const { header, kek } = await this.openHeader(passphrase, 'passphrase');
      await this.startSession(header, kek);
    });
  }

  /**
   * Locks: this instance drops its keys, the session store is cleared, and every other instance on
   * this database locks at its next call. Nothing can be decrypted until the next unlock.
   */
  lock(): Promise<void> {
    return this.guard(() => this.lockEverywhere('locked'));
  }

  /** Whether this instance holds unlocked keys right now (no I/O; the deadline is checked on the next call). */
  get unlocked(): boolean {
    return this.keys !== null;
  }

  /**
   * Call when the worker wakes: restores an unlocked session from the session store, unless the
   * vault was locked meanwhile or its idle deadline passed (then it locks). Returns whether it is unlocked.
   */
  resume(): Promise<boolean> {
    return this.guard(async () => (await this.currentKeys()) !== null);
  }

  /**
   * Records user activity: moves the auto-lock deadline to now plus the idle time. Returns the new
   * deadline, or null if the vault is locked (or idle locking is off).
   */
  touch(): Promise<number | null> {
    return this.guard(async () => {
      const keys = await this.currentKeys();
      if (!keys) return null;
      return this.extendSession(keys);
    });
  }

  /** The persisted auto-lock deadline (epoch ms), or null. The background arms its alarm with it. */
  deadline(): Promise<number | null> {
    return this.guard(async () => {
      const session = parseSession(await (await this.database()).get('meta', 'session'));
      return session?.deadline ?? null;
    });
  }

  /** Locks if the idle deadline has passed (call from the alarm and on every wake). Returns true if the vault is locked now. */
  checkAutoLock(): Promise<boolean> {
    return this.guard(async () => {
      const session = parseSession(await (await this.database()).get('meta', 'session'));
      if (session && session.deadline !== null && this.now() >= session.deadline) {
        await this.lockEverywhere('idle');
        return true;
      }
      return (await this.currentKeys()) === null;
    });
  }

  /** The idle time before auto-lock (ms), or null when idle locking is off. */
  autoLockDelay(): Promise<number | null> {
    return this.guard(async () => parseAutoLock(await (await this.database()).get('meta', 'settings')));
  }

  /** Sets the idle time before auto-lock (null: only lock explicitly or on browser restart). Needs the vault unlocked. */
  setAutoLockDelay(ms: number | null): Promise<void> {
    if (ms !== null && (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < AUTO_LOCK_MIN_MS || ms > AUTO_LOCK_MAX_MS)) {
      return Promise.reject(new VaultInputError('autoLockMs', `The idle time must be between ${AUTO_LOCK_MIN_MS / 1000} s and ${AUTO_LOCK_MAX_MS / 86_400_000} days, or off.`));
    }
    return this.guard(async () => {
      const keys = await this.requireKeys();
      await (await this.database()).put('meta', { autoLockMs: ms }, 'settings');
      await this.extendSession(keys);
    });
  }

  /**
   * Changes the passphrase: re-wraps the data and index keys under a key from the new passphrase
   * (new salt); records are not touched. Works locked or unlocked. Wrong current passphrases count
   * towards the unlock throttle.
   */
  changePassphrase(current: string, next: string): Promise<void> {
    return this.serialize(() =>
      this.guard(async () => {
        zero(passphraseBytes(next, 'newPassphrase'));
        const { header, kek } = await this.openHeader(current, 'passphrase');
        const kdf = newKdfParams(this.iterations);
        const derived = await derivePassphraseKeys(next, kdf, 'vault');
        const dek = await this.unwrapOrTampered(() => unwrapDataKey(header.dek, kek, WRAP_AAD.dek, true));
        const idx = await this.unwrapOrTampered(() => unwrapIndexKey(header.idx!, kek, WRAP_AAD.idx, true));
        const rewrapped = await newHeader(kdf, derived, { dek, idx }, header.created, header.rev + 1);
        const db = await this.database();
        const tx = db.transaction('meta', 'readwrite');
        const stored = (await tx.store.get('header')) as Partial<HeaderRow> | undefined;
        if (stored?.rev !== header.rev) {
          await tx.done;
          throw new VaultConflictError();
        }
        await Promise.all([tx.store.put(rewrapped, 'header'), tx.store.delete('throttle'), tx.done]);
      }),
    );
  }

  /** Closes the database connection and forgets the keys (the vault stays unlocked for other instances). */
  close(): void {
    this.keys = null;
    const db = this.db;
    this.db = null;
    db?.then((d) => d.close(), () => undefined);
  }

  /** Deletes the whole vault (e.g. after a forgotten passphrase). Irreversible. */
  destroy(): Promise<void> {
    return this.guard(async () => {
      const held = this.keys?.session ?? null;
      this.close();
      await this.sessionStore?.clear();
      await deleteVaultDb(this.factory, this.name);
      this.notify(null);
      this.ended(held, 'locked');
    });
  }

  // --- keys ---------------------------------------------------------------------------------

  /**
   * Stores a key. The same host and NAS key id always map to one entry: saving it again updates it,
   * and a different secret (a reset) becomes current while the previous one moves to `history`.
   */
  async saveKey(input: SaveKeyInput): Promise<StoredApiKey> {
    return (await this.saveKeys([input]))[0]!;
  }

  /** Stores several keys in one transaction (all or nothing). */
  saveKeys(inputs: readonly SaveKeyInput[]): Promise<StoredApiKey[]> {
    if (!Array.isArray(inputs)) return Promise.reject(new VaultInputError('inputs', 'Pass a list of keys to save.'));
    return this.serialize(() =>
      this.guard(async () => {
        const checked = inputs.map((input) => checkSaveKeyInput(input));
        const keys = await this.requireKeys();
        const ids = await Promise.all(checked.map((c) => keyRecordId(keys.idx, c.host, c.keyId, c.secret)));
        const rows = await this.transact(keys, { keys: ids, hosts: [] }, (current, now) => {
          const changes: Changes = { keys: new Map(), hosts: new Map() };
          checked.forEach((input, i) => {
            const id = ids[i]!;
            const before = changes.keys.has(id) ? changes.keys.get(id)! : current.keys.get(id);
            changes.keys.set(id, applySave(before ?? undefined, input, now));
          });
          return changes;
        });
        return ids.map((id) => toStoredKey(rows.keys.get(id)!));
      }),
    );
  }

  /** Changes a stored key's name, notes or expiry. Returns undefined if there is no such entry. */
  updateKey(id: string, patch: KeyPatch): Promise<StoredApiKey | undefined> {
    return this.serialize(() =>
      this.guard(async () => {
        const checked = checkKeyPatch(patch);
        const keys = await this.requireKeys();
        const rows = await this.transact(keys, { keys: [id], hosts: [] }, (current) => {
          const before = current.keys.get(id);
          return { keys: new Map(before ? [[id, { ...before, ...checked }]] : []), hosts: new Map() };
        });
        const row = rows.keys.get(id);
        return row ? toStoredKey(row) : undefined;
      }),
    );
  }

  /** Deletes a stored key (with its history). Returns false if there was none. Works on damaged entries too. */
  deleteKey(id: string): Promise<boolean> {
    return this.deleteRow('keys', id);
  }

  /**
   * Deletes a damaged entry (one that fails its integrity check) of either store by its opaque id,
   * e.g. a host credential whose host can no longer be read. Returns false, deleting nothing, if
   * there is no such entry or it reads fine: this never removes a healthy entry.
   */
  deleteDamaged(store: 'keys' | 'hosts', id: string): Promise<boolean> {
    if (store !== 'keys' && store !== 'hosts') return Promise.reject(new VaultInputError('store', 'The store must be "keys" or "hosts".'));
    if (typeof id !== 'string' || !id) return Promise.reject(new VaultInputError('id', 'Give the id of the damaged entry.'));
    return this.serialize(() =>
      this.guard(async () => {
        const keys = await this.requireKeys();
        const row = await this.readRow(keys, store, id);
        if (!row) return false;
        const healthy = await (store === 'keys' ? this.openKeyRow(keys, row) : this.openHostRow(keys, row)).then(
          () => true,
          (error: unknown) => {
            if (error instanceof VaultTamperedError) return false;
            throw error;
          },
        );
        this.assertStill(keys);
        if (healthy) return false;
        const db = await this.database();
        const tx = db.transaction(['meta', store], 'readwrite');
        const [session, latest] = await Promise.all([tx.objectStore('meta').get('session'), tx.objectStore(store).get(id)]);
        if (this.sessionState(keys, session) !== 'ok' || latest?.rev !== row.rev || latest.updated !== row.updated) {
          await tx.done;
          await this.checkSession(keys, session);
          throw new VaultConflictError();
        }
        await Promise.all([tx.objectStore(store).delete(id), tx.done]);
        return true;
      }),
    );
  }

  /** One stored key by vault id; undefined if none. Throws {@link VaultTamperedError} if it is damaged. */
  getKey(id: string): Promise<StoredApiKey | undefined> {
    return this.guard(async () => {
      const keys = await this.requireKeys();
      const row = await this.readRow(keys, 'keys', id);
      if (!row) return undefined;
      const payload = await this.openKeyRow(keys, row);
      this.assertStill(keys);
      return toStoredKey({ row, payload });
    });
  }

  /** The stored key for a host and NAS key id, if any. */
  findKey(host: string, keyId: number): Promise<StoredApiKey | undefined> {
    return this.guard(async () => {
      const h = checkHost(host);
      const keys = await this.requireKeys();
      const id = checkKeyId(keyId);
      if (id === null) throw new VaultInputError('keyId', 'Give the key id to look for.');
      return this.getKey(await keyRecordId(keys.idx, h, id, ''));
    });
  }

  /** Every stored key (newest change first), optionally of one host; damaged entries are reported, not thrown. */
  listKeys(filter: { host?: string } = {}): Promise<VaultList<StoredApiKey>> {
    return this.guard(async () => {
      const host = filter.host === undefined ? undefined : checkHost(filter.host);
      const keys = await this.requireKeys();
      const { opened, damaged } = await this.openAll(keys, 'keys', (row) => this.openKeyRow(keys, row));
      return { items: opened.filter(({ payload }) => host === undefined || payload.host === host).map(toStoredKey), damaged };
    });
  }

  // --- host credentials ---------------------------------------------------------------------

  /** Stores (or replaces) the login credential of a host. */
  saveHostCredential(host: string, auth: HostAuth): Promise<HostCredential> {
    return this.serialize(() =>
      this.guard(async () => {
        const payload: HostPayload = { host: checkHost(host), auth: checkHostAuth(auth), changedAt: this.now() };
        const keys = await this.requireKeys();
        const id = await hostRecordId(keys.idx, payload.host);
        const rows = await this.transact(keys, { keys: [], hosts: [id] }, () => ({ keys: new Map(), hosts: new Map([[id, payload]]) }));
        return toHostCredential(rows.hosts.get(id)!);
      }),
    );
  }

  /** A host's credential, or undefined. Throws {@link VaultTamperedError} if it is damaged. */
  getHostCredential(host: string): Promise<HostCredential | undefined> {
    return this.guard(async () => {
      const h = checkHost(host);
      const keys = await this.requireKeys();
      const row = await this.readRow(keys, 'hosts', await hostRecordId(keys.idx, h));
      if (!row) return undefined;
      const payload = await this.openHostRow(keys, row);
      this.assertStill(keys);
      return toHostCredential({ row, payload });
    });
  }

  /** Every host credential; damaged entries are reported, not thrown. */
  listHostCredentials(): Promise<VaultList<HostCredential>> {
    return this.guard(async () => {
      const keys = await this.requireKeys();
      const { opened, damaged } = await this.openAll(keys, 'hosts', (row) => this.openHostRow(keys, row));
      return { items: opened.map(toHostCredential), damaged };
    });
  }

  /** Deletes a host's credential. Returns false if there was none. */
  deleteHostCredential(host: string): Promise<boolean> {
    return this.guard(async () => {
      const h = checkHost(host);
      const keys = await this.requireKeys();
      return this.deleteRow('hosts', await hostRecordId(keys.idx, h));
    });
  }

  // --- sealed app data ----------------------------------------------------------------------

  /**
   * Encrypts a JSON value (anything `JSON.stringify` accepts) under the vault's data key, for app
   * data kept outside the vault (e.g. in `storage.local`). Fresh IV each time; the additional data
   * binds `label`, so a blob only opens under the label it was sealed with. Needs the vault
   * unlocked ({@link VaultLockedError}); does not move the idle deadline.
   */
  seal(label: string, value: unknown): Promise<SealedBlob> {
    return this.guard(async () => {
      const l = checkLabel(label);
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch {
        json = undefined;
      }
      if (json === undefined) throw new VaultInputError('value', 'The value to seal must be JSON data.');
      const keys = await this.requireKeys();
      const sealed = await sealJson(keys.dek, JSON.parse(json), blobAad(l));
      this.assertStill(keys);
      return { v: 1, iv: toBase64(sealed.iv), ct: toBase64(sealed.ct) };
    });
  }

  /**
   * Decrypts a blob from {@link seal} under the same label. Throws {@link VaultLockedError} when
   * locked (also if the vault locks while it decrypts: no plaintext then), and
   * {@link VaultTamperedError} (`part: 'blob'`) for a malformed, modified or relabelled blob. Does
   * not move the idle deadline.
   */
  open(label: string, blob: unknown): Promise<unknown> {
    return this.guard(async () => {
      const l = checkLabel(label);
      const keys = await this.requireKeys();
      const parsed = parseBlob(blob);
      if (!parsed) throw new VaultTamperedError('blob');
      let value: unknown;
      try {
        value = await openJson(keys.dek, parsed, blobAad(l));
      } catch {
        this.assertStill(keys);
        throw new VaultTamperedError('blob');
      }
      this.assertStill(keys);
      return value;
    });
  }

  // --- export and import --------------------------------------------------------------------

  /**
   * Exports every readable entry, encrypted with `passphrase` (which may differ from the vault's) and
   * the KDF parameters stored in the file. Damaged entries are left out and listed in `damaged`.
   */
  exportEncrypted(passphrase: string): Promise<ExportResult> {
    return this.guard(async () => {
      zero(passphraseBytes(passphrase));
      const { contents, damaged } = await this.collect();
      const content = await writeEncryptedExport(contents, passphrase, this.iterations, this.now());
      return { content, keys: contents.keys.length, hosts: contents.hosts.length, damaged };
    });
  }

  /**
   * Exports every readable entry IN CLEAR TEXT. Refused with {@link ConfirmationRequiredError} unless
   * `confirmation` is exactly {@link PLAINTEXT_EXPORT_CONFIRMATION}.
   */
  exportPlaintext(confirmation: typeof PLAINTEXT_EXPORT_CONFIRMATION): Promise<ExportResult> {
    if (confirmation !== PLAINTEXT_EXPORT_CONFIRMATION) return Promise.reject(new ConfirmationRequiredError(PLAINTEXT_EXPORT_CONFIRMATION));
    return this.guard(async () => {
      const { contents, damaged } = await this.collect();
      return { content: writePlaintextExport(contents, this.now()), keys: contents.keys.length, hosts: contents.hosts.length, damaged };
    });
  }

  /**
   * Imports an encrypted export, merging without duplicates: a key already present (same host and
   * key id) is merged (the secret stored last is current, the others go to history), host
   * credentials keep the newer one, and a damaged local entry is replaced by the file's. All in one
   * transaction; on any error nothing is imported. A file with timestamps more than
   * {@link IMPORT_FUTURE_TOLERANCE_MS} in the future is refused (`future-timestamp`), so a file can
   * never win by its dates. Throws {@link ImportFormatError}, {@link WrongPassphraseError},
   * `KdfPolicyError`, {@link VaultLockedError}.
   */
  importFile(content: string, passphrase: string): Promise<ImportResult> {
    return this.serialize(() =>
      this.guard(async () => {
        const { keys, incoming } = await this.readImport(content, passphrase);
        const result: ImportResult = { added: 0, updated: 0, unchanged: 0 };
        const field = { add: 'added', replace: 'updated', skip: 'unchanged' } as const;
        await this.transact(
          keys,
          { keys: [...incoming.keys.keys()], hosts: [...incoming.hosts.keys()] },
          (current, _now, updatedAt) => {
            const { changes, actions } = planImport(incoming, current, updatedAt);
            Object.assign(result, { added: 0, updated: 0, unchanged: 0 });
            for (const action of [...actions.keys.values(), ...actions.hosts.values()]) result[field[action]]++;
            return changes;
          },
          true,
        );
        return result;
      }),
    );
  }

  /**
   * What {@link importFile} would do with this file now, without writing anything: per key and per
   * host credential whether it would be added, replaced (merged) or skipped, and the counts. Same
   * checks and errors as `importFile`. Host names and key names come from the file: show them as text.
   */
  previewImport(content: string, passphrase: string): Promise<ImportPreview> {
    return this.guard(async () => {
      const { keys, incoming, exportedAt } = await this.readImport(content, passphrase);
      const db = await this.database();
      const keyIds = [...incoming.keys.keys()];
      const hostIds = [...incoming.hosts.keys()];
      const tx = db.transaction(['meta', 'keys', 'hosts'], 'readonly');
      const [session, keyRows, hostRows] = await Promise.all([
        tx.objectStore('meta').get('session'),
        Promise.all(keyIds.map((id) => tx.objectStore('keys').get(id))),
        Promise.all(hostIds.map((id) => tx.objectStore('hosts').get(id))),
        tx.done,
      ]);
      await this.checkSession(keys, session);
      const [keyPayloads, hostPayloads] = await Promise.all([
        Promise.all(keyRows.map((row) => (row ? absentIfDamaged(this.openKeyRow(keys, row)) : Promise.resolve(undefined)))),
        Promise.all(hostRows.map((row) => (row ? absentIfDamaged(this.openHostRow(keys, row)) : Promise.resolve(undefined)))),
      ]);
      this.assertStill(keys);
      const current: Current = { keys: new Map(), hosts: new Map() };
      const updatedAt = { keys: new Map<string, number>(), hosts: new Map<string, number>() };
      keyIds.forEach((id, i) => {
        current.keys.set(id, keyPayloads[i]);
        if (keyPayloads[i]) updatedAt.keys.set(id, keyRows[i]!.updated);
      });
      hostIds.forEach((id, i) => {
        current.hosts.set(id, hostPayloads[i]);
        if (hostPayloads[i]) updatedAt.hosts.set(id, hostRows[i]!.updated);
      });
      const { actions } = planImport(incoming, current, updatedAt);
      const counts: Record<ImportAction, number> = { add: 0, replace: 0, skip: 0 };
      const preview: ImportPreview = { exportedAt, keys: [], hosts: [], counts };
      for (const [id, theirs] of incoming.keys) {
        const action = actions.keys.get(id)!;
        counts[action]++;
        preview.keys.push({ host: theirs.host, keyId: theirs.keyId, name: theirs.name, action });
      }
      for (const [id, theirs] of incoming.hosts) {
        const action = actions.hosts.get(id)!;
        counts[action]++;
        preview.hosts.push({ host: theirs.payload.host, action });
      }
      return preview;
    });
  }

  /** Parses, decrypts and checks an import file, and groups its entries by the ids they would take here. */
  private async readImport(content: string, passphrase: string): Promise<{ keys: Unlocked; incoming: Incoming; exportedAt: number }> {
    await this.requireKeys();
    const parsed = parseExportFile(content);
    const contents = await openEncryptedExport(parsed, passphrase, this.allowWeak);
    checkImportTimes(parsed.header.exportedAt, contents, this.now());
    const keys = await this.requireKeys();
    const keyIds = await Promise.all(contents.keys.map((k) => keyRecordId(keys.idx, k.host, k.keyId, k.secret)));
    const hostIds = await Promise.all(contents.hosts.map((h) => hostRecordId(keys.idx, h.host)));
    // Entries of one file that name the same key are merged first.
    const incoming: Incoming = { keys: new Map(), hosts: new Map() };
    contents.keys.forEach((exported, i) => {
      const payload = withoutUpdatedAt(exported);
      const seen = incoming.keys.get(keyIds[i]!);
      incoming.keys.set(keyIds[i]!, seen ? mergeKeys(seen, payload) : payload);
    });
    contents.hosts.forEach(({ host, auth, updatedAt }, i) => {
      const seen = incoming.hosts.get(hostIds[i]!);
      if (!seen || updatedAt > seen.updatedAt) incoming.hosts.set(hostIds[i]!, { payload: { host, auth, changedAt: updatedAt }, updatedAt });
    });
    return { keys, incoming, exportedAt: parsed.header.exportedAt };
  }

  // --- internals: unlocking -----------------------------------------------------------------

  /**
   * Reads and checks the header, applies the throttle, runs the KDF and checks the passphrase.
   * Finishes a pending v1 → v2 migration. Returns the (v2) header and the key-encryption key.
   */
  private openHeader(passphrase: string, field: string): Promise<{ header: HeaderRow; kek: CryptoKey }> {
    const run = this.attempts.then(
      () => this.checkPassphrase(passphrase, field),
      () => this.checkPassphrase(passphrase, field),
    );
    this.attempts = run.catch(() => undefined);
    return run;
  }

  private async checkPassphrase(passphrase: string, field: string): Promise<{ header: HeaderRow; kek: CryptoKey }> {
    zero(passphraseBytes(passphrase, field));
    let derived: { salt: Uint8Array; iterations: number; keys: PassphraseKeys } | undefined;
    let counted = 0;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const db = await this.database();
        const value = await db.get('meta', 'header');
        if (value === undefined) throw new VaultNotFoundError();
        const header = await parseHeader(value);
        enforceKdfFloor(header.kdf.iterations, this.allowWeak);
        // A migration retry re-reads the header; the KDF only runs again if its parameters changed.
        if (!derived || !sameBytes(derived.salt, header.kdf.salt) || derived.iterations !== header.kdf.iterations) {
          if (derived) zero(derived.keys.verifier);
          counted = await this.countAttempt();
          derived = { salt: header.kdf.salt, iterations: header.kdf.iterations, keys: await derivePassphraseKeys(passphrase, header.kdf, 'vault') };
        }
        if (!sameBytes(derived.keys.verifier, header.verifier)) throw new WrongPassphraseError(counted, throttleDelayMs(counted));
        const kek = derived.keys.key;
        await db.delete('meta', 'throttle');
        if (header.v === 2) return { header, kek };
        const migrated = await this.migrateV1(header, kek);
        if (migrated) return { header: migrated, kek };
        // Another instance migrated at the same time: read its header and go on with it.
      }
      throw new VaultConflictError();
    } finally {
      // The verifier is only needed for the comparison; never keep it, whatever the outcome.
      if (derived) zero(derived.keys.verifier);
    }
  }

  /** Rewrites a stored delay that reaches further than its failure count earns, so the owner's wait really ends within the cap. */
  private async clampThrottle(): Promise<void> {
    const db = await this.database();
    const tx = db.transaction('meta', 'readwrite');
    const throttle = parseThrottle(await tx.store.get('throttle'));
    const now = this.now();
    if (overlong(throttle, now)) await Promise.all([tx.store.put({ failures: throttle.failures, notBefore: now + throttleDelayMs(throttle.failures) }, 'throttle'), tx.done]);
    else await tx.done;
  }

  /**
   * Before the KDF runs: refuses the attempt while the throttle says wait ({@link UnlockThrottledError}),
   * otherwise counts it as a failure, in one transaction, so attempts from any number of callers or
   * instances all count and none slips past the delay. The right passphrase clears the count
   * afterwards. Returns the new count.
   */
  private async countAttempt(): Promise<number> {
    const db = await this.database();
    const tx = db.transaction('meta', 'readwrite');
    const throttle = parseThrottle(await tx.store.get('throttle'));
    const now = this.now();
    const wait = throttleWait(throttle, now);
    if (wait > 0) {
      if (overlong(throttle, now)) await Promise.all([tx.store.put({ failures: throttle.failures, notBefore: now + wait }, 'throttle'), tx.done]);
      else await tx.done;
      throw new UnlockThrottledError(wait, throttle.failures);
    }
    const failures = throttle.failures + 1;
    await Promise.all([tx.store.put({ failures, notBefore: now + throttleDelayMs(failures) }, 'throttle'), tx.done]);
    return failures;
  }

  private async unwrapOrTampered(unwrap: () => Promise<CryptoKey>): Promise<CryptoKey> {
    try {
      return await unwrap();
    } catch {
      throw new VaultTamperedError('wrapped-key');
    }
  }

  /**
   * Starts (or joins) the unlocked session: non-extractable keys in memory, session id and deadline
   * persisted, and a snapshot in the session store if there is one.
   */
  private async startSession(header: HeaderRow, kek: CryptoKey): Promise<void> {
    const dek = await this.unwrapOrTampered(() => unwrapDataKey(header.dek, kek, WRAP_AAD.dek));
    const idx = await this.unwrapOrTampered(() => unwrapIndexKey(header.idx!, kek, WRAP_AAD.idx));
    const db = await this.database();
    const tx = db.transaction('meta', 'readwrite');
    const [sessionValue, settings] = await Promise.all([tx.store.get('session'), tx.store.get('settings')]);
    const existing = parseSession(sessionValue);
    const now = this.now();
    const live = existing && (existing.deadline === null || now < existing.deadline);
    const autoLockMs = parseAutoLock(settings);
    const session: SessionMeta = { id: live ? existing.id : toBase64Url(randomBytes(16)), deadline: autoLockMs === null ? null : now + autoLockMs };
    await Promise.all([tx.store.put(session, 'session'), tx.done]);
    this.keys = { dek, idx, session: session.id };
    if (this.sessionStore) await this.sessionStore.save(await this.snapshot(header, kek, session.id));
    this.notify(session.deadline);
  }

  /** Wraps extractable copies of the keys under a fresh session key for the session store. */
  private async snapshot(header: HeaderRow, kek: CryptoKey, session: string): Promise<SessionSnapshot> {
    const raw = randomBytes(32);
    try {
      const sessionKey = await importSessionKey(raw);
      const dek = await wrapKey(await unwrapDataKey(header.dek, kek, WRAP_AAD.dek, true), sessionKey, sessionAad('dek', session));
      const idx = await wrapKey(await unwrapIndexKey(header.idx!, kek, WRAP_AAD.idx, true), sessionKey, sessionAad('idx', session));
      return {
        v: 1,
        session,
        key: toBase64(raw),
        dek: { iv: toBase64(dek.iv), wrapped: toBase64(dek.wrapped) },
        idx: { iv: toBase64(idx.iv), wrapped: toBase64(idx.wrapped) },
      };
    } finally {
      zero(raw);
    }
  }

  /** The keys if unlocked (restoring from the session store after a worker restart), else null. Applies an overdue auto-lock. */
  private async currentKeys(): Promise<Unlocked | null> {
    const result = await this.keysOrReason();
    return typeof result === 'string' ? null : result;
  }

  private async requireKeys(): Promise<Unlocked> {
    const result = await this.keysOrReason();
    if (typeof result === 'string') throw new VaultLockedError(result);
    return result;
  }

  private async keysOrReason(): Promise<Unlocked | LockReason> {
    const db = await this.database();
    const state = this.sessionState(this.keys, await db.get('meta', 'session'));
    if (state === 'ok' && this.keys) return this.keys;
    if (state === 'idle') {
      await this.lockEverywhere('idle');
      return 'idle';
    }
    if (this.keys) {
      // Locked elsewhere: forget our keys.
      this.dropKeys('elsewhere');
      return 'elsewhere';
    }
    return this.restore(db);
  }

  /** Restores keys from the session store if its session is still the live one. */
  private async restore(db: VaultDatabase): Promise<Unlocked | LockReason> {
    if (!this.sessionStore) return 'locked';
    const stored = await this.sessionStore.load();
    if (stored === undefined || stored === null) return 'locked';
    const snap = parseSnapshot(stored);
    const session = parseSession(await db.get('meta', 'session'));
    if (!snap || !session || session.id !== snap.session) {
      await this.sessionStore.clear();
      return 'locked';
    }
    if (session.deadline !== null && this.now() >= session.deadline) {
      await this.lockEverywhere('idle');
      return 'idle';
    }
    const raw = fromBase64(snap.key);
    try {
      const b = (s: string) => fromBase64(s) ?? new Uint8Array(0);
      const sessionKey = await importSessionKey(raw ?? new Uint8Array(0));
      const dek = await unwrapDataKey({ iv: b(snap.dek.iv), wrapped: b(snap.dek.wrapped) }, sessionKey, sessionAad('dek', snap.session));
      const idx = await unwrapIndexKey({ iv: b(snap.idx.iv), wrapped: b(snap.idx.wrapped) }, sessionKey, sessionAad('idx', snap.session));
      this.keys = { dek, idx, session: snap.session };
      return this.keys;
    } catch {
      // A damaged snapshot is useless: drop it and stay locked.
      await this.sessionStore.clear();
      return 'locked';
    } finally {
      zero(raw);
    }
  }

  /** Whether `keys` may still be used, given the persisted session. */
  private sessionState(keys: Unlocked | null, value: unknown): 'ok' | 'idle' | 'elsewhere' | 'none' {
    const session = parseSession(value);
    if (session && session.deadline !== null && this.now() >= session.deadline) return 'idle';
    if (!keys) return 'none';
    return session && session.id === keys.session ? 'ok' : 'elsewhere';
  }

  /** Moves the deadline to now + idle time, if `keys`' session is still live. */
  private async extendSession(keys: Unlocked): Promise<number | null> {
    const db = await this.database();
    const tx = db.transaction('meta', 'readwrite');
    const [value, settings] = await Promise.all([tx.store.get('session'), tx.store.get('settings')]);
    if (this.sessionState(keys, value) !== 'ok') {
      await tx.done;
      await this.checkSession(keys, value);
    }
    const autoLockMs = parseAutoLock(settings);
    const deadline = autoLockMs === null ? null : this.now() + autoLockMs;
    await Promise.all([tx.store.put({ id: keys.session, deadline }, 'session'), tx.done]);
    this.notify(deadline);
    return deadline;
  }

  /**
   * Locks for every instance: drops this instance's keys, clears the session store and deletes the
   * session. Reports the end to `onLock` if this instance held the keys or could have restored them.
   */
  private async lockEverywhere(reason: LockReason): Promise<void> {
    const held = this.keys?.session ?? null;
    this.keys = null;
    let resumable: string | null = null;
    if (this.sessionStore) {
      if (held === null) resumable = parseSnapshot(await this.sessionStore.load().catch(() => undefined))?.session ?? null;
      await this.sessionStore.clear();
    }
    const db = await this.database();
    const tx = db.transaction('meta', 'readwrite');
    const [existing] = await Promise.all([tx.store.get('session'), tx.store.delete('session'), tx.done]);
    this.notify(null);
    const live = parseSession(existing)?.id ?? null;
    this.ended(held ?? (resumable !== null && resumable === live ? live : null), reason);
  }

  /** Forgets this instance's keys because the session ended elsewhere (nothing else to clean up here). */
  private dropKeys(reason: LockReason): void {
    const held = this.keys?.session ?? null;
    this.keys = null;
    this.ended(held, reason);
  }

  /** Reports the end of `session` (null: nothing ended for this instance) to `onLock`, once per session. */
  private ended(session: string | null, reason: LockReason): void {
    if (session === null || session === this.endedSession) return;
    this.endedSession = session;
    try {
      this.onLock?.(reason);
    } catch (error) {
      console.warn('Vault: the onLock callback failed.', error instanceof Error ? error.name : '');
    }
  }

  private notify(deadline: number | null): void {
    try {
      this.onDeadlineChange?.(deadline);
    } catch (error) {
      console.warn('Vault: the onDeadlineChange callback failed.', error instanceof Error ? error.name : '');
    }
  }

  /** After async crypto: refuse to hand out plaintext if the vault was locked meanwhile. */
  private assertStill(keys: Unlocked): void {
    if (this.keys !== keys) throw new VaultLockedError();
  }

  // --- internals: v1 migration --------------------------------------------------------------

  /**
   * Finishes the v1 → v2 migration with the data key: makes the index key, re-encrypts every v1 key
   * under its blind id (merging duplicates into history), and writes records and header in one
   * transaction. Damaged v1 rows are left in place (reported as damaged later). Returns null if
   * another instance migrated first.
   */
  private async migrateV1(header: HeaderRow, kek: CryptoKey): Promise<HeaderRow | null> {
    const dek = await this.unwrapOrTampered(() => unwrapDataKey(header.dek, kek, WRAP_AAD.dek));
    const idx = await newIndexKey();
    const db = await this.database();
    const rows = await db.getAll('keys');
    const merged = new Map<string, KeyPayload>();
    const replaced: string[] = [];
    for (const row of rows) {
      if (row.v !== 1) continue;
      let payload: unknown;
      try {
        payload = await openJson(dek, row, recordAad('keys', row));
      } catch {
        continue;
      }
      if (!isKeyPayloadV1(payload)) continue;
      const v2 = fromV1(payload);
      const id = await keyRecordId(idx, v2.host, v2.keyId, v2.secret);
      const seen = merged.get(id);
      merged.set(id, seen ? mergeKeys(seen, v2) : v2);
      replaced.push(row.id);
    }
    const next = await withChecksum({ format: header.format, kdf: header.kdf, verifier: header.verifier, dek: header.dek, created: header.created, v: 2, idx: await wrapKey(idx, kek, WRAP_AAD.idx), rev: header.rev + 1 });
    const now = this.now();
    const sealed = await Promise.all([...merged].map(([id, payload]) => this.sealRow('keys', id, 1, now, payload, dek)));
    const tx = db.transaction(['meta', 'keys'], 'readwrite');
    const stored = (await tx.objectStore('meta').get('header')) as Partial<HeaderRow> | undefined;
    if (stored?.rev !== header.rev || stored.v !== 1) {
      await tx.done;
      return null;
    }
    const keysStore = tx.objectStore('keys');
    await Promise.all([...replaced.map((id) => keysStore.delete(id)), ...sealed.map((row) => keysStore.put(row)), tx.objectStore('meta').put(next, 'header'), tx.done]);
    return next;
  }

  // --- internals: records -------------------------------------------------------------------

  private async sealRow(store: RecordStore, id: string, rev: number, updated: number, payload: KeyPayload | HostPayload, dek: CryptoKey): Promise<RecordRow> {
    const meta = { id, v: PAYLOAD_VERSION, rev, updated };
    const sealed = await sealJson(dek, payload, recordAad(store, meta));
    return { ...meta, iv: sealed.iv, ct: sealed.ct };
  }

  private async openRow(keys: Unlocked, store: RecordStore, row: RecordRow): Promise<unknown> {
    // Only current-format rows are trusted; a v1 row after migration can only be a replay.
    if (row.v !== PAYLOAD_VERSION || !(row.iv instanceof Uint8Array) || !(row.ct instanceof Uint8Array)) throw new VaultTamperedError('record', row.id, store);
    try {
      return await openJson(keys.dek, row, recordAad(store, row));
    } catch {
      throw new VaultTamperedError('record', row.id, store);
    }
  }

  private async openKeyRow(keys: Unlocked, row: RecordRow): Promise<KeyPayload> {
    const payload = await this.openRow(keys, 'keys', row);
    if (!isKeyPayload(payload)) throw new VaultTamperedError('record', row.id, 'keys');
    return payload;
  }

  private async openHostRow(keys: Unlocked, row: RecordRow): Promise<HostPayload> {
    const payload = await this.openRow(keys, 'hosts', row);
    if (!isHostPayload(payload)) throw new VaultTamperedError('record', row.id, 'hosts');
    return payload;
  }

  /** Reads one row after checking the session in the same transaction. */
  private async readRow(keys: Unlocked, store: RecordStore, id: string): Promise<RecordRow | undefined> {
    const db = await this.database();
    const tx = db.transaction(['meta', store], 'readonly');
    const [session, row] = await Promise.all([tx.objectStore('meta').get('session'), tx.objectStore(store).get(id), tx.done]);
    await this.checkSession(keys, session);
    return row;
  }

  /** Reads all rows of a store, newest change first, after checking the session in the same transaction. */
  private async readAll(keys: Unlocked, store: RecordStore): Promise<RecordRow[]> {
    const db = await this.database();
    const tx = db.transaction(['meta', store], 'readonly');
    const [session, rows] = await Promise.all([tx.objectStore('meta').get('session'), tx.objectStore(store).index('updated').getAll(), tx.done]);
    await this.checkSession(keys, session);
    return rows.reverse();
  }

  /** Decrypts every row of a store (newest change first); rows that fail are reported in `damaged`, not thrown. */
  private async openAll<P>(keys: Unlocked, store: RecordStore, open: (row: RecordRow) => Promise<P>): Promise<{ opened: Array<{ row: RecordRow; payload: P }>; damaged: VaultList<unknown>['damaged'] }> {
    const rows = await this.readAll(keys, store);
    const results = await Promise.allSettled(rows.map(open));
    this.assertStill(keys);
    const opened: Array<{ row: RecordRow; payload: P }> = [];
    const damaged: VaultList<unknown>['damaged'] = [];
    results.forEach((result, i) => {
      const row = rows[i]!;
      if (result.status === 'rejected') damaged.push({ id: row.id, error: result.reason as Error });
      else opened.push({ row, payload: result.value });
    });
    return { opened, damaged };
  }

  private async checkSession(keys: Unlocked, value: unknown): Promise<void> {
    const state = this.sessionState(keys, value);
    if (state === 'ok') return;
    if (state === 'idle') await this.lockEverywhere('idle');
    else this.dropKeys('elsewhere');
    throw new VaultLockedError(state === 'idle' ? 'idle' : 'elsewhere');
  }

  private async deleteRow(store: RecordStore, id: string): Promise<boolean> {
    return this.serialize(() =>
      this.guard(async () => {
        const keys = await this.requireKeys();
        const db = await this.database();
        const tx = db.transaction(['meta', store], 'readwrite');
        const [session, row] = await Promise.all([tx.objectStore('meta').get('session'), tx.objectStore(store).get(id)]);
        if (this.sessionState(keys, session) !== 'ok') {
          await tx.done;
          await this.checkSession(keys, session);
        }
        if (!row) {
          await tx.done;
          return false;
        }
        await Promise.all([tx.objectStore(store).delete(id), tx.done]);
        return true;
      }),
    );
  }

  /**
   * The one write path. Reads the named records, lets `plan` compute the changes from their
   * decrypted contents, encrypts outside any transaction (a transaction would auto-commit while
   * WebCrypto runs), then writes everything in one transaction that first checks that neither the
   * session nor any record read has changed; if one has, it starts over (optimistic concurrency).
   * Returns the written rows with their payloads.
   */
  private async transact(
    keys: Unlocked,
    ids: { keys: string[]; hosts: string[] },
    plan: (current: Current, now: number, updatedAt: { keys: Map<string, number>; hosts: Map<string, number> }) => Changes,
    replaceDamaged = false,
  ): Promise<{ keys: Map<string, { row: RecordRow; payload: KeyPayload }>; hosts: Map<string, { row: RecordRow; payload: HostPayload }> }> {
    const keyIds = [...new Set(ids.keys)];
    const hostIds = [...new Set(ids.hosts)];
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 ** Math.min(attempt, 6)));
      const db = await this.database();
      const rtx = db.transaction(['meta', 'keys', 'hosts'], 'readonly');
      const [session, keyRows, hostRows] = await Promise.all([
        rtx.objectStore('meta').get('session'),
        Promise.all(keyIds.map((id) => rtx.objectStore('keys').get(id))),
        Promise.all(hostIds.map((id) => rtx.objectStore('hosts').get(id))),
        rtx.done,
      ]);
      await this.checkSession(keys, session);
      const current: Current = { keys: new Map(), hosts: new Map() };
      const revs = new Map<string, number | undefined>();
      const updatedAt = { keys: new Map<string, number>(), hosts: new Map<string, number>() };
      // A damaged row is an error, unless the caller replaces it anyway (an import restoring it): then it reads as absent.
      const orAbsent = <P>(read: Promise<P>): Promise<P | undefined> => (replaceDamaged ? absentIfDamaged(read) : read);
      const [keyPayloads, hostPayloads] = await Promise.all([
        Promise.all(keyRows.map((row) => (row ? orAbsent(this.openKeyRow(keys, row)) : Promise.resolve(undefined)))),
        Promise.all(hostRows.map((row) => (row ? orAbsent(this.openHostRow(keys, row)) : Promise.resolve(undefined)))),
      ]);
      keyRows.forEach((row, i) => {
        current.keys.set(keyIds[i]!, keyPayloads[i]);
        revs.set(`keys/${keyIds[i]}`, row?.rev);
        if (row && keyPayloads[i]) updatedAt.keys.set(row.id, row.updated);
      });
      hostRows.forEach((row, i) => {
        current.hosts.set(hostIds[i]!, hostPayloads[i]);
        revs.set(`hosts/${hostIds[i]}`, row?.rev);
        if (row && hostPayloads[i]) updatedAt.hosts.set(row.id, row.updated);
      });
      const now = this.now();
      const changes = plan(current, now, updatedAt);
      const written = { keys: new Map<string, { row: RecordRow; payload: KeyPayload }>(), hosts: new Map<string, { row: RecordRow; payload: HostPayload }>() };
      const deletes: Array<{ store: RecordStore; id: string }> = [];
      const sealing: Array<Promise<{ store: RecordStore; row: RecordRow; payload: KeyPayload | HostPayload }>> = [];
      for (const store of ['keys', 'hosts'] as const) {
        for (const [id, payload] of changes[store] as Map<string, KeyPayload | HostPayload | null>) {
          if (payload === null) deletes.push({ store, id });
          else sealing.push(this.sealRow(store, id, (revs.get(`${store}/${id}`) ?? 0) + 1, now, payload, keys.dek).then((row) => ({ store, row, payload })));
        }
      }
      const puts = await Promise.all(sealing);
      for (const { store, row, payload } of puts) (written[store] as Map<string, { row: RecordRow; payload: KeyPayload | HostPayload }>).set(row.id, { row, payload });
      this.assertStill(keys);
      // Unchanged entries are returned as they are.
      for (const [id, payload] of current.keys) if (payload && !changes.keys.has(id)) written.keys.set(id, { row: keyRows[keyIds.indexOf(id)]!, payload });
      for (const [id, payload] of current.hosts) if (payload && !changes.hosts.has(id)) written.hosts.set(id, { row: hostRows[hostIds.indexOf(id)]!, payload });
      if (puts.length === 0 && deletes.length === 0) return written;

      const wtx = db.transaction(['meta', 'keys', 'hosts'], 'readwrite');
      const [session2, ...latest] = await Promise.all([
        wtx.objectStore('meta').get('session'),
        ...keyIds.map((id) => wtx.objectStore('keys').get(id)),
        ...hostIds.map((id) => wtx.objectStore('hosts').get(id)),
      ]);
      const changed = [...keyIds.map((id) => `keys/${id}`), ...hostIds.map((id) => `hosts/${id}`)].some((key, i) => (latest[i])?.rev !== revs.get(key));
      if (this.sessionState(keys, session2) !== 'ok' || changed) {
        await wtx.done;
        await this.checkSession(keys, session2);
        continue;
      }
      await Promise.all([...puts.map(({ store, row }) => wtx.objectStore(store).put(row)), ...deletes.map(({ store, id }) => wtx.objectStore(store).delete(id)), wtx.done]);
      return written;
    }
    throw new VaultConflictError();
  }

  /** Everything readable, for export. */
  private async collect(): Promise<{ contents: ExportContents; damaged: DamagedEntry[] }> {
    const keyList = await this.listKeys();
    const hostList = await this.listHostCredentials();
    return {
      contents: {
        keys: keyList.items.map((key) => ({ ...withoutUpdatedAt(key), updatedAt: key.updatedAt })),
        hosts: hostList.items.map(({ host, auth, updatedAt }) => ({ host, auth, updatedAt })),
      },
      damaged: [...keyList.damaged.map(({ id }) => ({ store: 'keys' as const, id })), ...hostList.damaged.map(({ id }) => ({ store: 'hosts' as const, id }))],
    };
  }

  // --- internals: plumbing ------------------------------------------------------------------

  private database(): Promise<VaultDatabase> {
    if (!this.db) {
      const opening = openVaultDb(this.factory, this.name, {
        blockedTimeoutMs: this.blockedTimeoutMs,
        onClose: () => {
          if (this.db === opening) this.db = null;
        },
      });
      this.db = opening;
      opening.catch(() => {
        if (this.db === opening) this.db = null;
      });
    }
    return this.db;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs an operation and turns whatever IndexedDB throws into a {@link VaultError}. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw toVaultError(error);
    }
  }
}

/** The key payload fields of a stored or exported key (drops `id` and `updatedAt`). */
function withoutUpdatedAt(key: KeyPayload & { updatedAt: number }): KeyPayload {
  const { host, keyId, name, secret, createdAt, source, notes, expiresAt, storedAt, history } = key;
  return { host, keyId, name, secret, createdAt, source, notes, expiresAt, storedAt, history };
}

function toStoredKey({ row, payload }: { row: RecordRow; payload: KeyPayload }): StoredApiKey {
  return { id: row.id, ...payload, history: payload.history.map((h) => ({ ...h })), updatedAt: row.updated };
}

function toHostCredential({ row, payload }: { row: RecordRow; payload: HostPayload }): HostCredential {
  return { id: row.id, host: payload.host, auth: { ...payload.auth }, updatedAt: payload.changedAt ?? row.updated };
}

/** A read whose damaged row (VaultTamperedError) counts as absent; any other error still fails. */
function absentIfDamaged<P>(read: Promise<P>): Promise<P | undefined> {
  return read.catch((error: unknown) => {
    if (error instanceof VaultTamperedError) return undefined;
    throw error;
  });
}

/** An import file's entries, by the ids they take in this vault. */
interface Incoming {
  keys: Map<string, KeyPayload>;
  hosts: Map<string, { payload: HostPayload; updatedAt: number }>;
}

interface ImportPlan {
  changes: Changes;
  actions: { keys: Map<string, ImportAction>; hosts: Map<string, ImportAction> };
}

/**
 * The merge rules of an import, shared by the import and its preview: a new key is added; a known
 * key is merged (the later-stored secret is current, every other one goes to history), or skipped
 * if that changes nothing; a host credential replaces the local one only if the file's is newer
 * than the local row's last change. A local entry that is missing (or damaged) is added.
 */
function planImport(incoming: Incoming, current: Current, updatedAt: { keys: Map<string, number>; hosts: Map<string, number> }): ImportPlan {
  const changes: Changes = { keys: new Map(), hosts: new Map() };
  const actions = { keys: new Map<string, ImportAction>(), hosts: new Map<string, ImportAction>() };
  for (const [id, theirs] of incoming.keys) {
    const mine = current.keys.get(id);
    const merged = mine ? mergeKeys(mine, theirs) : theirs;
    if (mine && samePayload(mine, merged)) actions.keys.set(id, 'skip');
    else {
      changes.keys.set(id, merged);
      actions.keys.set(id, mine ? 'replace' : 'add');
    }
  }
  for (const [id, theirs] of incoming.hosts) {
    const mine = current.hosts.get(id);
    const mineChanged = mine?.changedAt ?? updatedAt.hosts.get(id) ?? 0;
    const same = mine !== undefined && mine.host === theirs.payload.host && samePayload(mine.auth, theirs.payload.auth);
    if (mine && (same || mineChanged >= theirs.updatedAt)) actions.hosts.set(id, 'skip');
    else {
      changes.hosts.set(id, theirs.payload);
      actions.hosts.set(id, mine ? 'replace' : 'add');
    }
  }
  return { changes, actions };
}

/**
 * Refuses a file whose dates lie in the future (more than {@link IMPORT_FUTURE_TOLERANCE_MS}): the
 * times that decide a merge (when a secret was stored or superseded, when an entry or a host
 * sign-in changed, when the file was written). The NAS's own dates (creation, expiry) are not checked.
 */
function checkImportTimes(exportedAt: number, contents: ExportContents, now: number): void {
  const limit = now + IMPORT_FUTURE_TOLERANCE_MS;
  const future = (t: number) => t > limit;
  const bad =
    future(exportedAt) ||
    contents.keys.some((k) => future(k.storedAt) || future(k.updatedAt) || k.history.some((h) => future(h.storedAt) || future(h.supersededAt))) ||
    contents.hosts.some((h) => future(h.updatedAt));
  if (bad) throw new ImportFormatError('future-timestamp');
}
