/** createTrueNasService in real Chromium over the connection library, against the simulator. */
import { expect } from '@open-wc/testing';
import { simCommand, startSim, stopSim, type SimInfo } from '../../test/helpers/sim.js';
import { fieldErrorsOf, keyStatus, type KeyChange } from '../model/api-key.js';
import { LoginLimiter, TrueNasClient } from './index.js';
import { createTrueNasService } from './service.js';
import type { ApiKeyService } from '../service/api-key-service.js';

interface Sim extends SimInfo {
  admin: { username: string; password: string; apiKey: string };
}

const limiter = new LoginLimiter({ maxAttempts: 10_000 });

async function until(predicate: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > 5000) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const profile of ['22.02', '24.10', '25.04', '25.10', '26.0'] as const) {
  const userLinked = profile >= '25.04';

  describe(`createTrueNasService against ${profile}`, function () {
    this.timeout(20_000);
    let sim: Sim;
    let client: TrueNasClient;
    let service: ApiKeyService;

    before(async () => {
      sim = (await startSim({ profile, loginDelay: false })) as Sim;
    });
    after(() => stopSim(sim));
    beforeEach(async () => {
      await simCommand(sim, 'reset');
      client = new TrueNasClient({ url: sim.url, loginLimiter: limiter });
      await client.login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
      service = createTrueNasService(client, { hostId: 'nas-1', hostName: 'Office NAS' });
    });
    afterEach(() => client.close());

    it('reports capabilities and the API docs address', async () => {
      const caps = await service.capabilities();
      expect(caps.userLinkedKeys).to.equal(userLinked);
      expect(caps.protocol).to.equal(userLinked ? 'jsonrpc' : 'legacy');
      expect(service.apiDocsUrl).to.equal(`${sim.url}/api/docs`);
    });

    it('lists keys and pages, sorts, searches and filters them', async () => {
      const all = await service.list();
      const names = all.map((k) => k.name);
      expect(names).to.deep.equal([...names].sort());
      const page1 = await service.listPage!({ offset: 0, limit: 3, sort: { field: 'name', direction: 'asc' } });
      const page2 = await service.listPage!({ offset: 3, limit: 3, sort: { field: 'name', direction: 'asc' } });
      expect(page1.total).to.equal(all.length);
      expect([...page1.rows, ...page2.rows].map((r) => r.name)).to.deep.equal(names.slice(0, 6));
      expect(page1.rows[0]!.hostId).to.equal('nas-1');
      expect(page1.rows[0]!.hostName).to.equal('Office NAS');
      const found = await service.listPage!({ offset: 0, limit: 50, search: 'BACKUP' });
      expect(found.rows.map((r) => r.name)).to.include('ci-backup');
      expect(found.rows.every((r) => /backup/i.test(r.name) || /backup/i.test(r.username ?? ''))).to.equal(true);
      const none = await service.listPage!({ offset: 0, limit: 50, search: 'no such (key)' });
      expect(none).to.deep.equal({ rows: [], total: 0 });
      if (userLinked) {
        const expired = await service.listPage!({ offset: 0, limit: 50, status: 'expired' });
        expect(expired.total).to.be.greaterThan(0);
        expect(expired.rows.every((r) => keyStatus(r) === 'expired')).to.equal(true);
        const byStatus = await service.listPage!({ offset: 0, limit: 50, sort: { field: 'status', direction: 'desc' } });
        expect(keyStatus(byStatus.rows[0]!)).to.equal('revoked');
        const byOwner = await service.listPage!({ offset: 0, limit: 50, sort: { field: 'username', direction: 'asc' } });
        const owners = byOwner.rows.map((r) => r.username).filter((u): u is string => u !== null);
        expect(owners).to.deep.equal([...owners].sort());
      }
      const bad = await service.listPage!({ offset: 0, limit: 0 }).catch((e: unknown) => e);
      expect(fieldErrorsOf(bad)[0]!.field).to.equal('limit');
    });

    it('creates, updates, resets and deletes; live changes reach subscribers', async () => {
      const changes: KeyChange[] = [];
      const stop = service.subscribe((change) => changes.push(change));
      // A change made elsewhere (another session) shows up here.
      const other = new TrueNasClient({ url: sim.url, loginLimiter: limiter });
      try {
        await other.login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
        // The subscription is live once the NAS has registered it.
        for (let started = Date.now(); (await simCommand<{ subscriptions: number }>(sim, 'stats')).subscriptions < 1; await new Promise((r) => setTimeout(r, 20))) {
          if (Date.now() - started > 5000) throw new Error('the subscription never reached the NAS');
        }
        const created = await createTrueNasService(other).create(userLinked ? { name: 'svc', username: 'ro_admin' } : { name: 'svc' });
        await until(() => changes.some((c) => c.type === 'added' && c.key.id === created.key.id), 'added');
      } finally {
        await other.close();
      }
      const made = await service.create(userLinked ? { name: 'svc-2', username: sim.admin.username, expiresAt: Date.now() + 7 * 86_400_000 } : { name: 'svc-2' });
      expect(made.secret).to.match(/^\d+-[A-Za-z0-9]{64}$/);
      const updated = await service.update(made.key.id, { name: 'svc-2b' });
      expect(updated.name).to.equal('svc-2b');
      const reset = await service.reset(made.key.id);
      expect(reset.secret).to.not.equal(made.secret);
      await service.delete(made.key.id);
      await until(() => changes.some((c) => c.type === 'removed' && c.id === made.key.id), 'removed');
      stop();
      const count = changes.length;
      await service.delete((await service.list()).find((k) => k.name === 'svc')!.id);
      await new Promise((r) => setTimeout(r, 200));
      expect(changes.length).to.equal(count, 'no events after unsubscribe');
      // Era-specific fields are refused with a field error the form can place.
      const wrong = await service.create(userLinked ? { name: 'x', username: 'ro_admin', allowlist: [] } : { name: 'x', expiresAt: Date.now() + 1e9 }).catch((e: unknown) => e);
      expect(fieldErrorsOf(wrong)[0]!.field).to.equal(userLinked ? 'allowlist' : 'expiresAt');
      const missing = await service.update(9999, { name: 'x' }).catch((e: unknown) => e);
      expect((missing as Error).name).to.equal('NotFoundError');
    });

    it('lists key owners and the signed-in user', async () => {
      const users = await service.users();
      if (userLinked) {
        expect(users.map((u) => u.username)).to.include('ro_admin').and.not.include('no_roles');
        expect((await service.users('writer')).map((u) => u.username)).to.deep.equal(['key_writer']);
        expect(await service.currentUsername()).to.equal(sim.admin.username);
      } else {
        expect(users).to.deep.equal([]);
        expect(await service.currentUsername()).to.equal(null);
      }
    });
  });
}
