/**
 * Upgrade readiness and the access summary, as pure functions (no NAS), plus the per-version
 * capabilities and what 25.x shows a full admin against the simulator (the seeded sha256 key).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowlistSurvives,
  capabilitiesFrom,
  featureUnavailableReason,
  keyAccess,
  nextUpgradeFor,
  summarizeRoles,
  upgradeRisks,
  upgradeSummary,
} from '../../components/client/index.js';
import type { ApiKey } from '../../components/model/api-key.js';
import { createTrueNasService } from '../../components/client/service.js';
import { makeKey } from '../../components/testing/sample-keys.js';
import { useClientSim } from '../helpers/client-sim.js';

const legacy = (id: number, allowlist: ApiKey['allowlist'], extra: Partial<ApiKey> = {}) => makeKey({ id, name: `k${id}`, username: null, userIdentifier: null, local: null, allowlist, ...extra });

test('24.10 and older → 25.04: every key whose allowlist is not exactly */* is at risk', () => {
  const keys = [
    legacy(1, [{ method: '*', resource: '*' }]),
    legacy(2, [{ method: 'CALL', resource: '*' }]),
    legacy(3, [{ method: '*', resource: '*' }, { method: 'CALL', resource: 'system.info' }]),
    legacy(4, []),
    legacy(5, [{ method: 'GET', resource: '*' }], { revoked: true }),
  ];
  const r = upgradeRisks(keys, capabilitiesFrom('TrueNAS-SCALE-24.10.2.4', 'legacy'));
  assert.equal(r.target, '25.04');
  assert.deepEqual(r.risks.map((x) => [x.keyId, x.reason, x.fixes]), [[2, 'allowlist-dropped', ['reset']], [3, 'allowlist-dropped', ['reset']], [4, 'allowlist-dropped', ['reset']]]);
  assert.equal(upgradeSummary(r), '3 keys will stop working after upgrading to 25.04.');
  assert.equal(allowlistSurvives(null), false);
});

test('25.x → 26: pbkdf2-sha256 keys are at risk (reset or use once); unreadable hashes are counted as unchecked', () => {
  const keys = [
    makeKey({ id: 1, hashScheme: 'pbkdf2-sha256' }),
    makeKey({ id: 2, hashScheme: 'pbkdf2-sha512' }),
    makeKey({ id: 3, hashScheme: null }),
    makeKey({ id: 4, hashScheme: 'pbkdf2-sha256', revoked: true }),
  ];
  for (const v of ['TrueNAS-25.04.2.6', 'TrueNAS-25.10.6']) {
    const r = upgradeRisks(keys, capabilitiesFrom(v, 'jsonrpc'));
    assert.deepEqual(r, { target: '26.0', risks: [{ keyId: 1, keyName: 'backup-script', reason: 'sha256-hash', target: '26.0', fixes: ['reset', 'use-once'] }], unchecked: 1 });
    assert.equal(upgradeSummary(r), '1 key will stop working after upgrading to 26.0.');
  }
  assert.deepEqual(upgradeRisks(keys, capabilitiesFrom('TrueNAS-26.0.0-BETA.3', 'jsonrpc')), { target: null, risks: [], unchecked: 0 });
  assert.equal(nextUpgradeFor('garbage'), null);
  assert.equal(upgradeSummary({ target: '26.0', risks: [], unchecked: 0 }), null);
});

test('capabilities per version, and a reason wherever a feature is missing', () => {
  const row = (v: string, p: 'legacy' | 'jsonrpc') => {
    const c = capabilitiesFrom(v, p);
    return [c.scopedKeys, c.keyUsage, c.keySessions, c.endSessions, c.keyHashScheme, c.nextUpgrade?.target ?? null];
  };
  assert.deepEqual(row('TrueNAS-SCALE-22.02.4', 'legacy'), [false, false, false, false, false, '25.04']);
  assert.deepEqual(row('TrueNAS-SCALE-24.10.2.4', 'legacy'), [false, true, true, true, false, '25.04']);
  assert.deepEqual(row('TrueNAS-25.04.2.6', 'jsonrpc'), [true, true, true, true, true, '26.0']);
  assert.deepEqual(row('TrueNAS-25.10.6', 'jsonrpc'), [true, true, true, true, true, '26.0']);
  assert.deepEqual(row('TrueNAS-26.0.0-BETA.3', 'jsonrpc'), [true, true, true, true, false, null]);
  const old = capabilitiesFrom('TrueNAS-SCALE-22.02.4', 'legacy');
  for (const f of ['scopedKeys', 'keyUsage', 'keySessions', 'endSessions', 'keyHashScheme'] as const) {
    assert.match(featureUnavailableReason(old, f) ?? '', /22\.02/);
    assert.doesNotMatch(featureUnavailableReason(old, f) ?? '', /\b[a-z_]+\.[a-z_]+\b/, 'no method names');
  }
  assert.equal(featureUnavailableReason(capabilitiesFrom('TrueNAS-25.10.6', 'jsonrpc'), 'keyUsage'), null);
});

test('access summary: roles to one word; allowlists to full/restricted; owners unknown or gone', () => {
  const s = (roles: string[]) => summarizeRoles(roles).summary;
  assert.equal(s(['FULL_ADMIN']), 'full-admin');
  assert.equal(summarizeRoles(['FULL_ADMIN']).managesKeys, true);
  assert.equal(s([]), 'none');
  assert.equal(s(['READONLY_ADMIN']), 'read-only');
  assert.equal(s(['ALERT_LIST_READ', 'POOL_READ']), 'read-only');
  assert.equal(s(['REPLICATION_ADMIN', 'REPLICATION_TASK_WRITE_PULL']), 'replication');
  assert.equal(s(['SNAPSHOT_WRITE', 'SNAPSHOT_DELETE', 'SNAPSHOT_TASK_WRITE']), 'snapshots');
  assert.equal(s(['SHARING_ADMIN']), 'sharing');
  assert.equal(s(['SHARING_ADMIN', 'READONLY_ADMIN']), 'sharing');
  assert.deepEqual(summarizeRoles(['API_KEY_WRITE']), { summary: 'custom', source: 'roles', roles: ['API_KEY_WRITE'], managesKeys: true });
  assert.equal(s(['READONLY_ADMIN', 'SNAPSHOT_WRITE']), 'custom');
  const roles = new Map([['bob', ['READONLY_ADMIN']]]);
  assert.equal(keyAccess(makeKey({ username: 'bob' }), roles).summary, 'read-only');
  assert.equal(keyAccess(makeKey({ username: 'carol' }), roles).summary, 'unknown');
  assert.equal(keyAccess(makeKey({ username: 'bob' }), null).summary, 'unknown');
  assert.equal(keyAccess(makeKey({ username: null, userIdentifier: 'S-1-5-21-1' }), roles).summary, 'none');
  assert.equal(keyAccess(legacy(1, [{ method: '*', resource: '*' }]), null).summary, 'full');
  assert.equal(keyAccess(legacy(2, [{ method: 'CALL', resource: 'system.info' }]), null).summary, 'restricted');
});

for (const profile of ['24.10', '25.10', '26.0'] as const) {
  describe(`upgrade readiness against ${profile}`, () => {
    const h = useClientSim(profile);
    test('the service lists the keys the next upgrade revokes', async () => {
      const c = await h.admin();
      const r = await createTrueNasService(c).upgradeRisks!();
      if (profile === '24.10') {
        assert.equal(r.target, '25.04');
        assert.ok(r.risks.some((x) => x.keyName === 'monitoring' && x.reason === 'allowlist-dropped'));
        assert.ok(!r.risks.some((x) => x.keyName === 'ci-backup'));
      } else if (profile === '25.10') {
        assert.deepEqual(r.risks.map((x) => [x.keyName, x.reason]), [['pre-upgrade-cli', 'sha256-hash']]);
        assert.equal(r.unchecked, 0, 'a full admin sees every hash scheme');
        // A read-only admin sees masked hashes: nothing can be said, and it says so.
        const ro = await createTrueNasService(await h.as('ro_admin')).upgradeRisks!();
        assert.deepEqual(ro.risks, []);
        assert.ok(ro.unchecked > 0);
        // A reset stores the new secret with the new hash (and a sign-in with it works): no longer at risk.
        const id = r.risks[0]!.keyId;
        const reset = await c.apiKeys.reset(id);
        await h.withKey(reset.secret, 'truenas_admin');
        assert.deepEqual((await createTrueNasService(c).upgradeRisks!()).risks, []);
      } else {
        assert.deepEqual(r, { target: null, risks: [], unchecked: 0 });
      }
    });
  });
}
