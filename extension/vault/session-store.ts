/**
 * Session persistence: lets an unlocked vault survive a service-worker restart without asking for
 * the passphrase again, and never survive a browser restart.
 *
 * At unlock the vault makes a random session key and stores, through a {@link SessionStore}, that key
 * plus the data and index keys wrapped by it. The intended backing store is `storage.session`
 * (memory only, cleared when the browser closes or the extension reloads, JSON values only). When
 * the worker wakes, the vault reads it back, checks the persisted session id and idle deadline in
 * IndexedDB, and unwraps non-extractable keys. Locking (explicit, idle or elsewhere) clears it.
 *
 * Trade-off: while a session is open, key material sits in browser memory outside the worker (in
 * `storage.session`), readable by any code of the extension's origin (not by content scripts with
 * the default access level). It is never written to disk. Without a session store the vault
 * still works: a worker restart then simply locks it.
 */

/** What the vault writes to the session store: JSON only (strings and numbers). */
export interface SessionSnapshot {
  v: 1;
  /** The session id it belongs to (must match the one persisted in IndexedDB). */
  session: string;
  /** Raw session key, base64. */
  key: string;
  dek: { iv: string; wrapped: string };
  idx: { iv: string; wrapped: string };
}

/** Where the vault keeps its session snapshot. Implementations must keep it out of persistent storage. */
export interface SessionStore {
  /** The stored snapshot, or undefined. The vault validates whatever comes back. */
  load(): Promise<unknown>;
  save(snapshot: SessionSnapshot): Promise<void>;
  clear(): Promise<void>;
}

/** A store in this page's memory: for tests and pages. Share one instance between vaults to model `storage.session`. */
export class MemorySessionStore implements SessionStore {
  private snapshot: string | undefined;

  async load(): Promise<unknown> {
    return this.snapshot === undefined ? undefined : (JSON.parse(this.snapshot) as unknown);
  }

  async save(snapshot: SessionSnapshot): Promise<void> {
    // Stored as JSON, like storage.session, so tests exercise the same serialisation.
    this.snapshot = JSON.stringify(snapshot);
  }

  async clear(): Promise<void> {
    this.snapshot = undefined;
  }
}

/** The part of `chrome.storage.session` / `browser.storage.session` the vault uses. */
export interface SessionStorageArea {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string): Promise<void>;
}

/** A {@link SessionStore} over `chrome.storage.session` (or the polyfill's `browser.storage.session`). */
export class StorageAreaSessionStore implements SessionStore {
  constructor(
    private readonly area: SessionStorageArea,
    private readonly key = 'nas-key-vault.session',
  ) {}

  async load(): Promise<unknown> {
    return (await this.area.get(this.key))[this.key];
  }

  save(snapshot: SessionSnapshot): Promise<void> {
    return this.area.set({ [this.key]: snapshot });
  }

  clear(): Promise<void> {
    return this.area.remove(this.key);
  }
}
