/**
 * The accounts API against the simulator per profile: users with roles, groups (database id vs
 * GID), privileges and `privilege.roles`, creation and deletion, and errors as typed classes with
 * human messages that name no method.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES } from '../../scripts/simulator/index.js';
import { MethodNotFoundError, NotFoundError, ValidationError } from '../../components/client/index.js';
import { PROFILE_N, useClientSim } from '../helpers/client-sim.js';

const METHOD_NAME = /\b(group|privilege|user)\.(create|delete|get_instance|query|roles)\b/;

for (const profile of PROFILES) {
  const n = PROFILE_N[profile];

  describe(`accounts on ${profile}`, () => {
    const h = useClientSim(profile);

    test('users and groups in camelCase; roles from 24.04; the seeded service accounts', async () => {
      const c = await h.admin();
      const users = await c.accounts.users();
      const ro = users.find((u) => u.username === 'svc-ro');
      assert.ok(ro);
      assert.deepEqual({ id: ro.id, passwordDisabled: ro.passwordDisabled, smb: ro.smb }, { id: 76, passwordDisabled: true, smb: false });
      assert.deepEqual(ro.roles, n >= 2404 ? ['READONLY_ADMIN'] : []);
      const repl = await c.accounts.user(77);
      if (n >= 2404) assert.deepEqual([...repl.roles].sort(), ['REPLICATION_ADMIN', 'REPLICATION_TASK_WRITE_PULL']);
      const group = await c.accounts.group(50);
      assert.deepEqual({ gid: group.gid, name: group.name }, { gid: 3100, name: 'replicators' });
      assert.ok(group.users.includes(77));
      assert.equal((await c.accounts.groupByGid(951)).name, 'truenas_readonly_administrators');
      await assert.rejects(c.accounts.groupByGid(4_000_000), NotFoundError);
      await assert.rejects(c.accounts.user(99_999), (e: Error) => e instanceof NotFoundError && !METHOD_NAME.test(e.message));
    });

    test('group create returns the database id, not the GID; delete removes it', async () => {
      const c = await h.admin();
      const id = await c.accounts.createGroup('scratch-group');
      const group = await c.accounts.group(id);
      assert.notEqual(group.gid, id);
      assert.equal(group.smb, false);
      await assert.rejects(c.accounts.createGroup('scratch-group'), (e: Error) => e instanceof ValidationError && e.fieldErrors[0]?.field === 'name' && !METHOD_NAME.test(e.message));
      await c.accounts.deleteGroup(id);
      await assert.rejects(c.accounts.group(id), NotFoundError);
    });

    test('service users: no password, no SMB, nologin; deleting removes its own group', async () => {
      const c = await h.admin();
      const user = await c.accounts.createServiceUser({ username: 'svc-scratch', fullName: 'Scratch', groupIds: [], shell: '/usr/sbin/nologin', home: '/var/empty' });
      assert.deepEqual({ d: user.passwordDisabled, smb: user.smb, shell: user.shell, home: user.home }, { d: true, smb: false, shell: '/usr/sbin/nologin', home: '/var/empty' });
      assert.ok((await c.accounts.groups()).some((g) => g.name === 'svc-scratch'));
      await assert.rejects(
        c.accounts.createServiceUser({ username: 'bad name', fullName: 'x', groupIds: [], shell: '/usr/sbin/nologin', home: '/var/empty' }),
        (e: Error) => e instanceof ValidationError && e.fieldErrors.some((f) => f.field === 'username'),
      );
      await c.accounts.deleteUser(user.id);
      assert.ok(!(await c.accounts.groups()).some((g) => g.name === 'svc-scratch'));
      await assert.rejects(c.accounts.deleteUser(user.id), NotFoundError);
    });

    if (n < 2404) {
      test('no privileges on 22.02: a typed "not supported" error', async () => {
        const c = await h.admin();
        await assert.rejects(c.accounts.privileges(), MethodNotFoundError);
        await assert.rejects(c.accounts.roles(), (e: Error) => e instanceof MethodNotFoundError && /does not support/.test(e.message));
      });
      return;
    }

    test('privileges take GIDs; privilege.roles lists the release’s roles; delete', async () => {
      const c = await h.admin();
      const roles = await c.accounts.roles();
      const names = new Set(roles.map((r) => r.name));
      for (const r of ['READONLY_ADMIN', 'REPLICATION_ADMIN', 'SNAPSHOT_DELETE', ...(n >= 2504 ? ['API_KEY_WRITE'] : [])]) assert.ok(names.has(r), r);
      assert.ok(roles.find((r) => r.name === 'REPLICATION_ADMIN')?.includes.includes('SNAPSHOT_WRITE'));
      const seeded = (await c.accounts.privileges()).find((p) => p.name === 'Replication');
      assert.deepEqual(seeded?.localGroupGids, [3100]);
      const gid = (await c.accounts.group(await c.accounts.createGroup('priv-group'))).gid;
      const p = await c.accounts.createPrivilege({ name: 'Scratch privilege', localGroupGids: [gid], roles: ['SNAPSHOT_READ'], webShell: false });
      assert.deepEqual({ gids: p.localGroupGids, roles: p.roles, builtin: p.builtinName }, { gids: [gid], roles: ['SNAPSHOT_READ'], builtin: null });
      await assert.rejects(
        c.accounts.createPrivilege({ name: 'Bad', localGroupGids: [gid], roles: ['NOT_A_ROLE'], webShell: false }),
        (e: Error) => e instanceof ValidationError && /Invalid role/.test(e.message),
      );
      await assert.rejects(c.accounts.deletePrivilege(1), (e: Error) => /built-in/.test(e.message));
      await c.accounts.deletePrivilege(p.id);
      assert.ok(!(await c.accounts.privileges()).some((x) => x.id === p.id));
    });
  });
}
