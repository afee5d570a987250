import { expect } from '@open-wc/testing';
import { THROTTLE_FREE_ATTEMPTS, THROTTLE_MAX_MS, UnlockThrottledError, WrongPassphraseError, throttleDelayMs, type Vault, type VaultOptions } from './index.js';
import { Clock, OTHER_PASSPHRASE, PASSPHRASE, dropDatabase, rawGet, rawPut, rejection, testVault, uniqueName } from './testing/support.js';

/** Sorts settled unlock attempts: a WrongPassphraseError is only thrown after the KDF ran; a throttled one never ran it. */
function tally(results: Error[]): { ranKdf: number; throttled: number; other: number } {
  const out = { ranKdf: 0, throttled: 0, other: 0 };
  for (const r of results) {
    if (r instanceof WrongPassphraseError) out.ranKdf++;
    else if (r instanceof UnlockThrottledError) out.throttled++;
    else out.other++;
  }
  return out;
}

describe('vault: brute force is bounded', () => {
  let name: string;
  const opened: Vault[] = [];
  const open = (options: VaultOptions = {}) => {
    const v = testVault(name, options);
    opened.push(v);
    return v;
  };
  beforeEach(() => {
    name = uniqueName('vault-throttle');
  });
  afterEach(async () => {
    opened.splice(0).forEach((v) => v.close());
    await dropDatabase(name);
  });

  it('the delays: 3 free attempts, then 1 s doubling, capped at 30 s', () => {
    expect(THROTTLE_FREE_ATTEMPTS).to.equal(3);
    expect(THROTTLE_MAX_MS).to.equal(30_000);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 10_000].map(throttleDelayMs)).to.deep.equal([0, 0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('24 parallel wrong passphrases: only the free ones and the first slowed one run the KDF, all of them count', async () => {
    const clock = new Clock();
    const vault = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    await vault.lock();
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => rejection(vault.unlock(`wrong passphrase ${i}`))));
    expect(tally(results)).to.deep.equal({ ranKdf: 4, throttled: 20, other: 0 });
    // Serialized: the failures counted are 1, 2, 3, 4, in order, each attempt seeing the ones before it.
    expect(results.filter((r) => r instanceof WrongPassphraseError).map((r) => (r).failures)).to.deep.equal([1, 2, 3, 4]);
    const throttled = results.filter((r): r is UnlockThrottledError => r instanceof UnlockThrottledError);
    expect(throttled.every((t) => t.retryAfterMs === 1000 && t.failures === 4)).to.equal(true);
    expect(await vault.status()).to.include({ failures: 4, retryAfterMs: 1000 });
  });

  it('parallel attempts from two instances on one database share the throttle', async () => {
    const clock = new Clock();
    const a = open({ now: clock.now });
    await a.create(PASSPHRASE);
    await a.lock();
    const b = open({ now: clock.now });
    const attempts = Array.from({ length: 24 }, (_, i) => rejection((i % 2 ? a : b).unlock(`wrong passphrase ${i}`)));
    const counts = tally(await Promise.all(attempts));
    expect(counts.ranKdf).to.equal(4);
    expect(counts.throttled).to.equal(20);
    expect((await a.status()).failures).to.equal(4);
  });

  it('the right passphrase queued behind wrong ones is refused while slowed, then works, and clears the count', async () => {
    const clock = new Clock();
    const vault = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    await vault.lock();
    const wrong = Array.from({ length: 6 }, (_, i) => rejection(vault.unlock(`wrong passphrase ${i}`)));
    const right = rejection(vault.unlock(PASSPHRASE));
    expect(tally(await Promise.all(wrong))).to.deep.equal({ ranKdf: 4, throttled: 2, other: 0 });
    expect(await right).to.be.instanceOf(UnlockThrottledError);
    clock.advance(1000);
    await vault.unlock(PASSPHRASE);
    expect(vault.unlocked).to.equal(true);
    expect(await rawGet(name, 'meta', 'throttle')).to.equal(undefined);
    expect((await vault.status()).failures).to.equal(0);
  });

  it("the owner's wait never exceeds 30 s, however many failures (and after an old 5-minute delay)", async () => {
    const clock = new Clock();
    const vault = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    await vault.lock();
    let failures = 0;
    for (let round = 0; round < 40; round++) {
      const error = await rejection(vault.unlock(`wrong passphrase ${round}`));
      if (error instanceof WrongPassphraseError) {
        failures = error.failures;
        expect(error.retryAfterMs).to.be.at.most(THROTTLE_MAX_MS);
      } else {
        expect(error).to.be.instanceOf(UnlockThrottledError);
        expect((error as UnlockThrottledError).retryAfterMs).to.be.at.most(THROTTLE_MAX_MS);
      }
      clock.advance((await vault.status()).retryAfterMs);
    }
    expect(failures).to.equal(40);
    expect(await vault.status()).to.include({ failures: 40, retryAfterMs: 0 });
    // A delay written by an older version (5 minutes) is cut to the cap.
    await rawPut(name, 'meta', { failures: 40, notBefore: clock.t + 300_000 }, 'throttle');
    expect((await vault.status()).retryAfterMs).to.equal(30_000);
    expect(((await rejection(vault.unlock(PASSPHRASE))) as UnlockThrottledError).retryAfterMs).to.equal(30_000);
    clock.advance(30_000);
    await vault.unlock(PASSPHRASE);
    expect(vault.unlocked).to.equal(true);
  });

  it('a wrong current passphrase in changePassphrase counts and is throttled the same way', async () => {
    const clock = new Clock();
    const vault = open({ now: clock.now });
    await vault.create(PASSPHRASE);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => rejection(vault.changePassphrase(`wrong current ${i}`, OTHER_PASSPHRASE))));
    expect(tally(results)).to.deep.equal({ ranKdf: 4, throttled: 4, other: 0 });
    expect(((await rejection(vault.unlock(PASSPHRASE))) as UnlockThrottledError).retryAfterMs).to.equal(1000);
  });
});
