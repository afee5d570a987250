import { expect } from '@open-wc/testing';
import {
  ConfirmationRequiredError,
  QuotaError,
  VaultInputError,
  VaultTamperedError,
  WrongPassphraseError,
  type SaveKeyInput,
  type StoredApiKey,
  type Vault,
} from './index.js';
import type { RecordRow } from './db.js';
import type { HeaderRow } from './header.js';
import { PASSPHRASE, dropDatabase, flipped, rawDump, rawGet, rawPut, rejection, sampleKey, secretFor, testVault, uniqueName } from './testing/support.js';

/** A stored header as the vault writes it today (a v2 header always has the index key). */
type Header = Required<HeaderRow>;

describe('vault faults: tampering', () => {
  let name: string;
  let vault: Vault;
  let keys: StoredApiKey[];
  beforeEach(async () => {
    name = uniqueName('vault-tamper');
    vault = testVault(name);
    await vault.create(PASSPHRASE);
    keys = await vault.saveKeys([sampleKey(1), sampleKey(2), sampleKey(3)]);
    await vault.saveHostCredential('https://a.lan', { kind: 'api-key', apiKey: secretFor(1, 'login') });
  });
  afterEach(async () => {
    vault.close();
    await dropDatabase(name);
  });

  const damageCases: Array<[string, (row: RecordRow) => RecordRow]> = [
    ['a flipped ciphertext byte', (row) => ({ ...row, ct: flipped(row.ct) })],
    ['a flipped tag byte', (row) => ({ ...row, ct: flipped(row.ct, row.ct.length - 1) })],
    ['a flipped IV byte', (row) => ({ ...row, iv: flipped(row.iv, 0) })],
    ['a changed revision', (row) => ({ ...row, rev: row.rev + 1 })],
    ['a changed clear timestamp', (row) => ({ ...row, updated: row.updated + 1 })],
    ['a relabelled payload version', (row) => ({ ...row, v: 1 })],
  ];
  for (const [what, damage] of damageCases) {
    it(`detects ${what} in a record; the other records stay readable`, async () => {
      const target = keys[1]!;
      const row = (await rawGet(name, 'keys', target.id)) as RecordRow;
      await rawPut(name, 'keys', damage(row));
      const error = (await rejection(vault.getKey(target.id))) as VaultTamperedError;
      expect(error).to.be.instanceOf(VaultTamperedError);
      expect(error).to.include({ part: 'record', recordId: target.id, store: 'keys' });
      expect(error.message).to.match(/damaged or was modified/);
      expect(error.message).to.not.include(target.secret);
      expect((await vault.getKey(keys[0]!.id))?.secret).to.equal(keys[0]!.secret);
      const list = await vault.listKeys();
      expect(list.items.map((k) => k.id).sort()).to.deep.equal([keys[0]!.id, keys[2]!.id].sort());
      expect(list.damaged.map((d) => d.id)).to.deep.equal([target.id]);
      expect(list.damaged[0]!.error).to.be.instanceOf(VaultTamperedError);
      // A damaged entry is not silently overwritten, but it can be deleted.
      expect(await rejection(vault.updateKey(target.id, { notes: 'x' }))).to.be.instanceOf(VaultTamperedError);
      expect(await vault.deleteKey(target.id)).to.equal(true);
      expect((await vault.listKeys()).damaged).to.deep.equal([]);
    });
  }

  it('refuses a record moved into another slot (swap) or into the other store', async () => {
    const [a, b] = keys as [StoredApiKey, StoredApiKey];
    const rowA = (await rawGet(name, 'keys', a.id)) as RecordRow;
    const rowB = (await rawGet(name, 'keys', b.id)) as RecordRow;
    // A's ciphertext in B's slot, with B's clear fields: must not decrypt as B.
    await rawPut(name, 'keys', { ...rowB, iv: rowA.iv, ct: rowA.ct });
    expect(await rejection(vault.getKey(b.id))).to.be.instanceOf(VaultTamperedError);
    // And with A's clear fields too (a full copy under B's id).
    await rawPut(name, 'keys', { ...rowA, id: b.id });
    expect(await rejection(vault.getKey(b.id))).to.be.instanceOf(VaultTamperedError);
    expect((await vault.getKey(a.id))?.secret).to.equal(a.secret);
    // A key row copied over the host credential's slot.
    const host = (await vault.listHostCredentials()).items[0]!;
    await rawPut(name, 'hosts', { ...rowA, id: host.id });
    const error = (await rejection(vault.getHostCredential('https://a.lan'))) as VaultTamperedError;
    expect(error).to.include({ part: 'record', store: 'hosts' });
    expect((await vault.listHostCredentials()).damaged.map((d) => d.id)).to.deep.equal([host.id]);
  });

  const headerCases: Array<[string, (h: Header) => Header]> = [
    ['salt', (h) => ({ ...h, kdf: { ...h.kdf, salt: flipped(h.kdf.salt) } })],
    ['iteration count', (h) => ({ ...h, kdf: { ...h.kdf, iterations: h.kdf.iterations ^ 1 } })],
    ['verifier', (h) => ({ ...h, verifier: flipped(h.verifier) })],
    ['wrapping IV', (h) => ({ ...h, dek: { ...h.dek, iv: flipped(h.dek.iv) } })],
    ['checksum', (h) => ({ ...h, check: flipped(h.check) })],
    ['shape (missing KDF)', (h) => ({ ...h, kdf: undefined as never })],
  ];
  for (const [what, damage] of headerCases) {
    it(`detects a damaged header (${what}) as tampering, not as a wrong passphrase`, async () => {
      await vault.lock();
      const header = (await rawGet(name, 'meta', 'header')) as Header;
      await rawPut(name, 'meta', damage(header), 'header');
      const before = await rawDump(name);
      const error = (await rejection(vault.unlock(PASSPHRASE))) as VaultTamperedError;
      expect(error).to.be.instanceOf(VaultTamperedError);
      expect(error.part).to.equal('header');
      expect((await vault.status()).failures).to.equal(0);
      expect(await rawDump(name)).to.deep.equal(before);
    });
  }

  for (const which of ['dek', 'idx'] as const) {
    it(`detects a flipped byte in the wrapped ${which === 'dek' ? 'data' : 'index'} key`, async () => {
      await vault.lock();
      const header = (await rawGet(name, 'meta', 'header')) as Header;
      await rawPut(name, 'meta', { ...header, [which]: { ...header[which], wrapped: flipped(header[which].wrapped) } }, 'header');
      const error = (await rejection(vault.unlock(PASSPHRASE))) as VaultTamperedError;
      expect(error).to.be.instanceOf(VaultTamperedError);
      expect(error.part).to.equal('wrapped-key');
      expect(error.message).to.match(/stored key is damaged/);
      expect(vault.unlocked).to.equal(false);
      // A wrong passphrase is still told apart from the damage.
      expect(await rejection(vault.unlock('some other passphrase'))).to.be.instanceOf(WrongPassphraseError);
    });
  }

  it('refuses to swap the wrapped data key and index key', async () => {
    await vault.lock();
    const header = (await rawGet(name, 'meta', 'header')) as Header;
    await rawPut(name, 'meta', { ...header, dek: header.idx, idx: header.dek }, 'header');
    const error = (await rejection(vault.unlock(PASSPHRASE))) as VaultTamperedError;
    // The IVs are covered by the checksum, so the swap is caught there already.
    expect(error).to.be.instanceOf(VaultTamperedError);
  });
});

/** Chromium's Storage Buckets API: a bucket has its own IndexedDB and a real, enforced quota. */
interface StorageBucketLike {
  indexedDB: IDBFactory;
  estimate(): Promise<{ usage?: number; quota?: number }>;
}
interface StorageBucketManagerLike {
  open(name: string, options: { quota: number; persisted?: boolean }): Promise<StorageBucketLike>;
  delete(name: string): Promise<void>;
}

describe('vault faults: storage quota (real QuotaExceededError from a storage bucket)', () => {
  const buckets = (navigator as unknown as { storageBuckets: StorageBucketManagerLike }).storageBuckets;
  let bucketName: string;
  let vault: Vault;
  beforeEach(() => {
    bucketName = `vault-quota-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  });
  afterEach(async () => {
    vault?.close();
    await buckets.delete(bucketName);
  });

  // Quota accounting includes the database files' own overhead (tens of KiB), so leave room for it.
  const QUOTA = 256 * 1024;
  const BIG = 150;
  const noisyNotes = (seed: number) => Array.from({ length: 3_900 }, (_, i) => String.fromCharCode(33 + ((i * 7919 + seed * 104729) % 90))).join('');

  it('a save that exceeds the quota fails with QuotaError and writes nothing; earlier data is intact', async () => {
    const bucket = await buckets.open(bucketName, { quota: QUOTA, persisted: false });
    vault = testVault('vault', { indexedDB: bucket.indexedDB });
    await vault.create(PASSPHRASE);
    const first = await vault.saveKeys([sampleKey(1, { notes: 'kept' }), sampleKey(2)]);

    // 150 keys with ~4 KB of incompressible notes each (~600 KB): beyond the quota, in one transaction.
    const batch: SaveKeyInput[] = Array.from({ length: BIG }, (_, i) => sampleKey(1000 + i, { notes: noisyNotes(i) }));
    const error = await rejection(vault.saveKeys(batch));
    expect(error).to.be.instanceOf(QuotaError);
    expect(error.message).to.match(/no storage space left/);
    expect((error as QuotaError).cause).to.have.property('name', 'QuotaExceededError');

    const { items, damaged } = await vault.listKeys();
    expect(items.map((k) => k.keyId).sort()).to.deep.equal([1, 2]);
    expect(damaged).to.deep.equal([]);
    expect((await vault.getKey(first[0]!.id))?.notes).to.equal('kept');
  });

  it('an import that exceeds the quota fails with QuotaError and imports nothing', async () => {
    // Build a big export in an unlimited database first.
    const sourceName = uniqueName('vault-quota-src');
    const source = testVault(sourceName);
    await source.create(PASSPHRASE);
    await source.saveKeys(Array.from({ length: BIG }, (_, i) => sampleKey(1000 + i, { notes: noisyNotes(i) })));
    const file = (await source.exportEncrypted(PASSPHRASE)).content;
    source.close();
    await dropDatabase(sourceName);

    const bucket = await buckets.open(bucketName, { quota: QUOTA, persisted: false });
    vault = testVault('vault', { indexedDB: bucket.indexedDB });
    await vault.create(PASSPHRASE);
    await vault.saveKey(sampleKey(1));
    expect(await rejection(vault.importFile(file, PASSPHRASE))).to.be.instanceOf(QuotaError);
    expect((await vault.listKeys()).items.map((k) => k.keyId)).to.deep.equal([1]);
  });
});

describe('vault faults: bad input', () => {
  let name: string;
  let vault: Vault;
  beforeEach(async () => {
    name = uniqueName('vault-input');
    vault = testVault(name);
    await vault.create(PASSPHRASE);
    await vault.saveKey(sampleKey(1));
  });
  afterEach(async () => {
    vault.close();
    await dropDatabase(name);
  });

  const keyCases: Array<[string, Partial<SaveKeyInput> | Record<string, unknown>, string, RegExp]> = [
    ['an empty host', { host: '  ' }, 'host', /host is empty/],
    ['a host with spaces', { host: 'nas local' }, 'host', /spaces/],
    // Any name text is accepted (names.test.ts); only a name that is not text is refused.
    ['a name that is not text', { name: 42 }, 'name', /must be text/],
    ['an empty secret', { secret: '' }, 'secret', /secret is empty/],
    ['a secret with a line break', { secret: `${secretFor(1)}\n` }, 'secret', /copied whole/],
    ['a secret of another key', { keyId: 5, secret: secretFor(6) }, 'secret', /belongs to key 6, not to key 5/],
    ['a fractional key id', { keyId: 1.5 }, 'keyId', /positive whole number/],
    ['a key id given as text', { keyId: '1' }, 'keyId', /positive whole number/],
    ['an unknown source', { source: 'stolen' }, 'source', /create, reset, manual/],
    ['notes that are too long', { notes: 'x'.repeat(4001) }, 'notes', /at most 4000 characters/],
    ['a creation time that is not a number', { createdAt: Number.NaN }, 'createdAt', /epoch milliseconds/],
    ['a negative expiry', { expiresAt: -1 }, 'expiresAt', /epoch milliseconds/],
  ];
  for (const [what, change, field, message] of keyCases) {
    it(`refuses ${what} (field ${field}) and stores nothing`, async () => {
      const error = (await rejection(vault.saveKey({ ...sampleKey(2), ...change }))) as VaultInputError;
      expect(error).to.be.instanceOf(VaultInputError);
      expect(error.field).to.equal(field);
      expect(error.message).to.match(message);
      expect(error.message).to.not.include(secretFor(1).slice(2));
      expect((await vault.listKeys()).items.map((k) => k.keyId)).to.deep.equal([1]);
    });
  }

  it('refuses bad host credentials with the field named', async () => {
    const cases: Array<[unknown, string]> = [
      [{ kind: 'token', token: 'x' }, 'kind'],
      [{ kind: 'api-key', apiKey: 'has space' }, 'apiKey'],
      [{ kind: 'password', username: '', password: 'x' }, 'username'],
      [{ kind: 'password', username: 'root', password: '' }, 'password'],
      [null, 'auth'],
    ];
    for (const [auth, field] of cases) {
      const error = (await rejection(vault.saveHostCredential('https://a.lan', auth as never))) as VaultInputError;
      expect(error, field).to.be.instanceOf(VaultInputError);
      expect(error.field).to.equal(field);
    }
    expect((await vault.listHostCredentials()).items).to.deep.equal([]);
  });

  it('refuses short passphrases, bad idle times, a batch that is not a list, and an unconfirmed plaintext export', async () => {
    const otherName = uniqueName('vault-input-other');
    const other = testVault(otherName);
    const short = (await rejection(other.create('short'))) as VaultInputError;
    expect(short).to.be.instanceOf(VaultInputError);
    expect(short.message).to.match(/at least 8 characters/);
    expect(((await rejection(vault.changePassphrase(PASSPHRASE, 'tiny'))) as VaultInputError).field).to.equal('newPassphrase');
    expect(((await rejection(vault.setAutoLockDelay(10))) as VaultInputError).field).to.equal('autoLockMs');
    expect(((await rejection(vault.saveKeys('nope' as never))) as VaultInputError).field).to.equal('inputs');
    const confirm = await rejection(vault.exportPlaintext('yes' as never));
    expect(confirm).to.be.instanceOf(ConfirmationRequiredError);
    expect(confirm.message).to.include('I understand this file is not encrypted');
    other.close();
    await dropDatabase(otherName);
    // Nothing changed: the vault still opens with the old passphrase.
    await vault.lock();
    await vault.unlock(PASSPHRASE);
  });
});

describe('vault faults: two callers at once', () => {
  let name: string;
  let a: Vault;
  let b: Vault;
  beforeEach(async () => {
    name = uniqueName('vault-race');
    a = testVault(name);
    b = testVault(name);
    await a.create(PASSPHRASE);
    await b.unlock(PASSPHRASE);
  });
  afterEach(async () => {
    a.close();
    b.close();
    await dropDatabase(name);
  });

  it('concurrent edits of different fields of one key from two instances both land', async () => {
    const saved = await a.saveKey(sampleKey(1));
    for (let round = 0; round < 5; round++) {
      await Promise.all([a.updateKey(saved.id, { notes: `notes ${round}` }), b.updateKey(saved.id, { name: `name ${round}` })]);
      const now = await a.getKey(saved.id);
      expect(now).to.include({ notes: `notes ${round}`, name: `name ${round}` });
    }
  });

  it('concurrent resets from two instances lose no secret', async () => {
    await a.saveKey(sampleKey(7));
    const fromA = Array.from({ length: 12 }, (_, i) => a.saveKey(sampleKey(7, { secret: secretFor(7, `a${i}`), source: 'reset' })));
    const fromB = Array.from({ length: 12 }, (_, i) => b.saveKey(sampleKey(7, { secret: secretFor(7, `b${i}`), source: 'reset' })));
    await Promise.all([...fromA, ...fromB]);
    const key = (await a.findKey(sampleKey(7).host, 7))!;
    const all = [key.secret, ...key.history.map((h) => h.secret)].sort();
    const expected = [secretFor(7), ...Array.from({ length: 12 }, (_, i) => secretFor(7, `a${i}`)), ...Array.from({ length: 12 }, (_, i) => secretFor(7, `b${i}`))].sort();
    expect(all).to.deep.equal(expected);
  });

  it('concurrent first saves of the same key make one entry; different keys all arrive', async () => {
    await Promise.all([a.saveKey(sampleKey(3, { secret: secretFor(3, 'from a') })), b.saveKey(sampleKey(3, { secret: secretFor(3, 'from b') }))]);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).saveKey(sampleKey(100 + i))));
    const { items } = await b.listKeys();
    expect(items).to.have.length(21);
    const three = items.find((k) => k.keyId === 3)!;
    expect([three.secret, ...three.history.map((h) => h.secret)].sort()).to.deep.equal([secretFor(3, 'from a'), secretFor(3, 'from b')].sort());
  });

  it('concurrent wrong passphrases are all counted', async () => {
    await a.lock();
    await Promise.all([rejection(a.unlock('wrong one 1')), rejection(b.unlock('wrong one 2')), rejection(a.unlock('wrong one 3'))]);
    expect((await a.status()).failures).to.equal(3);
  });
});
