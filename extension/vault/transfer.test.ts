import { expect } from '@open-wc/testing';
import {
  EXPORT_FORMAT,
  ImportFormatError,
  KdfPolicyError,
  PLAINTEXT_EXPORT_CONFIRMATION,
  PLAINTEXT_FORMAT,
  Vault,
  VaultLockedError,
  WrongPassphraseError,
  type ImportProblem,
} from './index.js';
import { OTHER_PASSPHRASE, PASSPHRASE, dropDatabase, rawDump, rejection, sampleKey, secretFor, testVault, uniqueName } from './testing/support.js';

const FILE_PASSPHRASE = 'the export file passphrase';

describe('vault: export and import', () => {
  const names: string[] = [];
  const opened: Vault[] = [];
  const fresh = async (passphrase = PASSPHRASE) => {
    const name = uniqueName('vault-transfer');
    names.push(name);
    const vault = testVault(name);
    opened.push(vault);
    await vault.create(passphrase);
    return { vault, name };
  };
  afterEach(async () => {
    opened.splice(0).forEach((v) => v.close());
    await Promise.all(names.splice(0).map((n) => dropDatabase(n)));
  });

  async function populated() {
    const source = await fresh();
    await source.vault.saveKeys([sampleKey(1, { notes: 'used by Home Assistant', expiresAt: 1_900_000_000_000 }), sampleKey(2), sampleKey(3, { host: 'https://second.lan' })]);
    await source.vault.saveKey(sampleKey(2, { secret: secretFor(2, 'reset'), source: 'reset' }));
    await source.vault.saveHostCredential('https://nas.example.lan', { kind: 'password', username: 'admin', password: 'correct-battery' });
    return source;
  }

  it('exports an encrypted file with its KDF parameters that imports elsewhere with the passphrase', async () => {
    const source = await populated();
    const exported = await source.vault.exportEncrypted(FILE_PASSPHRASE);
    expect(exported).to.include({ keys: 3, hosts: 1 });
    expect(exported.damaged).to.deep.equal([]);
    const file = JSON.parse(exported.content) as { format: string; version: number; kdf: { name: string; hash: string; iterations: number; salt: string } };
    expect(file.format).to.equal(EXPORT_FORMAT);
    expect(file.version).to.equal(1);
    expect(file.kdf).to.include({ name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000 });
    expect(atob(file.kdf.salt)).to.have.length(16);

    // Another vault, another passphrase: only the file passphrase is needed.
    const target = await fresh(OTHER_PASSPHRASE);
    expect(await target.vault.importFile(exported.content, FILE_PASSPHRASE)).to.deep.equal({ added: 4, updated: 0, unchanged: 0 });
    // Ids are per vault (blind index) and updatedAt is the import time: compare everything else.
    const strip = (list: Awaited<ReturnType<Vault['listKeys']>>) =>
      list.items.map((k) => ({ ...k, id: '', updatedAt: 0 })).sort((x, y) => (x.keyId ?? 0) - (y.keyId ?? 0));
    expect(strip(await target.vault.listKeys())).to.deep.equal(strip(await source.vault.listKeys()));
    const reset = (await target.vault.findKey('https://nas.example.lan', 2))!;
    expect(reset.secret).to.equal(secretFor(2, 'reset'));
    expect(reset.history.map((h) => h.secret)).to.deep.equal([secretFor(2)]);
    expect((await target.vault.getHostCredential('https://nas.example.lan'))?.auth).to.deep.equal({ kind: 'password', username: 'admin', password: 'correct-battery' });

    // Importing the same file again changes nothing and duplicates nothing.
    expect(await target.vault.importFile(exported.content, FILE_PASSPHRASE)).to.deep.equal({ added: 0, updated: 0, unchanged: 4 });
    expect((await target.vault.listKeys()).items).to.have.length(3);
    expect((await target.vault.listHostCredentials()).items).to.have.length(1);
  });

  it('merges overlapping keys: the later secret is current, the other goes to history', async () => {
    const source = await populated();
    const file = (await source.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    const target = await fresh();
    // The target knows key 1 with an older secret and its own notes, and key 9 the source lacks.
    await target.vault.saveKeys([sampleKey(1, { secret: secretFor(1, 'older'), notes: 'target notes' }), sampleKey(9)]);
    const result = await target.vault.importFile(file, FILE_PASSPHRASE);
    expect(result).to.deep.equal({ added: 3, updated: 1, unchanged: 0 });
    const one = (await target.vault.findKey('https://nas.example.lan', 1))!;
    expect([one.secret, ...one.history.map((h) => h.secret)].sort()).to.deep.equal([secretFor(1), secretFor(1, 'older')].sort());
    expect(one.notes).to.equal('target notes');
    expect((await target.vault.listKeys()).items.map((k) => k.keyId).sort()).to.deep.equal([1, 2, 3, 9]);
  });

  it('a plaintext export needs the explicit confirmation and is refused by import', async () => {
    const source = await populated();
    const plain = await source.vault.exportPlaintext(PLAINTEXT_EXPORT_CONFIRMATION);
    const parsed = JSON.parse(plain.content) as { format: string; warning: string; keys: Array<{ secret: string }> };
    expect(parsed.format).to.equal(PLAINTEXT_FORMAT);
    expect(parsed.warning).to.match(/UNENCRYPTED/);
    expect(parsed.keys.map((k) => k.secret)).to.include(secretFor(1));
    const target = await fresh();
    const error = (await rejection(target.vault.importFile(plain.content, FILE_PASSPHRASE))) as ImportFormatError;
    expect(error.problem).to.equal('plaintext');
  });

  it('import and export need an unlocked vault', async () => {
    const source = await populated();
    const file = (await source.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    await source.vault.lock();
    expect(await rejection(source.vault.importFile(file, FILE_PASSPHRASE))).to.be.instanceOf(VaultLockedError);
    expect(await rejection(source.vault.exportEncrypted(FILE_PASSPHRASE))).to.be.instanceOf(VaultLockedError);
    expect(await rejection(source.vault.exportPlaintext(PLAINTEXT_EXPORT_CONFIRMATION))).to.be.instanceOf(VaultLockedError);
  });

  describe('refuses bad files with a specific error and leaves the vault untouched', () => {
    let file: string;
    let target: { vault: Vault; name: string };
    let before: Awaited<ReturnType<typeof rawDump>>;
    beforeEach(async () => {
      const source = await populated();
      file = (await source.vault.exportEncrypted(FILE_PASSPHRASE)).content;
      target = await fresh();
      await target.vault.saveKey(sampleKey(50));
      before = await rawDump(target.name);
    });
    afterEach(async () => {
      expect(await rawDump(target.name)).to.deep.equal(before);
    });

    const mutate = (edit: (f: Record<string, unknown> & { data: { ct: string; iv: string }; kdf: Record<string, unknown> }) => void) => {
      const f = JSON.parse(file);
      edit(f);
      return JSON.stringify(f);
    };
    /** Flips one base64 character in the middle of a field. */
    const flipChar = (b64: string) => {
      const i = b64.length >> 1;
      return b64.slice(0, i) + (b64[i] === 'A' ? 'B' : 'A') + b64.slice(i + 1);
    };

    const cases: Array<[string, () => string, ImportProblem]> = [
      ['an empty file', () => '   ', 'empty'],
      ['a file that is not JSON', () => 'hello, I am a text file', 'not-json'],
      ['a truncated file', () => file.slice(0, Math.floor(file.length * 0.6)), 'truncated'],
      ['a file cut one character short', () => file.trim().slice(0, -1), 'truncated'],
      ['JSON of another format', () => JSON.stringify({ format: 'bitwarden', items: [] }), 'wrong-format'],
      ['a JSON array', () => '[1,2,3]', 'wrong-format'],
      ['a file from a newer version', () => mutate((f) => (f.version = 2)), 'newer-version'],
      ['a flipped ciphertext character', () => mutate((f) => (f.data.ct = flipChar(f.data.ct))), 'corrupt'],
      ['a flipped IV character', () => mutate((f) => (f.data.iv = flipChar(f.data.iv))), 'corrupt'],
      ['a changed salt', () => mutate((f) => (f.kdf.salt = flipChar(f.kdf.salt as string))), 'corrupt'],
      ['a changed iteration count', () => mutate((f) => (f.kdf.iterations = 1_001)), 'corrupt'],
      ['a changed export time', () => mutate((f) => (f.exportedAt = 1)), 'corrupt'],
      ['a missing data field', () => mutate((f) => delete (f as Record<string, unknown>).data), 'corrupt'],
      ['invalid base64', () => mutate((f) => (f.data.ct = '***')), 'corrupt'],
      ['a corrupted byte inside the JSON', () => file.replace('"kdf":', '"kdf"='), 'corrupt'],
    ];
    for (const [what, make, problem] of cases) {
      it(`${what} → ImportFormatError(${problem})`, async () => {
        const error = (await rejection(target.vault.importFile(make(), FILE_PASSPHRASE))) as ImportFormatError;
        expect(error).to.be.instanceOf(ImportFormatError);
        expect(error.problem).to.equal(problem);
        expect(error.message).to.match(/Nothing was imported\.$/);
      });
    }

    it('a wrong file passphrase → WrongPassphraseError, not counted against the vault', async () => {
      const error = (await rejection(target.vault.importFile(file, 'not the file passphrase'))) as WrongPassphraseError;
      expect(error).to.be.instanceOf(WrongPassphraseError);
      expect(error.message).to.match(/does not open this export file/);
      expect((await target.vault.status()).failures).to.equal(0);
    });

    it('a file whose iterations are below the floor → KdfPolicyError (for a vault without the test flag)', async () => {
      const strictName = uniqueName('vault-transfer-strict');
      names.push(strictName);
      const strict = new Vault({ name: strictName });
      opened.push(strict);
      await strict.create(PASSPHRASE);
      const error = (await rejection(strict.importFile(file, FILE_PASSPHRASE))) as KdfPolicyError;
      expect(error).to.be.instanceOf(KdfPolicyError);
      expect(error.iterations).to.equal(1_000);
      expect((await strict.listKeys()).items).to.deep.equal([]);
    });
  });
});
