import { expect } from '@open-wc/testing';
import type Browser from 'webextension-polyfill';
import { StorageAreaSessionStore, VaultLockedError, type SessionStorageArea } from './index.js';
import { PASSPHRASE, dropDatabase, rejection, sampleKey, testVault, uniqueName } from './testing/support.js';

// Compile-time proof that the real session areas fit the interface (they cannot run in a page).
export const fitsChrome = (area: typeof chrome.storage.session): SessionStorageArea => area;
export const fitsPolyfill = (area: Browser.Storage.StorageArea): SessionStorageArea => area;

/**
 * A stand-in for storage.session (unavailable to a web page): it keeps values as JSON, as the real
 * area does, so only JSON-safe snapshots survive.
 */
class JsonArea implements SessionStorageArea {
  readonly data = new Map<string, string>();
  async get(key: string): Promise<Record<string, unknown>> {
    const text = this.data.get(key);
    return text === undefined ? {} : { [key]: JSON.parse(text) as unknown };
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, JSON.stringify(v));
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

describe('vault: StorageAreaSessionStore', () => {
  let name: string;
  beforeEach(() => {
    name = uniqueName('vault-session');
  });
  afterEach(() => dropDatabase(name));

  it('keeps a JSON-only snapshot under its key, restores after a restart, and is cleared by lock', async () => {
    const area = new JsonArea();
    const first = testVault(name, { sessionStore: new StorageAreaSessionStore(area, 'my-vault') });
    await first.create(PASSPHRASE);
    const saved = await first.saveKey(sampleKey(1));
    first.close();
    expect([...area.data.keys()]).to.deep.equal(['my-vault']);
    const snapshot = JSON.parse(area.data.get('my-vault')!) as Record<string, unknown>;
    expect(Object.keys(snapshot).sort()).to.deep.equal(['dek', 'idx', 'key', 'session', 'v']);

    const second = testVault(name, { sessionStore: new StorageAreaSessionStore(area, 'my-vault') });
    expect(await second.resume()).to.equal(true);
    expect((await second.getKey(saved.id))?.secret).to.equal(saved.secret);
    await second.lock();
    expect(area.data.size).to.equal(0);
    second.close();

    const third = testVault(name, { sessionStore: new StorageAreaSessionStore(area, 'my-vault') });
    expect(await rejection(third.getKey(saved.id))).to.be.instanceOf(VaultLockedError);
    third.close();
  });

  it('a garbled snapshot is dropped and the vault stays locked', async () => {
    const area = new JsonArea();
    const first = testVault(name, { sessionStore: new StorageAreaSessionStore(area) });
    await first.create(PASSPHRASE);
    first.close();
    const key = [...area.data.keys()][0]!;
    const snapshot = JSON.parse(area.data.get(key)!) as { dek: { wrapped: string } };
    snapshot.dek.wrapped = snapshot.dek.wrapped.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    area.data.set(key, JSON.stringify(snapshot));
    const second = testVault(name, { sessionStore: new StorageAreaSessionStore(area) });
    expect(await second.resume()).to.equal(false);
    expect(area.data.size).to.equal(0);
    second.close();
  });
});
