import { expect } from '@open-wc/testing';
import { IMPORT_FUTURE_TOLERANCE_MS, ImportFormatError, VaultLockedError, WrongPassphraseError, type HostAuth, type Vault, type VaultOptions } from './index.js';
import type { RecordRow } from './db.js';
import { Clock, PASSPHRASE, dropDatabase, flipped, rawDump, rawGet, rawPut, rejection, sampleKey, secretFor, testVault, uniqueName } from './testing/support.js';

const FILE_PASSPHRASE = 'the export file passphrase';
const HOST = 'https://nas.example.lan';
const OLD_LOGIN: HostAuth = { kind: 'password', username: 'admin', password: 'old password 1' };
const NEW_LOGIN: HostAuth = { kind: 'password', username: 'admin', password: 'new password 2' };

describe('vault: export damage, import preview and import dates', () => {
  const names: string[] = [];
  const opened: Vault[] = [];
  const fresh = async (options: VaultOptions = {}) => {
    const name = uniqueName('vault-preview');
    names.push(name);
    const vault = testVault(name, options);
    opened.push(vault);
    await vault.create(PASSPHRASE);
    return { vault, name };
  };
  afterEach(async () => {
    opened.splice(0).forEach((v) => v.close());
    await Promise.all(names.splice(0).map((n) => dropDatabase(n)));
  });

  it('export names every damaged entry it left out (store and opaque id) and counts only what it wrote', async () => {
    const { vault, name } = await fresh();
    const [k1, k2] = await vault.saveKeys([sampleKey(1), sampleKey(2), sampleKey(3)]);
    const host = await vault.saveHostCredential(HOST, OLD_LOGIN);
    await vault.saveHostCredential('https://second.lan', NEW_LOGIN);
    expect((await vault.exportEncrypted(FILE_PASSPHRASE)).damaged).to.deep.equal([]);
    for (const [store, id] of [['keys', k1!.id], ['keys', k2!.id], ['hosts', host.id]] as const) {
      const row = (await rawGet(name, store, id)) as RecordRow;
      await rawPut(name, store, { ...row, ct: flipped(row.ct) });
    }
    const result = await vault.exportEncrypted(FILE_PASSPHRASE);
    expect(result.keys).to.equal(1);
    expect(result.hosts).to.equal(1);
    expect(result.damaged).to.have.deep.members([
      { store: 'keys', id: k1!.id },
      { store: 'keys', id: k2!.id },
      { store: 'hosts', id: host.id },
    ]);
    // The file holds exactly what the counts say.
    const target = await fresh();
    expect(await target.vault.importFile(result.content, FILE_PASSPHRASE)).to.deep.equal({ added: 2, updated: 0, unchanged: 0 });
  });

  it('deleteDamaged removes a damaged key or host credential by id, and never a healthy one', async () => {
    const { vault, name } = await fresh();
    const [bad, good] = await vault.saveKeys([sampleKey(1), sampleKey(2)]);
    const host = await vault.saveHostCredential(HOST, OLD_LOGIN);
    const healthyHost = await vault.saveHostCredential('https://second.lan', NEW_LOGIN);
    for (const [store, id] of [['keys', bad!.id], ['hosts', host.id]] as const) {
      const row = (await rawGet(name, store, id)) as RecordRow;
      await rawPut(name, store, { ...row, iv: flipped(row.iv, 0) });
    }
    expect(await vault.deleteDamaged('keys', good!.id)).to.equal(false);
    expect(await vault.deleteDamaged('hosts', healthyHost.id)).to.equal(false);
    expect(await vault.deleteDamaged('keys', 'no-such-id')).to.equal(false);
    expect(await vault.deleteDamaged('keys', host.id)).to.equal(false); // wrong store: nothing there
    expect(await vault.deleteDamaged('keys', bad!.id)).to.equal(true);
    expect(await vault.deleteDamaged('hosts', host.id)).to.equal(true);
    expect((await vault.listKeys()).damaged).to.deep.equal([]);
    expect((await vault.listHostCredentials()).damaged).to.deep.equal([]);
    expect((await vault.listKeys()).items.map((k) => k.id)).to.deep.equal([good!.id]);
    expect((await vault.getHostCredential('https://second.lan'))!.auth).to.deep.equal(NEW_LOGIN);
    await vault.lock();
    expect(await rejection(vault.deleteDamaged('keys', good!.id))).to.be.instanceOf(VaultLockedError);
  });

  it('previews adds, replaces and skips without writing, and the import then does exactly that', async () => {
    const source = await fresh();
    await source.vault.saveKeys([sampleKey(1, { name: ' ' }), sampleKey(2, { name: '<b>bold</b>' }), sampleKey(3, { name: 'backup-\u202Etxt.exe' })]);
    await source.vault.saveHostCredential(HOST, NEW_LOGIN);
    await source.vault.saveHostCredential('https://other.lan', NEW_LOGIN);
    const file = (await source.vault.exportEncrypted(FILE_PASSPHRASE)).content;

    const target = await fresh();
    await target.vault.saveKey(sampleKey(1, { name: ' ' })); // same secret, same fields: skip
    await target.vault.saveKey(sampleKey(2, { name: 'local', secret: secretFor(2, 'older') })); // replace
    await target.vault.saveHostCredential('https://other.lan', NEW_LOGIN); // same sign-in: skip
    const before = await rawDump(target.name);
    const preview = await target.vault.previewImport(file, FILE_PASSPHRASE);
    expect(await rawDump(target.name)).to.deep.equal(before);
    const byKey = Object.fromEntries(preview.keys.map((k) => [k.keyId, k]));
    expect(byKey[1]).to.deep.equal({ host: HOST, keyId: 1, name: ' ', action: 'skip' });
    expect(byKey[2]).to.deep.equal({ host: HOST, keyId: 2, name: '<b>bold</b>', action: 'replace' });
    expect(byKey[3]).to.deep.equal({ host: HOST, keyId: 3, name: 'backup-\u202Etxt.exe', action: 'add' });
    expect(preview.hosts).to.have.deep.members([
      { host: HOST, action: 'add' },
      { host: 'https://other.lan', action: 'skip' },
    ]);
    expect(preview.counts).to.deep.equal({ add: 2, replace: 1, skip: 2 });
    expect(preview.exportedAt).to.be.a('number');
    // Nothing in the preview reveals a secret.
    expect(JSON.stringify(preview)).to.not.include(secretFor(1).slice(3));
    expect(JSON.stringify(preview)).to.not.include('new password');

    expect(await target.vault.importFile(file, FILE_PASSPHRASE)).to.deep.equal({ added: 2, updated: 1, unchanged: 2 });
    // Now everything is a skip.
    expect((await target.vault.previewImport(file, FILE_PASSPHRASE)).counts).to.deep.equal({ add: 0, replace: 0, skip: 5 });
  });

  it('the preview has the import refusals: wrong file passphrase (not counted), bad file, locked', async () => {
    const source = await fresh();
    await source.vault.saveKey(sampleKey(1));
    const file = (await source.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    const target = await fresh();
    expect(await rejection(target.vault.previewImport(file, 'not the file passphrase'))).to.be.instanceOf(WrongPassphraseError);
    expect((await target.vault.status()).failures).to.equal(0);
    expect(((await rejection(target.vault.previewImport('{', FILE_PASSPHRASE))) as ImportFormatError).problem).to.equal('not-json');
    await target.vault.lock();
    expect(await rejection(target.vault.previewImport(file, FILE_PASSPHRASE))).to.be.instanceOf(VaultLockedError);
  });

  it('refuses a file with dates more than 5 minutes in the future (preview and import), accepts small skew', async () => {
    const sourceClock = new Clock();
    const source = await fresh({ now: sourceClock.now });
    await source.vault.saveKey(sampleKey(1));
    await source.vault.saveHostCredential(HOST, NEW_LOGIN);
    const skewed = (await source.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    const targetClock = new Clock(sourceClock.t - IMPORT_FUTURE_TOLERANCE_MS + 1_000); // the target is 4 min 59 s behind
    const target = await fresh({ now: targetClock.now });
    expect((await target.vault.previewImport(skewed, FILE_PASSPHRASE)).counts.add).to.equal(2);

    targetClock.advance(-10_000); // now more than 5 minutes behind
    const before = await rawDump(target.name);
    for (const call of [() => target.vault.previewImport(skewed, FILE_PASSPHRASE), () => target.vault.importFile(skewed, FILE_PASSPHRASE)]) {
      const error = (await rejection(call())) as ImportFormatError;
      expect(error).to.be.instanceOf(ImportFormatError);
      expect(error.problem).to.equal('future-timestamp');
      expect(error.message).to.match(/dates in the future/);
    }
    expect(await rawDump(target.name)).to.deep.equal(before);
  });

  it('a re-imported older file never overwrites a newer local host sign-in, even after passing through another vault', async () => {
    const clock = new Clock();
    const a = await fresh({ now: clock.now });
    await a.vault.saveHostCredential(HOST, OLD_LOGIN);
    const oldFile = (await a.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    clock.advance(60_000);
    await a.vault.saveHostCredential(HOST, NEW_LOGIN);

    expect((await a.vault.previewImport(oldFile, FILE_PASSPHRASE)).hosts).to.deep.equal([{ host: HOST, action: 'skip' }]);
    expect(await a.vault.importFile(oldFile, FILE_PASSPHRASE)).to.deep.equal({ added: 0, updated: 0, unchanged: 1 });
    expect((await a.vault.getHostCredential(HOST))!.auth).to.deep.equal(NEW_LOGIN);

    // The old file goes through vault B, which imports it later and exports it again: its date stays the old one.
    clock.advance(60_000);
    const b = await fresh({ now: clock.now });
    await b.vault.importFile(oldFile, FILE_PASSPHRASE);
    clock.advance(60_000);
    const relayed = (await b.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    expect((await a.vault.previewImport(relayed, FILE_PASSPHRASE)).hosts).to.deep.equal([{ host: HOST, action: 'skip' }]);
    await a.vault.importFile(relayed, FILE_PASSPHRASE);
    expect((await a.vault.getHostCredential(HOST))!.auth).to.deep.equal(NEW_LOGIN);

    // A newer file does replace an older local sign-in.
    const newer = (await a.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    expect((await b.vault.previewImport(newer, FILE_PASSPHRASE)).hosts).to.deep.equal([{ host: HOST, action: 'replace' }]);
    await b.vault.importFile(newer, FILE_PASSPHRASE);
    expect((await b.vault.getHostCredential(HOST))!.auth).to.deep.equal(NEW_LOGIN);
  });

  it('a re-imported older file never makes an older key secret current; the older one goes to history', async () => {
    const clock = new Clock();
    const a = await fresh({ now: clock.now });
    await a.vault.saveKey(sampleKey(4, { secret: secretFor(4, 'first') }));
    const oldFile = (await a.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    clock.advance(60_000);
    await a.vault.saveKey(sampleKey(4, { secret: secretFor(4, 'second'), source: 'reset' }));
    await a.vault.importFile(oldFile, FILE_PASSPHRASE);
    const key = (await a.vault.findKey(HOST, 4))!;
    expect(key.secret).to.equal(secretFor(4, 'second'));
    expect(key.history.map((h) => h.secret)).to.deep.equal([secretFor(4, 'first')]);
  });

  it('an import restores a damaged local entry from the file (previewed as an add)', async () => {
    const source = await fresh();
    const saved = await source.vault.saveKey(sampleKey(7, { notes: 'restore me' }));
    const file = (await source.vault.exportEncrypted(FILE_PASSPHRASE)).content;
    // Damage the source's own row, then restore it from its backup.
    const row = (await rawGet(source.name, 'keys', saved.id)) as RecordRow;
    await rawPut(source.name, 'keys', { ...row, ct: flipped(row.ct) });
    expect((await source.vault.listKeys()).damaged.map((d) => d.id)).to.deep.equal([saved.id]);
    expect((await source.vault.previewImport(file, FILE_PASSPHRASE)).keys.map((k) => k.action)).to.deep.equal(['add']);
    expect(await source.vault.importFile(file, FILE_PASSPHRASE)).to.deep.equal({ added: 1, updated: 0, unchanged: 0 });
    const list = await source.vault.listKeys();
    expect(list.damaged).to.deep.equal([]);
    expect(list.items.map((k) => [k.id, k.secret, k.notes])).to.deep.equal([[saved.id, saved.secret, 'restore me']]);
  });
});
