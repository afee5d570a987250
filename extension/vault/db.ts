/**
 * The vault's IndexedDB schema, its versioned migrations and the mapping of IndexedDB failures to
 * vault errors.
 *
 * Schema history (the IndexedDB version is the schema version):
 * - v1: `meta` (out-of-line keys: `header`) and `keys` (keyPath `id`: `{ id, iv, ct }`, random ids,
 *   additional data `nas-key-vault|keys|<id>|v1`). No host credentials, no key history.
 * - v2 (current): rows get a payload version `v`, a revision `rev` (optimistic concurrency) and a
 *   clear `updated` time (indexed); a `hosts` store holds host credentials; `meta` also holds
 *   `session`, `settings` and `throttle`. Record ids become blind (HMAC of host and key id).
 *   The structural part runs here in the upgrade transaction; re-encrypting v1 payloads needs the
 *   data key, so it runs inside the first unlock, in one transaction (see vault.ts).
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { QuotaError, VaultBlockedError, VaultError, VaultStorageError, VaultVersionError } from './errors.js';

export const SCHEMA_VERSION = 2;

export type RecordStore = 'keys' | 'hosts';

/** One encrypted record as stored. Everything but `id`, `v`, `rev` and `updated` is ciphertext. */
export interface RecordRow {
  id: string;
  /** Payload format version (1: written by schema v1, 2: current). */
  v: number;
  /** Incremented on every write; a write only lands if the revision it read is still current. */
  rev: number;
  /** Last change, epoch ms (index for listing; not secret). */
  updated: number;
  iv: Uint8Array;
  ct: Uint8Array;
}

export type MetaKey = 'header' | 'session' | 'settings' | 'throttle';

export interface VaultDB extends DBSchema {
  /** Values are validated on every read: they come from disk and may have been changed. */
  meta: { key: MetaKey; value: unknown };
  keys: { key: string; value: RecordRow; indexes: { updated: number } };
  hosts: { key: string; value: RecordRow; indexes: { updated: number } };
}

export type VaultDatabase = IDBPDatabase<VaultDB>;

/** Structural migrations, in order. Runs inside the version-change transaction. */
function upgrade(db: IDBDatabase, tx: IDBTransaction, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore('meta');
    db.createObjectStore('keys', { keyPath: 'id' });
  }
  if (oldVersion < 2) {
    const keys = tx.objectStore('keys');
    // v1 rows have no revision or clear time: give them defaults so the new index covers them.
    keys.openCursor().onsuccess = (event) => {
      const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
      if (!cursor) return;
      const row = cursor.value as Partial<RecordRow>;
      if (row.v === undefined) cursor.update({ ...row, v: 1, rev: 0, updated: 0 });
      cursor.continue();
    };
    keys.createIndex('updated', 'updated');
    db.createObjectStore('hosts', { keyPath: 'id' }).createIndex('updated', 'updated');
  }
}

export interface OpenOptions {
  /** How long to wait for older connections to close before giving up with {@link VaultBlockedError}. */
  blockedTimeoutMs: number;
  /** Called when the connection is closed under us (an upgrade or delete elsewhere, or the browser). */
  onClose: () => void;
}

/**
 * Opens (creating or migrating) the vault database with the given IndexedDB factory.
 * A blocked upgrade fails with {@link VaultBlockedError} and leaves the database as it was: if the
 * other connection closes later, the late upgrade is aborted.
 */
export function openVaultDb(factory: IDBFactory, name: string, options: OpenOptions): Promise<VaultDatabase> {
  return new Promise((resolve, reject) => {
    let gaveUp = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, SCHEMA_VERSION);
    } catch (error) {
      reject(toVaultError(error));
      return;
    }
    request.onupgradeneeded = (event) => {
      clearTimeout(timer);
      const tx = request.transaction!;
      if (gaveUp) {
        tx.abort();
        return;
      }
      try {
        upgrade(request.result, tx, event.oldVersion);
      } catch (error) {
        tx.abort();
        gaveUp = true;
        reject(toVaultError(error));
      }
    };
    request.onblocked = () => {
      timer = setTimeout(() => {
        gaveUp = true;
        reject(new VaultBlockedError());
      }, options.blockedTimeoutMs);
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      const db = request.result;
      if (gaveUp) {
        db.close();
        return;
      }
      // Never hold up someone else's upgrade or delete: close, and reopen on the next call.
      db.onversionchange = () => {
        db.close();
        options.onClose();
      };
      db.onclose = () => options.onClose();
      resolve(wrap(db) as unknown as VaultDatabase);
    };
    request.onerror = (event) => {
      clearTimeout(timer);
      event.preventDefault();
      if (gaveUp) return;
      const error = request.error;
      if (error?.name === 'VersionError') {
        storedVersion(factory, name).then(
          (found) => reject(new VaultVersionError(found, SCHEMA_VERSION)),
          () => reject(new VaultVersionError(null, SCHEMA_VERSION)),
        );
      } else {
        reject(toVaultError(error));
      }
    };
  });
}

/** The version of an existing database (opening without a version never upgrades). */
function storedVersion(factory: IDBFactory, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name);
    request.onsuccess = () => {
      const version = request.result.version;
      request.result.close();
      resolve(version);
    };
    request.onerror = () => reject(request.error ?? new Error('The IndexedDB request failed.'));
  });
}

/** Deletes the vault database; resolves once it is gone. */
export function deleteVaultDb(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(toVaultError(request.error));
  });
}

/** Maps whatever IndexedDB threw (or a transaction's abort error) to a vault error. */
export function toVaultError(error: unknown): VaultError {
  if (error instanceof VaultError) return error;
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error).name) : '';
  if (name === 'QuotaExceededError') return new QuotaError({ cause: error });
  return new VaultStorageError({ cause: error });
}
