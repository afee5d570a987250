import { expect } from '@open-wc/testing';
import { VaultInputError, VaultLockedError, VaultTamperedError, type SealedBlob, type Vault } from './index.js';
import { Clock, OTHER_PASSPHRASE, PASSPHRASE, dropDatabase, rejection, testVault, uniqueName } from './testing/support.js';

/** Flips one bit of a base64 field, at byte `index` of the decoded bytes. */
function flipBase64(text: string, index: number): string {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  bytes[index] = bytes[index]! ^ 0x01;
  return btoa(String.fromCharCode(...bytes));
}

describe('vault: sealed app data (seal / open)', () => {
  let name: string;
  const opened: Vault[] = [];
  const open = (clock?: Clock) => {
    const v = testVault(name, clock ? { now: clock.now } : {});
    opened.push(v);
    return v;
  };
  beforeEach(() => {
    name = uniqueName('vault-seal');
  });
  afterEach(async () => {
    opened.splice(0).forEach((v) => v.close());
    await dropDatabase(name);
  });

  it('round-trips JSON values as a JSON-safe blob with a fresh IV each time', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const value = { hosts: ['https://nas.local', 'https://backup.lan'], keys: [{ id: 7, name: 'tab\there \u202Eevil' }], n: 3, ok: true, none: null };
    const blob = await vault.seal('key-cache', value);
    expect(Object.keys(blob).sort()).to.deep.equal(['ct', 'iv', 'v']);
    expect(blob.v).to.equal(1);
    expect(blob.iv).to.match(/^[A-Za-z0-9+/]+=*$/);
    // JSON-safe: survives a JSON round trip (what chrome.storage.local does) and holds nothing in clear.
    const stored = JSON.parse(JSON.stringify(blob)) as unknown;
    expect(JSON.stringify(blob)).to.not.include('nas.local');
    expect(await vault.open('key-cache', stored)).to.deep.equal(value);
    const again = await vault.seal('key-cache', value);
    expect(again.iv).to.not.equal(blob.iv);
    expect(again.ct).to.not.equal(blob.ct);
    for (const v of ['text', 0, [], [1, 'two'], null]) expect(await vault.open('x', await vault.seal('x', v))).to.deep.equal(v);
  });

  it('refuses values that are not JSON data and labels that are not text', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    for (const bad of [undefined, () => 1, Symbol('s')]) {
      const error = (await rejection(vault.seal('x', bad))) as VaultInputError;
      expect(error).to.be.instanceOf(VaultInputError);
      expect(error.field).to.equal('value');
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await rejection(vault.seal('x', cyclic))).to.be.instanceOf(VaultInputError);
    expect(((await rejection(vault.seal('', 1))) as VaultInputError).field).to.equal('label');
    expect(((await rejection(vault.open(7 as unknown as string, {}))) as VaultInputError).field).to.equal('label');
  });

  it('does not open under another label', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const blob = await vault.seal('hosts', ['https://nas.local']);
    const error = (await rejection(vault.open('key-cache', blob))) as VaultTamperedError;
    expect(error).to.be.instanceOf(VaultTamperedError);
    expect(error.part).to.equal('blob');
    expect(error.message).to.not.include('hosts');
  });

  it('reports a flipped byte, a cut-off or malformed blob as tampered', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const blob = await vault.seal('hosts', { a: 'secret-ish' });
    const bad: unknown[] = [
      { ...blob, ct: flipBase64(blob.ct, 0) },
      { ...blob, ct: flipBase64(blob.ct, atob(blob.ct).length - 1) },
      { ...blob, iv: flipBase64(blob.iv, 5) },
      { ...blob, ct: blob.ct.slice(0, 8) },
      { ...blob, v: 2 },
      { ...blob, iv: 'not base64!' },
      { iv: blob.iv },
      'a string',
      null,
      undefined,
      42,
    ];
    for (const b of bad) {
      const error = (await rejection(vault.open('hosts', b))) as VaultTamperedError;
      expect(error, JSON.stringify(b)).to.be.instanceOf(VaultTamperedError);
      expect(error.part).to.equal('blob');
    }
    expect(await vault.open('hosts', blob)).to.deep.equal({ a: 'secret-ish' });
  });

  it('refuses both while locked, and a blob from another vault does not open', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const blob = await vault.seal('hosts', [1, 2, 3]);
    await vault.lock();
    expect(await rejection(vault.seal('hosts', [1]))).to.be.instanceOf(VaultLockedError);
    expect(await rejection(vault.open('hosts', blob))).to.be.instanceOf(VaultLockedError);
    // Locked wins over malformed: a locked vault says nothing about the blob.
    expect(await rejection(vault.open('hosts', 'junk'))).to.be.instanceOf(VaultLockedError);
    await vault.unlock(PASSPHRASE);
    expect(await vault.open('hosts', blob)).to.deep.equal([1, 2, 3]);

    const otherName = uniqueName('vault-seal-other');
    const other = testVault(otherName);
    try {
      await other.create(PASSPHRASE);
      expect(await rejection(other.open('hosts', blob))).to.be.instanceOf(VaultTamperedError);
    } finally {
      other.close();
      await dropDatabase(otherName);
    }
  });

  it('returns no plaintext when the vault locks while opening', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const blob = await vault.seal('hosts', { big: 'x'.repeat(100_000) });
    const pending = [vault.open('hosts', blob), vault.seal('hosts', { other: 1 })].map((p) => rejection(p));
    await vault.lock();
    for (const result of pending) expect(await result).to.be.instanceOf(VaultLockedError);
  });

  it('still opens after a passphrase change (same data key)', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const blob: SealedBlob = await vault.seal('hosts', { list: ['a', 'b'] });
    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    expect(await vault.open('hosts', blob)).to.deep.equal({ list: ['a', 'b'] });
    await vault.lock();
    await vault.unlock(OTHER_PASSPHRASE);
    expect(await vault.open('hosts', blob)).to.deep.equal({ list: ['a', 'b'] });
  });

  it('does not move the idle deadline', async () => {
    const clock = new Clock();
    const vault = open(clock);
    await vault.create(PASSPHRASE);
    await vault.setAutoLockDelay(60_000);
    const deadline = await vault.deadline();
    clock.advance(30_000);
    const blob = await vault.seal('hosts', 1);
    await vault.open('hosts', blob);
    expect(await vault.deadline()).to.equal(deadline);
    clock.advance(30_000);
    expect(((await rejection(vault.open('hosts', blob))) as VaultLockedError).reason).to.equal('idle');
  });
});
