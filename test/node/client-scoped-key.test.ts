/**
 * Scoped keys against the simulator in every profile: the plan per purpose, the run (group,
 * privilege, service account, key), every failure and its undo (failNext on each step), an undo
 * that itself fails, refused roles, and names already taken. 22.02/24.10: allowlist presets.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES } from '../../scripts/simulator/index.js';
import {
  LEGACY_ALLOWLIST_PRESETS,
  ScopedKeyError,
  ScopedKeyInputError,
  createScopedKey,
  planScopedKey,
  scopedKeyFailureOf,
  type ScopedKeyPlan,
  type TrueNasClient,
} from '../../components/client/index.js';
import { createTrueNasService } from '../../components/client/service.js';
import { PROFILE_N, useClientSim } from '../helpers/client-sim.js';

const METHOD_NAME = /\b(group|privilege|user|api_key)\.(create|delete|get_instance|query)\b/;

/** Names of everything the scoped flow could leave behind. */
async function accountState(c: TrueNasClient) {
  const roles = (await c.capabilities()).keyUsage === true; // privileges exist from 24.04, as the audit log does
  const [users, groups, privileges, keys] = await Promise.all([c.accounts.users(), c.accounts.groups(), roles ? c.accounts.privileges() : [], c.apiKeys.query()]);
  return {
    users: users.map((u) => u.username).sort(),
    groups: groups.map((g) => g.name).sort(),
    privileges: privileges.map((p) => p.name).sort(),
    keys: keys.map((k) => k.name).sort(),
  };
}

for (const profile of PROFILES) {
  const n = PROFILE_N[profile];
  const scoped = n >= 2504;

  describe(`scoped keys on ${profile}`, () => {
    const h = useClientSim(profile);

    if (!scoped) {
      test('purposes map to allowlist presets: one step, the key carries the preset', async () => {
        const c = await h.admin();
        const caps = await c.capabilities();
        assert.equal(caps.scopedKeys, false);
        for (const purpose of ['read-only', 'snapshots', 'replication', 'sharing'] as const) {
          const plan = await planScopedKey(c, { name: `legacy-${purpose}`, purpose });
          assert.equal(plan.mode, 'allowlist');
          assert.deepEqual(plan.steps.map((s) => s.kind), ['create-key']);
          assert.match(plan.notes.join(' '), /25\.04/);
          const result = await createScopedKey(c, plan);
          assert.deepEqual(result.key.allowlist, LEGACY_ALLOWLIST_PRESETS[purpose]);
          assert.match(result.secret, /^\d+-[A-Za-z0-9]{64}$/);
        }
        const custom = await planScopedKey(c, { name: 'legacy-custom', purpose: 'custom', allowlist: [{ method: 'CALL', resource: 'system.info' }] });
        assert.deepEqual((await createScopedKey(c, custom)).key.allowlist, [{ method: 'CALL', resource: 'system.info' }]);
        await assert.rejects(planScopedKey(c, { name: 'x', purpose: 'custom', roles: ['READONLY_ADMIN'] }), ScopedKeyInputError);
        await assert.rejects(planScopedKey(c, { name: 'x', purpose: 'custom' }), (e: ScopedKeyInputError) => e.field === 'allowlist');
      });

      test('a failing key creation leaves nothing and says so', async () => {
        const c = await h.admin();
        const plan = await planScopedKey(c, { name: 'legacy-fail', purpose: 'read-only' });
        await h.command('failNext', { method: 'api_key.create' });
        await assert.rejects(createScopedKey(c, plan), (e: ScopedKeyError) => e.failedStep === 'create-key' && e.undone && !METHOD_NAME.test(e.message));
        assert.ok(!(await accountState(c)).keys.includes('legacy-fail'));
      });
      return;
    }

    test('read-only: the built-in group 951, a service account, then the key; it acts read-only', async () => {
      const c = await h.admin();
      const before = await accountState(c);
      const plan = await planScopedKey(c, { name: 'Grafana Monitor', purpose: 'read-only' });
      assert.equal(plan.mode, 'roles');
      assert.deepEqual(plan.steps.map((s) => s.kind), ['use-group', 'create-user', 'create-key']);
      assert.deepEqual(plan.roles, ['READONLY_ADMIN']);
      const userStep = plan.steps[1]!;
      assert.ok(userStep.kind === 'create-user');
      assert.equal(userStep.username, 'svc-grafana-monitor');
      // Planning changed nothing.
      assert.deepEqual(await accountState(c), before);

      const result = await createScopedKey(c, plan);
      assert.deepEqual(result.warnings, []);
      assert.equal(result.key.username, 'svc-grafana-monitor');
      assert.equal(result.created.groupId, null);
      assert.equal(result.created.privilegeId, null);
      const user = await c.accounts.user(result.created.userId!);
      assert.deepEqual(
        { disabled: user.passwordDisabled, smb: user.smb, shell: user.shell, home: user.home },
        { disabled: true, smb: false, shell: '/usr/sbin/nologin', home: '/var/empty' },
      );
      assert.ok(user.roles.includes('READONLY_ADMIN'));
      // The key signs in and may read, not write.
      const svc = await h.withKey(result.secret, 'svc-grafana-monitor');
      assert.ok((await svc.accounts.users()).length > 0, 'read-only may read accounts');
      await assert.rejects(svc.accounts.createGroup('nope'), (e: Error) => /not allowed|Not authorized/i.test(e.message));
      // The service reports its blast radius.
      const listed = (await createTrueNasService(c).list()).find((k) => k.id === result.key.id);
      assert.equal(listed?.access?.summary, 'read-only');
    });

    for (const [purpose, roles, extra] of [
      ['snapshots', ['SNAPSHOT_WRITE', 'SNAPSHOT_DELETE', 'SNAPSHOT_TASK_WRITE'], {}],
      ['replication', ['REPLICATION_ADMIN', 'REPLICATION_TASK_WRITE_PULL'], { pull: true }],
      ['sharing', ['SHARING_ADMIN'], {}],
      ['custom', ['ALERT_LIST_READ', 'POOL_SCRUB_WRITE'], { roles: ['ALERT_LIST_READ', 'POOL_SCRUB_WRITE'] }],
    ] as const) {
      test(`${purpose}: group, privilege, service account, key; the owner has exactly the planned roles`, async () => {
        const c = await h.admin();
        const plan = await planScopedKey(c, { name: `${purpose}-key`, purpose, ...extra });
        assert.deepEqual(plan.steps.map((s) => s.kind), ['create-group', 'create-privilege', 'create-user', 'create-key']);
        assert.deepEqual(plan.roles, roles);
        const result = await createScopedKey(c, plan);
        assert.deepEqual(result.warnings, []);
        const user = await c.accounts.user(result.created.userId!);
        assert.deepEqual([...user.roles].sort(), [...roles].sort());
        const privileges = await c.accounts.privileges([['id', '=', result.created.privilegeId!]]);
        assert.equal(privileges[0]?.webShell, false);
        const group = await c.accounts.group(result.created.groupId!);
        assert.equal(group.smb, false);
        assert.deepEqual(privileges[0]?.localGroupGids, [group.gid]);
        const summary = (await createTrueNasService(c).list()).find((k) => k.id === result.key.id)?.access?.summary;
        assert.equal(summary, purpose);
      });
    }

    test('API_KEY_WRITE, FULL_ADMIN, ACCOUNT_WRITE and PRIVILEGE_WRITE are refused with the reason; unknown roles too', async () => {
      const c = await h.admin();
      await assert.rejects(planScopedKey(c, { name: 'k', purpose: 'custom', roles: ['API_KEY_WRITE'] }), (e: ScopedKeyInputError) => {
        assert.equal(e.field, 'roles');
        assert.match(e.message, /every user/);
        return true;
      });
      for (const role of ['FULL_ADMIN', 'ACCOUNT_WRITE', 'PRIVILEGE_WRITE']) {
        await assert.rejects(planScopedKey(c, { name: 'k', purpose: 'custom', roles: ['SNAPSHOT_READ', role] }), ScopedKeyInputError);
      }
      await assert.rejects(planScopedKey(c, { name: 'k', purpose: 'custom', roles: ['NO_SUCH_ROLE'] }), /no role named NO_SUCH_ROLE/);
      await assert.rejects(planScopedKey(c, { name: 'k', purpose: 'custom', roles: [] }), ScopedKeyInputError);
      // A tampered plan is refused before anything is sent.
      const plan = await planScopedKey(c, { name: 'tampered', purpose: 'snapshots' });
      const before = await accountState(c);
      const bad: ScopedKeyPlan = { ...plan, roles: ['API_KEY_WRITE'], steps: plan.steps.map((s) => (s.kind === 'create-privilege' ? { ...s, roles: ['API_KEY_WRITE'] } : s)) };
      await assert.rejects(createScopedKey(c, bad), ScopedKeyInputError);
      assert.deepEqual(await accountState(c), before);
      // The service's role list leaves them out.
      const roles = (await createTrueNasService(c).availableRoles!()).map((r) => r.name);
      assert.ok(roles.includes('SNAPSHOT_WRITE'));
      for (const r of ['API_KEY_WRITE', 'FULL_ADMIN', 'ACCOUNT_WRITE', 'PRIVILEGE_WRITE']) assert.ok(!roles.includes(r), r);
    });

    for (const [method, step, index] of [
      ['group.create', 'create-group', 0],
      ['group.get_instance', 'create-group', 0],
      ['privilege.create', 'create-privilege', 1],
      ['user.create', 'create-user', 2],
      ['api_key.create', 'create-key', 3],
    ] as const) {
      test(`a failing ${method} is undone completely and reported as step ${index + 1}`, async () => {
        const c = await h.admin();
        const before = await accountState(c);
        const plan = await planScopedKey(c, { name: 'undo-me', purpose: 'replication' });
        await h.command('failNext', { method, errno: 12, message: 'Out of memory' });
        const error = await createScopedKey(c, plan).then(() => null, (e: unknown) => e);
        assert.ok(error instanceof ScopedKeyError, String(error));
        assert.equal(error.failedStep, step);
        assert.equal(error.stepIndex, index);
        assert.equal(error.undone, true);
        assert.deepEqual(error.leftOnNas, []);
        assert.match(error.message, new RegExp(`step ${index + 1} of 4`));
        assert.match(error.message, /Out of memory/);
        assert.match(error.message, /Nothing was left on the NAS/);
        assert.doesNotMatch(error.message, METHOD_NAME);
        assert.deepEqual(scopedKeyFailureOf(error)?.failedStep, step);
        assert.deepEqual(await accountState(c), before);
      });
    }

    test('the default NAS fault text names no method in our message', async () => {
      const c = await h.admin();
      const plan = await planScopedKey(c, { name: 'fault-text', purpose: 'snapshots' });
      await h.command('failNext', { method: 'privilege.create' });
      await assert.rejects(createScopedKey(c, plan), (e: Error) => {
        assert.doesNotMatch(e.message, METHOD_NAME);
        assert.match(e.message, /Failed to complete the request/);
        return true;
      });
    });

    test('a read-only key whose key step fails removes the service account again', async () => {
      const c = await h.admin();
      const before = await accountState(c);
      const plan = await planScopedKey(c, { name: 'ro-undo', purpose: 'read-only' });
      await h.command('failNext', { method: 'api_key.create', error: 'ValidationError', attribute: 'api_key_create.name', message: 'name must be unique' });
      await assert.rejects(createScopedKey(c, plan), (e: ScopedKeyError) => e.failedStep === 'create-key' && e.stepIndex === 2 && e.undone);
      assert.deepEqual(await accountState(c), before);
    });

    test('an undo that itself fails says exactly what is left on the NAS', async () => {
      const c = await h.admin();
      const plan = await planScopedKey(c, { name: 'stuck', purpose: 'snapshots' });
      await h.command('failNext', { method: 'api_key.create' });
      await h.command('failNext', { method: 'privilege.delete', message: 'Database is locked' });
      const error = await createScopedKey(c, plan).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof ScopedKeyError);
      assert.equal(error.undone, false);
      assert.equal(error.leftOnNas.length, 2, error.leftOnNas.join(' | '));
      assert.match(error.leftOnNas[0]!, /privilege “svc-stuck key access” \(id \d+\).*Database is locked/);
      // The group could not go either: the privilege still names it.
      assert.match(error.leftOnNas[1]!, /group “svc-stuck-grp” \(id \d+\)/);
      assert.match(error.message, /did not fully succeed; still on the NAS/);
      assert.match(error.message, /by hand/);
      const state = await accountState(c);
      assert.ok(!state.users.includes('svc-stuck'), 'the service account was removed');
      assert.ok(state.privileges.includes('svc-stuck key access'));
      assert.ok(state.groups.includes('svc-stuck-grp'));
    });

    test('a failing user removal during undo leaves the account named', async () => {
      const c = await h.admin();
      const plan = await planScopedKey(c, { name: 'stuck-user', purpose: 'read-only' });
      await h.command('failNext', { method: 'api_key.create' });
      await h.command('failNext', { method: 'user.delete' });
      await assert.rejects(createScopedKey(c, plan), (e: ScopedKeyError) => {
        assert.equal(e.undone, false);
        assert.match(e.leftOnNas.join(), /service account “svc-stuck-user” \(id \d+\)/);
        return true;
      });
    });

    test('names already taken: the next free name; a taken key name is refused; a race is undone', async () => {
      const c = await h.admin();
      await createScopedKey(c, await planScopedKey(c, { name: 'backup', purpose: 'read-only' }));
      // A group named like the next candidate user: user.create would reuse it, so it is skipped too.
      await c.accounts.createGroup('svc-backup-job-2');
      await createScopedKey(c, await planScopedKey(c, { name: 'backup job', purpose: 'read-only' }));
      const plan = await planScopedKey(c, { name: 'backup-job!', purpose: 'snapshots' });
      const user = plan.steps.find((s) => s.kind === 'create-user');
      assert.equal(user?.kind === 'create-user' && user.username, 'svc-backup-job-3');
      await assert.rejects(planScopedKey(c, { name: 'backup', purpose: 'read-only' }), (e: ScopedKeyInputError) => e.field === 'name' && /already exists/.test(e.message));
      // Long and odd names stay within the NAS's username rules.
      const long = await planScopedKey(c, { name: `Ünïcødé ${'x'.repeat(80)} :\n`, purpose: 'snapshots' });
      const names = long.steps.flatMap((s) => (s.kind === 'create-user' ? [s.username] : s.kind === 'create-group' ? [s.name] : []));
      for (const name of names) assert.match(name, /^[a-z_][a-z0-9_.-]{0,31}$/);
      await createScopedKey(c, long);
      // Taken between planning and running: the NAS refuses, the run undoes.
      const raced = await planScopedKey(c, { name: 'raced', purpose: 'snapshots' });
      await createScopedKey(c, await planScopedKey(c, { name: 'raced-other', purpose: 'read-only' }));
      await c.accounts.createServiceUser({ username: 'svc-raced', fullName: 'x', groupIds: [], shell: '/usr/sbin/nologin', home: '/var/empty' });
      const before = await accountState(c);
      await assert.rejects(createScopedKey(c, raced), (e: ScopedKeyError) => e.failedStep === 'create-user' && e.undone && /already exists/.test(e.message));
      assert.deepEqual(await accountState(c), before);
    });

    test('the service plans and runs the same flow', async () => {
      const c = await h.admin();
      const service = createTrueNasService(c);
      const plan = await service.planScopedKey!({ name: 'via-service', purpose: 'sharing' });
      const result = await service.createScopedKey!(plan);
      assert.equal(result.key.name, 'via-service');
      assert.ok((await service.list()).some((k) => k.id === result.key.id && k.access?.summary === 'sharing'));
    });
  });
}
