/**
 * MemoryKeyService's issue-12 members (no DOM): fake usage and sessions, scoped-key planning with
 * the real rules, an injectable failing step (and failing undo) for the rollback UI, upgrade risks,
 * and fuzzed scoped-key inputs that must end in a plan or a ScopedKeyInputError, never anything else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryKeyService, LEGACY, MODERN, makeKey } from '../../components/testing/index.js';
import { ScopedKeyInputError, planScopedKey, scopedKeyFailureOf, type ScopedKeyInput } from '../../components/model/scoped-key.js';
import { capabilitiesFrom } from '../../components/client/capabilities.js';
import { mulberry32, pick } from '../helpers/random.js';

const keys = () => [1, 2, 3, 4, 6].map((id) => makeKey({ id, name: `key-${id}`, ...(id === 4 ? { hashScheme: 'pbkdf2-sha256' as const } : {}) }));

test('usage, sessions and access: realistic, and typed when not permitted', async () => {
  const s = new MemoryKeyService(MODERN, keys());
  const usage = await s.keyUsage();
  assert.ok(usage.status === 'ok' && usage.lastUse.has(2) && !usage.lastUse.has(1));
  const sessions = await s.allKeySessions();
  assert.ok(sessions.status === 'ok' && sessions.byKey.get(3)?.length === 2);
  assert.deepEqual(await s.endKeySessions(3), { ended: 2, keptCurrent: false, failed: 0 });
  assert.deepEqual(await s.keySessions(3), []);
  assert.equal((await s.list())[0]?.access?.summary, 'full-admin');
  s.insights.permitted = false;
  assert.equal((await s.keyUsage()).status, 'not-permitted');
  assert.equal((await s.allKeySessions()).status, 'not-permitted');
  assert.deepEqual((await s.upgradeRisks()).risks.map((r) => r.keyId), [4]);
  const legacy = new MemoryKeyService(LEGACY, [makeKey({ id: 9, username: null, userIdentifier: null, allowlist: [{ method: 'CALL', resource: 'system.info' }] })]);
  assert.equal((await legacy.list())[0]?.access?.summary, 'restricted');
  assert.deepEqual((await legacy.upgradeRisks()).risks.map((r) => r.reason), ['allowlist-dropped']);
  assert.deepEqual(await legacy.availableRoles(), []);
});

test('scoped keys in memory: plan, create, a failing step with and without a failing undo', async () => {
  const s = new MemoryKeyService(MODERN, keys());
  assert.ok(!(await s.availableRoles()).some((r) => r.name === 'API_KEY_WRITE'));
  await assert.rejects(s.planScopedKey({ name: 'x', purpose: 'custom', roles: ['API_KEY_WRITE'] }), ScopedKeyInputError);
  const plan = await s.planScopedKey({ name: 'Nightly snapshots', purpose: 'snapshots' });
  assert.deepEqual(plan.steps.map((st) => st.kind), ['create-group', 'create-privilege', 'create-user', 'create-key']);
  s.insights.scopedFault = { step: 'create-privilege' };
  const failed = await s.createScopedKey(plan).then(() => null, (e: unknown) => e);
  assert.deepEqual([scopedKeyFailureOf(failed)?.failedStep, scopedKeyFailureOf(failed)?.undone], ['create-privilege', true]);
  s.insights.scopedFault = { step: 'create-key', undoFails: true };
  const stuck = scopedKeyFailureOf(await s.createScopedKey(plan).then(() => null, (e: unknown) => e));
  assert.equal(stuck?.undone, false);
  assert.equal(stuck?.leftOnNas.length, 3);
  const made = await s.createScopedKey(await s.planScopedKey({ name: 'Nightly snapshots', purpose: 'snapshots' }));
  // The failed undo left "svc-nightly-snapshots" behind, so the next free name is taken.
  assert.equal(made.key.username, 'svc-nightly-snapshots-2');
  assert.equal((await s.list()).find((k) => k.id === made.key.id)?.access?.summary, 'snapshots');
  // The service account now exists: the next plan picks another name.
  const again = await s.planScopedKey({ name: 'nightly snapshots!', purpose: 'read-only' });
  const user = again.steps[1];
  assert.equal(user?.kind === 'create-user' ? user.username : null, 'svc-nightly-snapshots-3');
});

test('fuzz: scoped-key inputs end in a plan obeying the NAS name rules, or a ScopedKeyInputError', () => {
  const r = mulberry32(1212);
  const weird: unknown[] = [null, undefined, '', ' ', 'x', 'a'.repeat(300), 'Ünï:\n\u202e', 42, [], {}, ['API_KEY_WRITE'], ['SNAPSHOT_READ'], ['NOPE'], [1, 2], -1, Date.now() + 1e6, Date.now() - 1, NaN];
  const purposes: unknown[] = ['read-only', 'snapshots', 'replication', 'sharing', 'custom', 'bogus', null];
  const roles = [{ name: 'SNAPSHOT_READ', includes: [], builtin: true }, { name: 'API_KEY_WRITE', includes: [], builtin: true }, { name: 'WRAPS_KEYS', includes: ['API_KEY_WRITE'], builtin: false }];
  for (let i = 0; i < 3000; i++) {
    const input = { name: pick(r, weird), purpose: pick(r, purposes), roles: pick(r, weird), pull: pick(r, weird), allowlist: pick(r, [undefined, [], [{ method: 'CALL', resource: 'x' }], [{}], 'x']), expiresAt: pick(r, weird) };
    for (const v of ['TrueNAS-SCALE-24.10.2.4', 'TrueNAS-25.10.6']) {
      try {
        const plan = planScopedKey(input as unknown as ScopedKeyInput, capabilitiesFrom(v, v.includes('SCALE') ? 'legacy' : 'jsonrpc'), { taken: { keys: ['x'], usernames: ['svc-key'], groups: [], privileges: [] }, roles });
        for (const step of plan.steps) {
          if (step.kind === 'create-user') assert.match(step.username, /^[a-z_][a-z0-9_.-]{0,31}$/);
          if (step.kind === 'create-group') assert.ok(step.name.length <= 32);
          if (step.kind === 'create-privilege') assert.ok(!step.roles.includes('API_KEY_WRITE') && !step.roles.includes('WRAPS_KEYS'));
        }
      } catch (error) {
        assert.ok(error instanceof ScopedKeyInputError, `${String(error)} for ${JSON.stringify(input)}`);
      }
    }
  }
});
