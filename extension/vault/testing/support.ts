/**
 * Test helpers for the vault's browser tests: unique databases, a controllable clock, raw
 * IndexedDB access (to inspect and damage what is really stored) and realistic sample keys.
 * Not shipped: only *.test.ts files and the benchmark import this.
 */
import { wrap, type IDBPDatabase } from 'idb';
import { Vault, type SaveKeyInput, type VaultOptions } from '../index.js';

export const PASSPHRASE = 'correct horse battery staple';
export const OTHER_PASSPHRASE = 'a different passphrase, also long';

let counter = 0;
/** A database name no other test uses. */
export function uniqueName(prefix = 'vault-test'): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A manual clock: `now` for the vault, `advance` for the test. */
export class Clock {
  constructor(public t = Date.now()) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A vault with the test-only weak KDF (1,000 iterations) so tests stay fast. */
export function testVault(name: string, options: VaultOptions = {}): Vault {
  return new Vault({ name, kdfIterations: 1_000, insecureTestOnlyAllowWeakKdf: true, blockedTimeoutMs: 300, ...options });
}

/** A TrueNAS-shaped secret: `<id>-<64 alphanumerics>`, unique per seed. */
export function secretFor(keyId: number, seed = ''): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let state = 2166136261;
  for (const ch of `${keyId}/${seed}`) state = Math.imul(state ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 64; i++) {
    state = Math.imul(state ^ (state >>> 13), 1274126177) >>> 0;
    out += alphabet[(state + i) % alphabet.length];
  }
  return `${keyId}-${out}`;
}

export function sampleKey(keyId: number, overrides: Partial<SaveKeyInput> = {}): SaveKeyInput {
  return {
    host: 'https://nas.example.lan',
    keyId,
    name: `key number ${keyId}`,
    secret: secretFor(keyId),
    source: 'create',
    createdAt: 1_700_000_000_000 + keyId,
    notes: '',
    expiresAt: null,
    ...overrides,
  };
}

type Store = 'meta' | 'keys' | 'hosts';

/** Every store's rows as stored (keys included), read with a plain connection that is closed at once. */
export async function rawDump(name: string, factory: IDBFactory = indexedDB): Promise<Record<string, Array<{ key: IDBValidKey; value: unknown }>>> {
  const db = await openRaw(name, factory);
  try {
    const out: Record<string, Array<{ key: IDBValidKey; value: unknown }>> = {};
    for (const store of Array.from(db.objectStoreNames)) {
      const keys = await db.getAllKeys(store);
      const values = await db.getAll(store);
      out[store] = keys.map((key, i) => ({ key, value: values[i] }));
    }
    return out;
  } finally {
    db.close();
  }
}

export async function rawGet(name: string, store: Store, key: IDBValidKey): Promise<unknown> {
  const db = await openRaw(name);
  try {
    return await db.get(store, key);
  } finally {
    db.close();
  }
}

/** Writes a raw value (`key` for the out-of-line `meta` store). */
export async function rawPut(name: string, store: Store, value: unknown, key?: IDBValidKey): Promise<void> {
  const db = await openRaw(name);
  try {
    await db.put(store, value, key);
  } finally {
    db.close();
  }
}

export async function rawDelete(name: string, store: Store, key: IDBValidKey): Promise<void> {
  const db = await openRaw(name);
  try {
    await db.delete(store, key);
  } finally {
    db.close();
  }
}

export async function rawVersion(name: string): Promise<number> {
  const db = await openRaw(name);
  const version = db.version;
  db.close();
  return version;
}

function openRaw(name: string, factory: IDBFactory = indexedDB): Promise<IDBPDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name);
    request.onsuccess = () => resolve(wrap(request.result));
    request.onerror = () => reject(request.error);
  });
}

/** A copy of `bytes` with one bit flipped at `index` (default: the middle). */
export function flipped(bytes: Uint8Array, index = bytes.length >> 1): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

/** Deletes a test database (closing nothing: callers close their vaults first). */
export function dropDatabase(name: string, factory: IDBFactory = indexedDB): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
}

/** Captures a rejection for assertions (`expect(await rejection(p)).to.be.instanceOf(...)`). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
}
