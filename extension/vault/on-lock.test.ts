import { expect } from '@open-wc/testing';
import { MemorySessionStore, VaultLockedError, type LockReason, type Vault, type VaultOptions } from './index.js';
import { Clock, PASSPHRASE, dropDatabase, rejection, sampleKey, testVault, uniqueName } from './testing/support.js';

describe('vault: onLock', () => {
  let name: string;
  const opened: Vault[] = [];
  /** A vault on this test's database with its own list of reported lock reasons. */
  const open = (options: VaultOptions = {}) => {
    const events: LockReason[] = [];
    const vault = testVault(name, { onLock: (reason) => events.push(reason), ...options });
    opened.push(vault);
    return { vault, events };
  };
  beforeEach(() => {
    name = uniqueName('vault-onlock');
  });
  afterEach(async () => {
    opened.splice(0).forEach((v) => v.close());
    await dropDatabase(name);
  });

  it('reports an explicit lock once; locking again, closing or a never-unlocked instance report nothing', async () => {
    const { vault, events } = open();
    await vault.create(PASSPHRASE);
    expect(events).to.deep.equal([]);
    await vault.lock();
    expect(events).to.deep.equal(['locked']);
    await vault.lock();
    await vault.status();
    expect(events).to.deep.equal(['locked']);
    // Each unlocked period ends once.
    await vault.unlock(PASSPHRASE);
    await vault.lock();
    expect(events).to.deep.equal(['locked', 'locked']);
    await vault.unlock(PASSPHRASE);
    vault.close(); // not a lock: the session stays open for others
    expect(events).to.deep.equal(['locked', 'locked']);
    const never = open();
    await never.vault.lock();
    expect(never.events).to.deep.equal([]);
  });

  const idleNoticers: Array<[string, (v: Vault) => Promise<unknown>]> = [
    ['resume()', (v) => v.resume()],
    ['status()', (v) => v.status()],
    ['touch()', (v) => v.touch()],
    ['checkAutoLock()', (v) => v.checkAutoLock()],
    ['a read (listKeys)', (v) => rejection(v.listKeys())],
    ['a read (getKey)', (v) => rejection(v.getKey('some-id'))],
    ['a read (open)', (v) => rejection(v.open('label', {}))],
    ['a write (saveKey)', (v) => rejection(v.saveKey(sampleKey(2)))],
    ['a write (deleteKey)', (v) => rejection(v.deleteKey('some-id'))],
    ['unlock()', (v) => v.unlock(PASSPHRASE)],
  ];
  for (const [what, call] of idleNoticers) {
    it(`reports 'idle' once when ${what} notices the passed deadline`, async () => {
      const clock = new Clock();
      const { vault, events } = open({ now: clock.now });
      await vault.create(PASSPHRASE);
      await vault.setAutoLockDelay(10_000);
      await vault.saveKey(sampleKey(1));
      clock.advance(10_000);
      expect(events).to.deep.equal([]);
      await call(vault);
      expect(events).to.deep.equal(['idle']);
      await vault.status();
      await vault.checkAutoLock();
      expect(events).to.deep.equal(['idle']);
    });
  }

  it('reports one idle lock when many calls notice it at the same time', async () => {
    const clock = new Clock();
    const { vault, events } = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    await vault.setAutoLockDelay(10_000);
    clock.advance(10_001);
    await Promise.all([vault.status(), vault.resume(), vault.checkAutoLock(), vault.touch(), rejection(vault.listKeys()), rejection(vault.saveKey(sampleKey(1)))]);
    expect(events).to.deep.equal(['idle']);
  });

  it("reports 'elsewhere' when another instance locks, or replaces the session", async () => {
    const a = open();
    await a.vault.create(PASSPHRASE);
    const b = open();
    await b.vault.unlock(PASSPHRASE); // joins the live session
    await b.vault.lock();
    expect(b.events).to.deep.equal(['locked']);
    expect(a.events).to.deep.equal([]); // a has not looked yet
    expect(await rejection(a.vault.listKeys())).to.be.instanceOf(VaultLockedError);
    expect(a.events).to.deep.equal(['elsewhere']);

    // Replaced: b locks and unlocks (a new session id) while a was unlocked.
    await a.vault.unlock(PASSPHRASE);
    await b.vault.lock();
    await b.vault.unlock(PASSPHRASE);
    expect(await a.vault.resume()).to.equal(false);
    expect(a.events).to.deep.equal(['elsewhere', 'elsewhere']);
    // A write notices it too.
    await a.vault.unlock(PASSPHRASE); // joins b's live session
    await b.vault.lock();
    expect(await rejection(a.vault.saveKey(sampleKey(3)))).to.be.instanceOf(VaultLockedError);
    expect(a.events).to.deep.equal(['elsewhere', 'elsewhere', 'elsewhere']);
  });

  it("a restarted worker (keys only in the session store) reports 'idle' when it notices the deadline", async () => {
    const store = new MemorySessionStore();
    const clock = new Clock();
    const first = open({ sessionStore: store, now: clock.now });
    await first.vault.create(PASSPHRASE);
    await first.vault.setAutoLockDelay(60_000);
    first.vault.close(); // the worker stops
    clock.advance(60_000);
    const woken = open({ sessionStore: store, now: clock.now });
    expect((await woken.vault.status()).unlocked).to.equal(false);
    expect(woken.events).to.deep.equal(['idle']);
    expect(first.events).to.deep.equal([]);
  });

  it('a restarted worker reports an explicit lock, but not a lock of an already locked vault', async () => {
    const store = new MemorySessionStore();
    const first = open({ sessionStore: store });
    await first.vault.create(PASSPHRASE);
    first.vault.close();
    const woken = open({ sessionStore: store });
    await woken.vault.lock();
    expect(woken.events).to.deep.equal(['locked']);
    const again = open({ sessionStore: store });
    await again.vault.lock();
    expect(again.events).to.deep.equal([]);
  });

  it("destroy() of an unlocked vault reports 'locked'", async () => {
    const { vault, events } = open();
    await vault.create(PASSPHRASE);
    await vault.destroy();
    expect(events).to.deep.equal(['locked']);
  });

  it('a throwing callback does not break the lock', async () => {
    const vault = testVault(name, {
      onLock: () => {
        throw new Error('callback failed');
      },
    });
    opened.push(vault);
    await vault.create(PASSPHRASE);
    await vault.lock();
    expect(vault.unlocked).to.equal(false);
    expect(await rejection(vault.listKeys())).to.be.instanceOf(VaultLockedError);
  });
});
