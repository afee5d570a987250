/**
 * Key usage from the audit log against the simulator per profile: last successful sign-in per key
 * from one audit query (seeded history, this run's own sign-in, the retention window, a cut answer),
 * a typed "not permitted" for an account without the audit role, a failed query, and 22.02's absence.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES } from '../../scripts/simulator/index.js';
import { DEFAULT_AUDIT_RETENTION_DAYS, keyUsage, lastUseOf, usageQuery } from '../../components/client/index.js';
import { createTrueNasService } from '../../components/client/service.js';
import { PROFILE_N, useClientSim } from '../helpers/client-sim.js';

const DAY = 86_400_000;

test('usage query: one MIDDLEWARE query for successful API-key sign-ins, newest first, with a limit', () => {
  const q = usageQuery(50);
  assert.deepEqual(q.services, ['MIDDLEWARE']);
  assert.deepEqual(q['query-filters'], [['event', '=', 'AUTHENTICATION'], ['success', '=', true], ['event_data.credentials.credentials', '=', 'API_KEY']]);
  assert.deepEqual((q['query-options'] as { order_by: string[]; limit: number }).order_by, ['-message_timestamp']);
  assert.equal((q['query-options'] as { limit: number }).limit, 50);
  assert.equal(lastUseOf({ message_timestamp: 10, address: '', event_data: { credentials: { credentials_data: { api_key: { id: 3 } } } } })?.use.address, null);
  for (const bad of [null, {}, { event_data: {} }, { event_data: { credentials: { credentials_data: { api_key: { id: 'x' } } } } }, { event_data: { credentials: { credentials_data: { api_key: { id: 1 } } } } }]) {
    assert.equal(lastUseOf(bad), null);
  }
});

for (const profile of PROFILES) {
  const n = PROFILE_N[profile];

  describe(`key usage on ${profile}`, () => {
    const h = useClientSim(profile);

    if (n < 2404) {
      test('no audit log: unsupported, with the reason; the service says so too', async () => {
        const c = await h.admin();
        assert.equal((await c.capabilities()).keyUsage, false);
        const report = await keyUsage(c);
        assert.equal(report.status, 'unsupported');
        assert.match(report.status === 'unsupported' ? report.reason : '', /no audit log/);
        assert.equal((await createTrueNasService(c).keyUsage!()).status, 'unsupported');
      });
      return;
    }

    test('last successful sign-in per key, with address; older than retention is not seen', async () => {
      const c = await h.admin();
      const now = Date.now();
      const report = await keyUsage(c);
      assert.equal(report.status, 'ok');
      if (report.status !== 'ok') return;
      const ro = report.lastUse.get(11);
      assert.equal(ro?.address, '192.168.1.20');
      assert.ok(Math.abs(ro.at - (now - 2 * DAY)) < 60_000, 'the 2-day-old sign-in, not the 9-day-old one');
      assert.equal(report.lastUse.get(12)?.address, '192.168.1.30');
      assert.equal(report.lastUse.has(13), false, 'pre-upgrade-cli has no record');
      // This run's own sign-in with the admin key is recorded too.
      const adminKeyId = Number(h.sim.admin.apiKey.split('-')[0]);
      assert.ok(Math.abs(report.lastUse.get(adminKeyId)!.at - now) < 60_000);
      assert.equal(report.complete, true);
      assert.equal(report.retentionDays, DEFAULT_AUDIT_RETENTION_DAYS);
      assert.equal(report.retentionKnown, false, 'the simulator has no audit.config');
      assert.ok(Math.abs(report.since - (now - 7 * DAY)) < 60_000);
    });

    test('a cut answer says how far back it reaches', async () => {
      const c = await h.admin();
      const report = await keyUsage(c, { limit: 1 });
      assert.ok(report.status === 'ok');
      assert.equal(report.complete, false);
      assert.equal(report.lastUse.size, 1);
      assert.equal(report.since, [...report.lastUse.values()][0]!.at);
    });

    test('a read-only administrator may read it; an account without the audit role gets "not permitted", not an error', async () => {
      assert.equal((await keyUsage(await h.as('ro_admin'))).status, 'ok');
      const sharing = await h.as('key_writer'); // API_KEY_WRITE only (SHARING_ADMIN includes READONLY_ADMIN)
      const report = await createTrueNasService(sharing).keyUsage!();
      assert.equal(report.status, 'not-permitted');
      assert.match(report.status === 'not-permitted' ? report.reason : '', /audit/);
      if (n >= 2504) {
        // The key list still loads for that account; without the accounts read role the owners' access is unknown.
        const keys = await createTrueNasService(sharing).list();
        assert.ok(keys.length > 0);
        // (A key whose owner is gone can do nothing whoever asks.)
        assert.deepEqual(new Set(keys.map((k) => k.access?.summary)), new Set(['unknown', 'none']));
      }
    });

    test('a failing query is a "failed" report with a human reason', async () => {
      const c = await h.admin();
      await h.command('failNext', { method: 'audit.query' });
      const report = await keyUsage(c);
      assert.equal(report.status, 'failed');
      assert.doesNotMatch(report.status === 'failed' ? report.reason : '', /audit\.query/);
    });

    test('a new key used once shows up with this machine as the address', async () => {
      const c = await h.admin();
      const created = await c.apiKeys.create({ name: 'fresh', ...(n >= 2504 ? { username: 'truenas_admin' } : {}) });
      const before = await keyUsage(c);
      assert.ok(before.status === 'ok' && !before.lastUse.has(created.key.id));
      await h.withKey(created.secret, n >= 2504 ? 'truenas_admin' : undefined);
      const after = await keyUsage(c);
      assert.ok(after.status === 'ok');
      assert.match(after.lastUse.get(created.key.id)?.address ?? '', /127\.0\.0\.1/);
    });
  });
}
