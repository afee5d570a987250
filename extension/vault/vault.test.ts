import { expect } from '@open-wc/testing';
import {
  DEFAULT_AUTO_LOCK_MS,
  KDF_FLOOR,
  KdfPolicyError,
  MemorySessionStore,
  UnlockThrottledError,
  Vault,
  VaultExistsError,
  VaultLockedError,
  VaultNotFoundError,
  WrongPassphraseError,
  throttleDelayMs,
  type HostAuth,
  type VaultOptions,
} from './index.js';
import { Clock, OTHER_PASSPHRASE, PASSPHRASE, dropDatabase, rawDump, rawGet, rejection, sampleKey, secretFor, testVault, uniqueName } from './testing/support.js';

/** The current test's database; {@link freshDatabasePerTest} sets it. */
let name: string;
const opened: Vault[] = [];
/** A test vault on the current test's database, closed after the test. */
const open = (options: VaultOptions = {}) => {
  const v = testVault(name, options);
  opened.push(v);
  return v;
};
/** Gives each test of the calling suite its own database, closed and dropped after the test. */
function freshDatabasePerTest(): void {
  beforeEach(() => {
    name = uniqueName();
  });
  afterEach(async () => {
    opened.splice(0).forEach((v) => v.close());
    await dropDatabase(name);
  });
}

describe('vault: round trips', () => {
  freshDatabasePerTest();
  let vault: Vault;
  beforeEach(async () => {
    vault = open();
    await vault.create(PASSPHRASE);
  });

  it('stores and reads back a key with every field', async () => {
    const input = sampleKey(7, { notes: 'used by Home Assistant', expiresAt: 1_800_000_000_000, source: 'manual' });
    const saved = await vault.saveKey(input);
    expect(saved.id).to.be.a('string').with.length.greaterThan(10);
    const read = await vault.getKey(saved.id);
    expect(read).to.deep.equal(saved);
    expect(read).to.include({ host: input.host, keyId: 7, name: input.name, secret: input.secret, createdAt: input.createdAt, source: 'manual', notes: 'used by Home Assistant', expiresAt: 1_800_000_000_000 });
    expect(read!.history).to.deep.equal([]);
    expect(await vault.findKey(input.host, 7)).to.deep.equal(saved);
    expect(await vault.findKey(input.host, 8)).to.equal(undefined);
    expect(await vault.findKey('https://other.lan', 7)).to.equal(undefined);
  });

  it('takes the key id from a TrueNAS secret when none is given', async () => {
    const saved = await vault.saveKey({ host: 'nas', name: 'from secret', secret: secretFor(42), source: 'manual' });
    expect(saved.keyId).to.equal(42);
    expect((await vault.findKey('nas', 42))?.id).to.equal(saved.id);
  });

  it('keeps the superseded secret as history on reset, and never duplicates an entry', async () => {
    const first = await vault.saveKey(sampleKey(3));
    const again = await vault.saveKey(sampleKey(3, { name: 'renamed' }));
    expect(again.id).to.equal(first.id);
    expect(again.name).to.equal('renamed');
    expect(again.history).to.deep.equal([]);

    const reset = await vault.saveKey(sampleKey(3, { secret: secretFor(3, 'second'), source: 'reset' }));
    expect(reset.id).to.equal(first.id);
    expect(reset.secret).to.equal(secretFor(3, 'second'));
    expect(reset.source).to.equal('reset');
    expect(reset.history.map((h) => [h.secret, h.source])).to.deep.equal([[secretFor(3), 'create']]);

    const third = await vault.saveKey(sampleKey(3, { secret: secretFor(3, 'third'), source: 'reset' }));
    expect(third.history.map((h) => h.secret)).to.deep.equal([secretFor(3, 'second'), secretFor(3)]);
    const list = await vault.listKeys();
    expect(list.items).to.have.length(1);
    expect(list.damaged).to.deep.equal([]);
  });

  it('updates, lists by host and deletes keys', async () => {
    await vault.saveKeys([sampleKey(1), sampleKey(2), sampleKey(3, { host: 'https://second.lan' })]);
    const all = await vault.listKeys();
    expect(all.items.map((k) => k.keyId).sort()).to.deep.equal([1, 2, 3]);
    const second = await vault.listKeys({ host: 'https://second.lan' });
    expect(second.items.map((k) => k.keyId)).to.deep.equal([3]);

    const target = all.items.find((k) => k.keyId === 2)!;
    const updated = await vault.updateKey(target.id, { name: 'new name', notes: 'cron job', expiresAt: null });
    expect(updated).to.include({ name: 'new name', notes: 'cron job', secret: target.secret });
    expect(await vault.updateKey('no-such-id', { name: 'x' })).to.equal(undefined);

    expect(await vault.deleteKey(target.id)).to.equal(true);
    expect(await vault.deleteKey(target.id)).to.equal(false);
    expect(await vault.getKey(target.id)).to.equal(undefined);
    expect((await vault.listKeys()).items).to.have.length(2);
  });

  it('stores host credentials: API key or username and password', async () => {
    const byKey: HostAuth = { kind: 'api-key', apiKey: secretFor(1, 'login') };
    const byPassword: HostAuth = { kind: 'password', username: 'admin', password: 'pa ss wörd "quoted"' };
    await vault.saveHostCredential('https://a.lan', byKey);
    const saved = await vault.saveHostCredential('https://b.lan', byPassword);
    expect((await vault.getHostCredential('https://a.lan'))?.auth).to.deep.equal(byKey);
    expect(await vault.getHostCredential('https://b.lan')).to.deep.equal(saved);
    expect(saved.auth).to.deep.equal(byPassword);

    const replaced = await vault.saveHostCredential('https://a.lan', byPassword);
    expect(replaced.auth).to.deep.equal(byPassword);
    expect((await vault.listHostCredentials()).items.map((c) => c.host).sort()).to.deep.equal(['https://a.lan', 'https://b.lan']);
    expect(await vault.deleteHostCredential('https://a.lan')).to.equal(true);
    expect(await vault.getHostCredential('https://a.lan')).to.equal(undefined);
    expect(await vault.getHostCredential('https://c.lan')).to.equal(undefined);
  });
});

describe('vault: lock and unlock', () => {
  freshDatabasePerTest();

  it('reports a missing vault and refuses a second create', async () => {
    const vault = open();
    expect(await vault.exists()).to.equal(false);
    expect(await rejection(vault.unlock(PASSPHRASE))).to.be.instanceOf(VaultNotFoundError);
    await vault.create(PASSPHRASE);
    expect(await vault.exists()).to.equal(true);
    const before = await rawGet(name, 'meta', 'header');
    expect(await rejection(open().create(OTHER_PASSPHRASE))).to.be.instanceOf(VaultExistsError);
    expect(await rawGet(name, 'meta', 'header')).to.deep.equal(before);
  });

  it('decrypts nothing while locked and holds no keys, then unlocks with the passphrase', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const saved = await vault.saveKey(sampleKey(1));
    await vault.lock();
    expect(vault.unlocked).to.equal(false);
    // The instance's only key material is its `keys` field; locking must drop it.
    expect((vault as unknown as { keys: unknown }).keys).to.equal(null);
    for (const call of [() => vault.getKey(saved.id), () => vault.listKeys(), () => vault.saveKey(sampleKey(2)), () => vault.getHostCredential('h'), () => vault.exportEncrypted(PASSPHRASE), () => vault.deleteKey(saved.id)]) {
      const error = await rejection(call());
      expect(error).to.be.instanceOf(VaultLockedError);
      expect(error.message).to.match(/locked/i);
    }
    expect((await vault.status()).unlocked).to.equal(false);
    await vault.unlock(PASSPHRASE);
    expect((await vault.getKey(saved.id))?.secret).to.equal(saved.secret);
  });

  it('refuses a wrong passphrase with a clear error and changes nothing', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    await vault.saveKey(sampleKey(1));
    await vault.lock();
    const before = await rawDump(name);
    const error = await rejection(vault.unlock('not the passphrase'));
    expect(error).to.be.instanceOf(WrongPassphraseError);
    expect(error.message).to.equal('That passphrase is not correct. Nothing was changed.');
    expect(vault.unlocked).to.equal(false);
    const after = await rawDump(name);
    expect(after.keys).to.deep.equal(before.keys);
    expect(after.hosts).to.deep.equal(before.hosts);
    expect(after.meta!.find((r) => r.key === 'header')).to.deep.equal(before.meta!.find((r) => r.key === 'header'));
  });

  it('slows attempts after repeated failures, persisted across instances, and resets after success', async () => {
    const clock = new Clock();
    const vault = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    await vault.lock();
    for (let i = 1; i <= 3; i++) {
      const error = (await rejection(vault.unlock(`wrong passphrase ${i}`))) as WrongPassphraseError;
      expect(error).to.be.instanceOf(WrongPassphraseError);
      expect(error.retryAfterMs).to.equal(0);
    }
    const fourth = (await rejection(vault.unlock('wrong passphrase 4'))) as WrongPassphraseError;
    expect(fourth.failures).to.equal(4);
    expect(fourth.retryAfterMs).to.equal(1000);
    expect(fourth.message).to.match(/next one is possible in 1 s/);

    // Even the right passphrase is refused during the delay, and the KDF does not run.
    const throttled = (await rejection(vault.unlock(PASSPHRASE))) as UnlockThrottledError;
    expect(throttled).to.be.instanceOf(UnlockThrottledError);
    expect(throttled.retryAfterMs).to.equal(1000);
    // A new instance (a restarted worker) sees the same throttle.
    const restarted = open({ now: clock.now });
    expect(await rejection(restarted.unlock(PASSPHRASE))).to.be.instanceOf(UnlockThrottledError);
    expect((await restarted.status()).retryAfterMs).to.equal(1000);
    // A clock set back an hour does not stretch the wait beyond what 4 failures earn.
    clock.advance(-3_600_000);
    expect(((await rejection(restarted.unlock(PASSPHRASE))) as UnlockThrottledError).retryAfterMs).to.equal(1000);
    clock.advance(3_600_000);

    clock.advance(1000);
    const fifth = (await rejection(restarted.unlock('wrong passphrase 5'))) as WrongPassphraseError;
    expect(fifth.retryAfterMs).to.equal(2000);
    expect(throttleDelayMs(6)).to.equal(4000);
    expect(throttleDelayMs(40)).to.equal(30_000);
    clock.advance(2000);
    await restarted.unlock(PASSPHRASE);
    expect((await restarted.status()).failures).to.equal(0);
    expect(await rawGet(name, 'meta', 'throttle')).to.equal(undefined);
  });

  it('changes the passphrase by re-wrapping the data key only', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const saved = await vault.saveKey(sampleKey(5));
    await vault.saveHostCredential('https://a.lan', { kind: 'password', username: 'root', password: 'hunter2hunter2' });
    const before = await rawDump(name);
    const headerBefore = (await rawGet(name, 'meta', 'header')) as { kdf: { salt: Uint8Array }; rev: number };

    expect(await rejection(vault.changePassphrase('wrong current one', OTHER_PASSPHRASE))).to.be.instanceOf(WrongPassphraseError);
    expect(await rawGet(name, 'meta', 'header')).to.deep.equal(headerBefore);

    await vault.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);
    const after = await rawDump(name);
    // Records are byte-for-byte unchanged: only the header (new salt, new wrapping) changed.
    expect(after.keys).to.deep.equal(before.keys);
    expect(after.hosts).to.deep.equal(before.hosts);
    const headerAfter = (await rawGet(name, 'meta', 'header')) as { kdf: { salt: Uint8Array }; rev: number };
    expect(headerAfter.kdf.salt).to.not.deep.equal(headerBefore.kdf.salt);
    expect(headerAfter.rev).to.equal(headerBefore.rev + 1);
    // Still unlocked with the same data key.
    expect((await vault.getKey(saved.id))?.secret).to.equal(saved.secret);

    await vault.lock();
    expect(await rejection(vault.unlock(PASSPHRASE))).to.be.instanceOf(WrongPassphraseError);
    await vault.unlock(OTHER_PASSPHRASE);
    expect((await vault.getKey(saved.id))?.secret).to.equal(saved.secret);
    expect((await vault.getHostCredential('https://a.lan'))?.auth).to.deep.equal({ kind: 'password', username: 'root', password: 'hunter2hunter2' });
  });

  it('reads already started when lock() is called return no plaintext', async () => {
    const vault = open();
    await vault.create(PASSPHRASE);
    const saved = await vault.saveKey(sampleKey(1));
    await vault.saveHostCredential('https://a.lan', { kind: 'api-key', apiKey: secretFor(1, 'login') });
    // rejection() attaches its handler at once, so no rejection goes unobserved.
    const reads = [vault.getKey(saved.id), vault.listKeys(), vault.getHostCredential('https://a.lan'), vault.listHostCredentials()].map(rejection);
    await vault.lock();
    for (const read of reads) expect(await read).to.be.instanceOf(VaultLockedError);
  });

  it('a lock from another instance locks this one at its next call', async () => {
    const a = open();
    await a.create(PASSPHRASE);
    const saved = await a.saveKey(sampleKey(1));
    const b = open();
    await b.unlock(PASSPHRASE);
    expect((await b.getKey(saved.id))?.secret).to.equal(saved.secret);
    await b.lock();
    const error = (await rejection(a.getKey(saved.id))) as VaultLockedError;
    expect(error).to.be.instanceOf(VaultLockedError);
    expect(error.reason).to.equal('elsewhere');
    expect(a.unlocked).to.equal(false);
  });
});

describe('vault: auto-lock and restarts', () => {
  freshDatabasePerTest();

  it('locks itself after the idle time; touch() extends it; the deadline is persisted', async () => {
    const clock = new Clock();
    const deadlines: Array<number | null> = [];
    const vault = open({ now: clock.now, onDeadlineChange: (d) => deadlines.push(d) });
    await vault.create(PASSPHRASE);
    const start = clock.t;
    expect(await vault.autoLockDelay()).to.equal(DEFAULT_AUTO_LOCK_MS);
    expect(await vault.deadline()).to.equal(start + DEFAULT_AUTO_LOCK_MS);
    expect(deadlines).to.deep.equal([start + DEFAULT_AUTO_LOCK_MS]);

    await vault.setAutoLockDelay(60_000);
    expect(await vault.deadline()).to.equal(start + 60_000);
    clock.advance(50_000);
    expect(await vault.touch()).to.equal(start + 110_000);
    clock.advance(50_000);
    const saved = await vault.saveKey(sampleKey(1));
    expect(await vault.checkAutoLock()).to.equal(false);

    clock.advance(10_000);
    const error = (await rejection(vault.getKey(saved.id))) as VaultLockedError;
    expect(error).to.be.instanceOf(VaultLockedError);
    expect(error.reason).to.equal('idle');
    expect(error.message).to.match(/inactivity/);
    expect(await vault.deadline()).to.equal(null);
    expect(deadlines.at(-1)).to.equal(null);
    expect(await vault.touch()).to.equal(null);
  });

  it('checkAutoLock() locks when the alarm fires after the deadline', async () => {
    const clock = new Clock();
    const vault = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    await vault.setAutoLockDelay(5_000);
    clock.advance(5_000);
    expect(await vault.checkAutoLock()).to.equal(true);
    expect(vault.unlocked).to.equal(false);
    expect(await rejection(vault.listKeys())).to.be.instanceOf(VaultLockedError);
  });

  it('survives a worker restart through the session store, without the passphrase', async () => {
    const store = new MemorySessionStore();
    const first = open({ sessionStore: store });
    await first.create(PASSPHRASE);
    const saved = await first.saveKey(sampleKey(9, { notes: 'restart me' }));
    first.close(); // the worker dies: memory is gone

    const second = open({ sessionStore: store });
    expect(second.unlocked).to.equal(false);
    expect(await second.resume()).to.equal(true);
    expect((await second.getKey(saved.id))?.notes).to.equal('restart me');
    // Lazily too: a fresh instance restores on its first call.
    const third = open({ sessionStore: store });
    expect((await third.listKeys()).items).to.have.length(1);
  });

  it('auto-locks on wake when the persisted deadline passed while the worker was gone', async () => {
    const store = new MemorySessionStore();
    const clock = new Clock();
    const first = open({ sessionStore: store, now: clock.now });
    await first.create(PASSPHRASE);
    await first.setAutoLockDelay(60_000);
    first.close();

    clock.advance(60_001); // the worker restarts after the deadline
    const deadlines: Array<number | null> = [];
    const woken = open({ sessionStore: store, now: clock.now, onDeadlineChange: (d) => deadlines.push(d) });
    expect(await woken.checkAutoLock()).to.equal(true);
    expect(deadlines).to.deep.equal([null]);
    expect(await store.load()).to.equal(undefined);
    expect(await woken.resume()).to.equal(false);
    const error = (await rejection(woken.listKeys())) as VaultLockedError;
    expect(error).to.be.instanceOf(VaultLockedError);
    await woken.unlock(PASSPHRASE);
    expect((await woken.listKeys()).items).to.deep.equal([]);
  });

  it('an expired deadline is also enforced lazily by any call after a restart', async () => {
    const store = new MemorySessionStore();
    const clock = new Clock();
    const first = open({ sessionStore: store, now: clock.now });
    await first.create(PASSPHRASE);
    first.close();
    clock.advance(DEFAULT_AUTO_LOCK_MS);
    const woken = open({ sessionStore: store, now: clock.now });
    const error = (await rejection(woken.listKeys())) as VaultLockedError;
    expect(error.reason).to.equal('idle');
    expect(await store.load()).to.equal(undefined);
  });

  it('starts locked after a browser restart (empty session store)', async () => {
    const first = open({ sessionStore: new MemorySessionStore() });
    await first.create(PASSPHRASE);
    first.close();
    const afterBrowserRestart = open({ sessionStore: new MemorySessionStore() });
    expect(await afterBrowserRestart.resume()).to.equal(false);
    expect(await rejection(afterBrowserRestart.listKeys())).to.be.instanceOf(VaultLockedError);
  });

  it('a snapshot from an old session is refused after lock and unlock', async () => {
    const store = new MemorySessionStore();
    const first = open({ sessionStore: store });
    await first.create(PASSPHRASE);
    const stale = await store.load();
    await first.lock();
    await first.unlock(PASSPHRASE); // a new session id
    await store.save(stale as never);
    const other = open({ sessionStore: store });
    expect(await other.resume()).to.equal(false);
    expect(await store.load()).to.equal(undefined);
  });

  it('idle locking can be turned off', async () => {
    const clock = new Clock();
    const vault = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    await vault.setAutoLockDelay(null);
    expect(await vault.deadline()).to.equal(null);
    clock.advance(365 * 86_400_000);
    expect(await vault.checkAutoLock()).to.equal(false);
    expect((await vault.listKeys()).items).to.deep.equal([]);
  });
});

describe('vault: KDF parameters', () => {
  freshDatabasePerTest();

  it('uses PBKDF2-SHA-256 with 600,000 iterations and a random 16-byte salt by default', async () => {
    const vault = new Vault({ name });
    await vault.create(PASSPHRASE);
    const header = (await rawGet(name, 'meta', 'header')) as { kdf: { name: string; hash: string; iterations: number; salt: Uint8Array } };
    expect(header.kdf).to.include({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
    expect(header.kdf.salt).to.be.instanceOf(Uint8Array).with.length(16);
    await vault.lock();
    await vault.unlock(PASSPHRASE);
    expect(vault.unlocked).to.equal(true);
    vault.close();
    const other = uniqueName();
    const second = new Vault({ name: other });
    await second.create(PASSPHRASE);
    const otherHeader = (await rawGet(other, 'meta', 'header')) as { kdf: { salt: Uint8Array } };
    expect(otherHeader.kdf.salt).to.not.deep.equal(header.kdf.salt);
    second.close();
    await dropDatabase(other);
  });

  it('refuses an iteration count below the floor unless the test-only flag is set', () => {
    const error = (() => {
      try {
        new Vault({ name, kdfIterations: 100_000 });
      } catch (e) {
        return e;
      }
      return null;
    })() as KdfPolicyError;
    expect(error).to.be.instanceOf(KdfPolicyError);
    expect(error.floor).to.equal(KDF_FLOOR);
    expect(() => new Vault({ name, kdfIterations: 1_000, insecureTestOnlyAllowWeakKdf: true })).to.not.throw();
    expect(() => new Vault({ name, kdfIterations: 999, insecureTestOnlyAllowWeakKdf: true })).to.throw(KdfPolicyError);
  });

  it('refuses to read a vault whose stored iterations are below the floor (downgrade), without using them', async () => {
    const weak = testVault(name);
    await weak.create(PASSPHRASE);
    await weak.saveKey(sampleKey(1));
    weak.close();
    const strict = new Vault({ name });
    const error = (await rejection(strict.unlock(PASSPHRASE))) as KdfPolicyError;
    expect(error).to.be.instanceOf(KdfPolicyError);
    expect(error.iterations).to.equal(1_000);
    expect(error.message).to.match(/below the minimum of 600000/);
    expect(strict.unlocked).to.equal(false);
    expect((await strict.status()).failures).to.equal(0);
    strict.close();
  });
});
