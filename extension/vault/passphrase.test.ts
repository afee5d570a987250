import { expect } from '@open-wc/testing';
import { VaultStorageError, WrongPassphraseError, type Vault } from './index.js';
import { OTHER_PASSPHRASE, PASSPHRASE, dropDatabase, rawDump, rawGet, rejection, sampleKey, testVault, uniqueName } from './testing/support.js';

/**
 * Fault injection on the real IndexedDB: while armed, the transaction that writes the vault header
 * is aborted right after the header `put` was queued, before it can commit (what a crash, a closed
 * browser or a storage failure in the middle of the re-wrap does).
 */
function abortHeaderWrites(): { restore: () => void; aborted: () => number } {
  const original = IDBObjectStore.prototype.put;
  let count = 0;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const request = original.call(this, value, key);
    if (this.name === 'meta' && key === 'header') {
      count++;
      this.transaction.abort();
    }
    return request;
  };
  return { restore: () => (IDBObjectStore.prototype.put = original), aborted: () => count };
}

describe('vault: changing the passphrase is atomic', () => {
  let name: string;
  let vault: Vault;
  beforeEach(async () => {
    name = uniqueName('vault-passphrase');
    vault = testVault(name);
    await vault.create(PASSPHRASE);
    await vault.saveKeys([sampleKey(1, { notes: 'one' }), sampleKey(2), sampleKey(3, { host: 'https://second.lan' })]);
    await vault.saveHostCredential('https://nas.example.lan', { kind: 'password', username: 'root', password: 'root password' });
  });
  afterEach(async () => {
    vault.close();
    await dropDatabase(name);
  });

  it('a failure in the middle of the header write leaves the old passphrase working and every record intact', async () => {
    const before = await rawDump(name);
    const listBefore = await vault.listKeys();
    const fault = abortHeaderWrites();
    let error: Error;
    try {
      error = await rejection(vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE));
    } finally {
      fault.restore();
    }
    expect(fault.aborted()).to.equal(1);
    expect(error).to.be.instanceOf(VaultStorageError);
    // Byte for byte: header, records and host credentials as they were.
    const after = await rawDump(name);
    expect(after.keys).to.deep.equal(before.keys);
    expect(after.hosts).to.deep.equal(before.hosts);
    expect(await rawGet(name, 'meta', 'header')).to.deep.equal(before.meta!.find((r) => r.key === 'header')!.value);

    await vault.lock();
    expect(await rejection(vault.unlock(OTHER_PASSPHRASE))).to.be.instanceOf(WrongPassphraseError);
    await vault.unlock(PASSPHRASE);
    const listAfter = await vault.listKeys();
    expect(listAfter.damaged).to.deep.equal([]);
    expect(listAfter.items).to.deep.equal(listBefore.items);
    expect((await vault.getHostCredential('https://nas.example.lan'))!.auth).to.deep.equal({ kind: 'password', username: 'root', password: 'root password' });

    // And the change works once the fault is gone.
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    await vault.lock();
    await vault.unlock(OTHER_PASSPHRASE);
    expect((await vault.listKeys()).items).to.deep.equal(listBefore.items);
  });

  it('after a change only the new passphrase unlocks, in this instance and in a fresh one', async () => {
    const listBefore = await vault.listKeys();
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    await vault.lock();
    const fresh = testVault(name);
    try {
      for (const v of [vault, fresh]) {
        expect(await rejection(v.unlock(PASSPHRASE))).to.be.instanceOf(WrongPassphraseError);
        await v.unlock(OTHER_PASSPHRASE);
        expect((await v.listKeys()).items).to.deep.equal(listBefore.items);
        await v.lock();
      }
    } finally {
      fresh.close();
    }
  });

  it('a wrong current passphrase changes nothing and counts as a failure', async () => {
    const before = await rawDump(name);
    expect(await rejection(vault.changePassphrase('not the passphrase', OTHER_PASSPHRASE))).to.be.instanceOf(WrongPassphraseError);
    expect((await vault.status()).failures).to.equal(1);
    const after = await rawDump(name);
    expect(after.keys).to.deep.equal(before.keys);
    expect(await rawGet(name, 'meta', 'header')).to.deep.equal(before.meta!.find((r) => r.key === 'header')!.value);
  });
});
