/**
 * Installs the v1 fixture into a database exactly as the schema-v1 code laid it out (IndexedDB
 * version 1: `meta` with out-of-line keys, `keys` with keyPath `id`), with plain IndexedDB calls.
 */
import { fromBase64 } from '../codec.js';
import { V1_FIXTURE } from './v1-fixture.js';

const bytes = (b64: string): Uint8Array => fromBase64(b64)!;

/** The v1 header as v1 stored it (bytes as Uint8Array). */
export function v1Header() {
  const h = V1_FIXTURE.header;
  return {
    format: h.format,
    v: h.v,
    kdf: { name: h.kdf.name, hash: h.kdf.hash, iterations: h.kdf.iterations, salt: bytes(h.kdf.salt) },
    verifier: bytes(h.verifier),
    dek: { iv: bytes(h.dek.iv), wrapped: bytes(h.dek.wrapped) },
    created: h.created,
    rev: h.rev,
    check: bytes(h.check),
  };
}

/**
 * Opens `name` at version 1, creating the v1 stores and writing the fixture. With `keepOpen`, the
 * connection stays open and ignores version changes, like a tab still running the old code.
 */
export function installV1Fixture(name: string, options: { keepOpen?: boolean } = {}): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      const meta = db.createObjectStore('meta');
      const keys = db.createObjectStore('keys', { keyPath: 'id' });
      meta.put(v1Header(), 'header');
      for (const row of V1_FIXTURE.rows) keys.put({ id: row.id, iv: bytes(row.iv), ct: bytes(row.ct) });
    };
    request.onsuccess = () => {
      const db = request.result;
      if (options.keepOpen) db.onversionchange = () => undefined;
      else db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
}
