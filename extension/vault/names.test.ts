import { expect } from '@open-wc/testing';
import { VaultInputError, type Vault } from './index.js';
import { PASSPHRASE, dropDatabase, rejection, sampleKey, secretFor, testVault, uniqueName } from './testing/support.js';

/** Names TrueNAS 22.02-23.10 (or a hostile NAS) can hand out; none may stop a secret from being stored. */
const NAMES: Array<[string, string]> = [
  ['empty', ''],
  ['a single space', ' '],
  ['whitespace around', '  padded name\t'],
  ['a tab', 'tab\there'],
  ['a line break', 'line\nbreak\r\n'],
  ['NUL and other C0 controls', 'nul\u0000bell\u0007esc\u001b'],
  ['DEL and C1 controls', 'del\u007fc1\u0085\u009b'],
  ['bidi overrides', 'backup-\u202Etxt.exe\u202C-job'],
  ['bidi isolates and marks', '\u2067rtl\u2069\u200f\u200e\u061c'],
  ['zero-width and BOM', 'zero\u200bwidth\ufeff'],
  ['a lone surrogate', 'broken \ud800 pair'],
  ['201 characters', 'n'.repeat(201)],
  ['100,000 characters', 'x'.repeat(99_990) + ' \u202Eend\t\n'],
];

describe('vault: names never refuse a secret', () => {
  let name: string;
  let vault: Vault;
  beforeEach(async () => {
    name = uniqueName('vault-names');
    vault = testVault(name);
    await vault.create(PASSPHRASE);
  });
  afterEach(async () => {
    vault.close();
    await dropDatabase(name);
  });

  NAMES.forEach(([what, keyName], i) => {
    it(`saveKey, saveKeys and updateKey store a name with ${what} exactly as given`, async () => {
      const keyId = 10 + i;
      const saved = await vault.saveKey(sampleKey(keyId, { name: keyName }));
      expect(saved.name).to.equal(keyName);
      expect((await vault.getKey(saved.id))!.name).to.equal(keyName);
      // A reset under the same name keeps both secrets.
      const reset = await vault.saveKey(sampleKey(keyId, { name: keyName, secret: secretFor(keyId, 'reset'), source: 'reset' }));
      expect(reset.name).to.equal(keyName);
      expect(reset.history.map((h) => h.secret)).to.deep.equal([secretFor(keyId)]);
      const [batch] = await vault.saveKeys([sampleKey(500 + i, { name: keyName })]);
      expect((await vault.getKey(batch!.id))!.name).to.equal(keyName);
      const renamed = await vault.updateKey(batch!.id, { name: `${keyName}` });
      expect(renamed!.name).to.equal(keyName);
      const other = await vault.saveKey(sampleKey(900 + i, { name: 'plain' }));
      expect((await vault.updateKey(other.id, { name: keyName }))!.name).to.equal(keyName);
      expect((await vault.getKey(other.id))!.name).to.equal(keyName);
    });
  });

  it('survives an export and import round trip with every odd name', async () => {
    await vault.saveKeys(NAMES.map(([, keyName], i) => sampleKey(100 + i, { name: keyName })));
    const { content, keys } = await vault.exportEncrypted(PASSPHRASE);
    expect(keys).to.equal(NAMES.length);
    const otherName = uniqueName('vault-names-import');
    const other = testVault(otherName);
    try {
      await other.create(PASSPHRASE);
      expect((await other.importFile(content, PASSPHRASE)).added).to.equal(NAMES.length);
      const byId = new Map((await other.listKeys()).items.map((k) => [k.keyId, k.name]));
      NAMES.forEach(([, keyName], i) => expect(byId.get(100 + i)).to.equal(keyName));
    } finally {
      other.close();
      await dropDatabase(otherName);
    }
  });

  it('still refuses a name that is not text', async () => {
    for (const bad of [null, 7, {}, ['a']]) {
      const error = (await rejection(vault.saveKey({ ...sampleKey(1), name: bad as unknown as string }))) as VaultInputError;
      expect(error).to.be.instanceOf(VaultInputError);
      expect(error.field).to.equal('name');
    }
    const saved = await vault.saveKey(sampleKey(2));
    expect(((await rejection(vault.updateKey(saved.id, { name: 3 as unknown as string }))) as VaultInputError).field).to.equal('name');
  });
});
