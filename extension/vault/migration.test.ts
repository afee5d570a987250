import { expect } from '@open-wc/testing';
import { SCHEMA_VERSION, Vault, VaultBlockedError, VaultVersionError, WrongPassphraseError } from './index.js';
import { dropDatabase, flipped, rawDump, rawGet, rawPut, rawVersion, rejection, uniqueName } from './testing/support.js';
import { V1_FIXTURE } from './testing/v1-fixture.js';
import { installV1Fixture } from './testing/v1-loader.js';

const [oldBackup, newBackup, homeAssistant] = V1_FIXTURE.records;

describe('vault: migrations (v1 fixture → current)', () => {
  let name: string;
  const opened: Vault[] = [];
  // The fixture uses the real 600,000 iterations: no test-only flag here.
  const open = () => {
    const v = new Vault({ name, blockedTimeoutMs: 300 });
    opened.push(v);
    return v;
  };
  beforeEach(() => {
    name = uniqueName('vault-v1');
  });
  afterEach(async () => {
    opened.splice(0).forEach((v) => v.close());
    await dropDatabase(name);
  });

  it('upgrades the schema on open, then re-encrypts and merges v1 records at the first unlock', async () => {
    await installV1Fixture(name);
    const vault = open();
    expect(await vault.exists()).to.equal(true);
    expect(await rawVersion(name)).to.equal(SCHEMA_VERSION);
    // Structural step done (defaults for the new fields, hosts store), payloads still v1.
    const upgraded = await rawDump(name);
    expect(upgraded.hosts).to.deep.equal([]);
    expect(upgraded.keys!.map((r) => (r.value as { v: number; rev: number }).v)).to.deep.equal([1, 1, 1]);
    expect(((await rawGet(name, 'meta', 'header')) as { v: number }).v).to.equal(1);

    await vault.unlock(V1_FIXTURE.passphrase);
    const { items, damaged } = await vault.listKeys();
    expect(damaged).to.deep.equal([]);
    expect(items).to.have.length(2);
    const backup = items.find((k) => k.keyId === 4)!;
    expect(backup).to.include({ host: oldBackup.host, name: 'backup', secret: newBackup.secret, source: 'reset', notes: 'nightly rsync', createdAt: newBackup.created, expiresAt: null });
    expect(backup.history.map((h) => [h.secret, h.source])).to.deep.equal([[oldBackup.secret, 'create']]);
    const ha = items.find((k) => k.keyId === 9)!;
    expect(ha).to.include({ host: homeAssistant.host, secret: homeAssistant.secret, notes: 'used by Home Assistant', source: 'manual' });
    expect(await vault.findKey(homeAssistant.host, 9)).to.deep.equal(ha);

    // Everything is in the current format; the v1 rows are gone.
    const after = await rawDump(name);
    expect(after.keys!.map((r) => (r.value as { v: number }).v)).to.deep.equal([2, 2]);
    expect(after.keys!.some((r) => String(r.key).startsWith('v1-'))).to.equal(false);
    const header = (await rawGet(name, 'meta', 'header')) as { v: number; idx?: unknown; rev: number };
    expect(header.v).to.equal(2);
    expect(header.idx).to.not.equal(undefined);
    expect(header.rev).to.equal(2);

    // And it opens again the normal way; new writes land next to the migrated ones.
    await vault.lock();
    await vault.unlock(V1_FIXTURE.passphrase);
    await vault.saveKey({ host: homeAssistant.host, keyId: 9, name: 'home-assistant', secret: `9-${'b'.repeat(64)}`, source: 'reset' });
    expect((await vault.findKey(homeAssistant.host, 9))!.history.map((h) => h.secret)).to.deep.equal([homeAssistant.secret]);
  });

  it('a wrong passphrase leaves the v1 data as it was', async () => {
    await installV1Fixture(name);
    const vault = open();
    expect(await rejection(vault.unlock('not the v1 passphrase'))).to.be.instanceOf(WrongPassphraseError);
    const dump = await rawDump(name);
    expect(dump.keys!.map((r) => r.key).sort()).to.deep.equal(V1_FIXTURE.rows.map((r) => r.id).sort());
    expect(((await rawGet(name, 'meta', 'header')) as { v: number }).v).to.equal(1);
  });

  it('keeps a damaged v1 record aside (reported as damaged) and migrates the rest', async () => {
    await installV1Fixture(name);
    const target = V1_FIXTURE.rows[2];
    const vault = open();
    await vault.exists(); // run the structural upgrade first
    const row = (await rawGet(name, 'keys', target.id)) as { ct: Uint8Array };
    await rawPut(name, 'keys', { ...row, ct: flipped(row.ct) });
    await vault.unlock(V1_FIXTURE.passphrase);
    const { items, damaged } = await vault.listKeys();
    expect(items.map((k) => k.keyId)).to.deep.equal([4]);
    expect(damaged.map((d) => d.id)).to.deep.equal([target.id]);
  });

  it('two instances unlocking the v1 vault at once migrate it exactly once', async () => {
    await installV1Fixture(name);
    const a = open();
    const b = open();
    await Promise.all([a.unlock(V1_FIXTURE.passphrase), b.unlock(V1_FIXTURE.passphrase)]);
    expect((await a.listKeys()).items).to.have.length(2);
    expect((await b.listKeys()).items).to.have.length(2);
    expect((await rawDump(name)).keys).to.have.length(2);
  });

  it('fails with VaultBlockedError while an old tab holds a v1 connection, leaving the database at v1', async () => {
    const oldTab = await installV1Fixture(name, { keepOpen: true });
    const vault = open();
    const error = await rejection(vault.unlock(V1_FIXTURE.passphrase));
    expect(error).to.be.instanceOf(VaultBlockedError);
    expect(error.message).to.match(/another tab or window/);
    // The old tab closes; the upgrade we gave up on must not run late.
    oldTab.close();
    expect(await rawVersion(name)).to.equal(1);
    const dump = await rawDump(name);
    expect(dump.keys!.map((r) => r.key).sort()).to.deep.equal(V1_FIXTURE.rows.map((r) => r.id).sort());
    expect(dump.hosts).to.equal(undefined);
    // Once nothing blocks, the same instance upgrades and opens it.
    await vault.unlock(V1_FIXTURE.passphrase);
    expect((await vault.listKeys()).items).to.have.length(2);
  });

  it('refuses a database written by a newer schema, and leaves it alone', async () => {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name, SCHEMA_VERSION + 1);
      request.onupgradeneeded = () => request.result.createObjectStore('future');
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    const vault = open();
    const error = (await rejection(vault.exists())) as VaultVersionError;
    expect(error).to.be.instanceOf(VaultVersionError);
    expect(error.found).to.equal(SCHEMA_VERSION + 1);
    expect(error.supported).to.equal(SCHEMA_VERSION);
    expect(await rawVersion(name)).to.equal(SCHEMA_VERSION + 1);
  });

  it('never blocks a newer version: it closes its connection and then reports the newer schema', async () => {
    const vault = new Vault({ name, kdfIterations: 1_000, insecureTestOnlyAllowWeakKdf: true });
    opened.push(vault);
    await vault.create('passphrase for upgrade test');
    // A newer extension version upgrades the database while we hold it open.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(name, SCHEMA_VERSION + 1);
      request.onblocked = () => reject(new Error('blocked by the vault connection'));
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    expect(await rejection(vault.listKeys())).to.be.instanceOf(VaultVersionError);
  });
});
