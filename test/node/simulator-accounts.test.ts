/**
 * Accounts: users, groups, privileges and roles per release, and what a key owned by a
 * restricted (service) account may do. Real sockets against a real simulator.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn, type Frame } from '../../scripts/simulator/raw-client.js';
import { legacyAs, rpcAs, withSim as withSimulator, type SimOptions } from '../helpers/node-sim.js';

const withSim = (options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>) => withSimulator({ rateLimit: false, ...options }, fn);
const extra = (r: Frame) => r.error.data.extra;

/** A JSON-RPC socket logged in with a key string. */
async function keySocket(sim: RunningSimulator, key: string): Promise<RawSocket> {
  const s = await RawSocket.open(sim.url, '/api/current');
  assert.equal((await s.rpc('auth.login_with_api_key', [key])).result, true);
  return s;
}

describe('the read-only service account sequence (truenas-accounts.md §1)', () => {
  for (const profile of ['25.04', '25.10', '26.0'] as const) {
    test(`${profile}: group 951 -> user.create -> api_key.create; the key reads but cannot write`, async () => {
      await withSim({ profile }, async (sim) => {
        const s = await openLoggedIn(sim);
        const g = (await s.rpc('group.query', [[['gid', '=', 951]], { get: true }])).result;
        assert.deepEqual([g.name, g.builtin, g.roles], ['truenas_readonly_administrators', true, ['READONLY_ADMIN']]);
        const created = (
          await s.rpc('user.create', [
            { username: 'svc-backup', full_name: 'Backup reader', group_create: true, groups: [g.id], password_disabled: true, smb: false, shell: '/usr/sbin/nologin' },
          ])
        ).result;
        assert.equal(created.home, '/var/empty', 'home defaults to /var/empty');
        assert.equal(created.shell, '/usr/sbin/nologin');
        assert.equal(created.password_disabled, true);
        assert.equal(created.password, null);
        assert.deepEqual(created.roles, ['READONLY_ADMIN']);
        assert.equal(created.group.bsdgrp_group, 'svc-backup', 'group_create makes a personal group');
        const key = (await s.rpc('api_key.create', [{ username: 'svc-backup', name: 'backup-ro', expires_at: null }])).result;
        const ro = await keySocket(sim, key.key);
        assert.ok(Array.isArray((await ro.rpc('api_key.query')).result), 'API_KEY_READ through READONLY_ADMIN');
        assert.ok(Array.isArray((await ro.rpc('user.query')).result), 'ACCOUNT_READ');
        const write = (await ro.rpc('api_key.create', [{ username: 'truenas_admin', name: 'escalate' }])).error;
        assert.equal(write.data.reason, '[EACCES] svc-backup: authenticated user lacks privileges to create or modify API keys of other users.');
        const denied = (await ro.rpc('user.create', [{ username: 'x', full_name: 'x', group_create: true, password: 'p' }])).error;
        assert.deepEqual([denied.code, denied.data.reason], [-32001, '[EACCES] Not authorized']);
        const me = (await ro.rpc('auth.me')).result;
        assert.deepEqual(me.account_attributes, ['LOCAL', 'API_KEY']);
        ro.close();
        s.close();
      });
    });
  }

  test('a seeded read-only service account owns a key; an owner without roles is refused', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const svc = (await s.rpc('user.query', [[['username', '=', 'svc-ro']], { get: true }])).result;
      assert.deepEqual([svc.password_disabled, svc.smb, svc.shell, svc.home, svc.roles], [true, false, '/usr/sbin/nologin', '/var/empty', ['READONLY_ADMIN']]);
      const keys = (await s.rpc('api_key.query', [[['username', '=', 'svc-ro']]])).result;
      assert.deepEqual(keys.map((k: { name: string }) => k.name), ['svc-ro-monitor']);
      const plain = (await s.rpc('user.create', [{ username: 'plain', full_name: 'Plain', group_create: true, password_disabled: true, smb: false }])).result;
      assert.deepEqual(plain.roles, []);
      assert.deepEqual(extra(await s.rpc('api_key.create', [{ username: 'plain', name: 'k' }])), [['api_key_create', 'User lacks privilege role membership.', 22]]);
      s.close();
    });
  });
});

describe('privileges', () => {
  test('group.create returns the id; privilege.local_groups takes the GID; the key gets the privilege roles', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const id = (await s.rpc('group.create', [{ name: 'svc-snap', smb: false }])).result;
      assert.equal(typeof id, 'number');
      const group = (await s.rpc('group.get_instance', [id])).result;
      assert.notEqual(group.gid, id, 'the GID is not the database id');
      assert.equal(group.smb, false);
      const byId = (await s.rpc('privilege.create', [{ name: 'wrong', local_groups: [id], web_shell: false, roles: ['SNAPSHOT_WRITE'] }])).error;
      assert.deepEqual(byId.data.extra, [
        ['privilege_create.local_groups.0', `${id}: local group does not exist. This error may be addressed by either re-creating the missing group with the specified group id or removing this entry from the privilege.`, 22],
      ]);
      const priv = (await s.rpc('privilege.create', [{ name: 'snap-only', local_groups: [group.gid], ds_groups: [], web_shell: false, roles: ['SNAPSHOT_WRITE', 'SNAPSHOT_DELETE', 'SNAPSHOT_TASK_WRITE'] }])).result;
      assert.deepEqual(Object.keys(priv), ['id', 'builtin_name', 'name', 'local_groups', 'ds_groups', 'roles', 'web_shell']);
      assert.equal(priv.local_groups[0].gid, group.gid);
      const u = (await s.rpc('user.create', [{ username: 'svc-snap', full_name: 'Snapshots', group: id, groups: [], password_disabled: true, smb: false }])).result;
      assert.deepEqual(u.roles.sort(), ['SNAPSHOT_DELETE', 'SNAPSHOT_TASK_WRITE', 'SNAPSHOT_WRITE']);
      const key = (await s.rpc('api_key.create', [{ username: 'svc-snap', name: 'snap-key' }])).result;
      const k = await keySocket(sim, key.key);
      assert.deepEqual((await k.rpc('api_key.query')).error.data.reason, '[EACCES] Not authorized', 'no API_KEY_READ in that privilege');
      assert.ok(Array.isArray((await k.rpc('api_key.my_keys')).result) === false, 'my_keys needs API_KEY_READ too');
      k.close();
      // The group is in use: it cannot be deleted before the privilege.
      const inUse = (await s.rpc('group.delete', [id])).error;
      assert.equal(inUse.data.reason, "[EACCES] This group is used by privilege 'snap-only'. Please remove it from that privilege first, then delete the group.");
      assert.equal((await s.rpc('privilege.delete', [priv.id])).result, true);
      assert.deepEqual((await s.rpc('user.get_instance', [u.id])).result.roles, [], 'roles follow the privilege');
      s.close();
    });
  });

  test('validation: unknown role, duplicate name, missing fields, built-ins', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.deepEqual(extra(await s.rpc('privilege.create', [{ name: 'x' }])), [['privilege_create.web_shell', 'Field required', 22]]);
      assert.deepEqual(extra(await s.rpc('privilege.create', [{ name: 'x', web_shell: false, roles: ['NOPE'] }])), [['privilege_create.roles.0', 'Invalid role', 22]]);
      assert.deepEqual(extra(await s.rpc('privilege.create', [{ name: 'Replication', web_shell: false }])), [['privilege_create.name', 'Object with this name already exists', 22]]);
      assert.deepEqual(extra(await s.rpc('privilege.create', [{ name: '', web_shell: 'no' }])), [
        ['privilege_create.name', 'String should have at least 1 character', 22],
        ['privilege_create.web_shell', 'Input should be a valid boolean', 22],
      ]);
      const del = (await s.rpc('privilege.delete', [1])).error;
      assert.deepEqual([del.code, del.data.error, del.data.reason], [-32001, 1, '[EPERM] Unable to delete built-in privilege']);
      assert.deepEqual(extra(await s.rpc('privilege.update', [2, { web_shell: true }])), [
        ['privilege_update.web_shell', 'Web shell access may not be enabled for the built-in group for read-only administrators.', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('privilege.update', [1, { name: 'Boss' }])), [['privilege_update.name', 'This field is read-only for built-in privileges', 22]]);
      assert.equal((await s.rpc('privilege.get_instance', [999])).error.data.reason, '[ENOENT] None: Privilege 999 does not exist');
      s.close();
    });
  });

  test('PRIVILEGE_WRITE does not include PRIVILEGE_READ (the source says so); privilege.roles needs only a session', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const gid = (await s.rpc('group.get_instance', [(await s.rpc('group.create', [{ name: 'priv-admins', smb: false }])).result])).result.gid;
      await s.rpc('privilege.create', [{ name: 'priv-writer', local_groups: [gid], web_shell: false, roles: ['PRIVILEGE_WRITE'] }]);
      const gid2 = (await s.rpc('group.query', [[['name', '=', 'priv-admins']], { get: true }])).result.id;
      await s.rpc('user.create', [{ username: 'pw', full_name: 'PW', group: gid2, password_disabled: true, smb: false }]);
      const key = (await s.rpc('api_key.create', [{ username: 'pw', name: 'pw-key' }])).result.key;
      const k = await keySocket(sim, key);
      assert.equal((await k.rpc('privilege.query')).error.data.reason, '[EACCES] Not authorized');
      assert.equal((await k.rpc('privilege.create', [{ name: 'made-by-pw', web_shell: false }])).result.name, 'made-by-pw');
      const roles = (await k.rpc('privilege.roles', [[['name', '=', 'READONLY_ADMIN']], { get: true }])).result;
      assert.ok(roles.includes.includes('SYSTEM_AUDIT_READ') && roles.includes.includes('API_KEY_READ'));
      assert.deepEqual(Object.keys(roles), ['name', 'title', 'includes', 'builtin', 'stig']);
      const repl = (await k.rpc('privilege.roles', [[['name', '=', 'REPLICATION_ADMIN']], { get: true }])).result;
      assert.deepEqual(repl.includes, ['KEYCHAIN_CREDENTIAL_WRITE', 'REPLICATION_TASK_CONFIG_WRITE', 'REPLICATION_TASK_WRITE', 'SNAPSHOT_TASK_WRITE', 'SNAPSHOT_WRITE']);
      k.close();
      s.close();
    });
  });

  test('role lists differ per release: 26.0 adds CONTAINER_* and drops VIRT_*; 24.10 has no stig', async () => {
    const names = async (profile: '24.10' | '25.10' | '26.0') => {
      let out: string[] = [];
      await withSim({ profile }, async (sim) => {
        const s = profile === '24.10' ? await legacyAs(sim, 'truenas_admin') : await rpcAs(sim, 'truenas_admin');
        const reply = profile === '24.10' ? await s.call('privilege.roles') : await s.rpc('privilege.roles');
        if (profile === '24.10') assert.ok(!('stig' in reply.result[0]));
        out = reply.result.map((r: { name: string }) => r.name);
        s.close();
      });
      return out;
    };
    const r2510 = await names('25.10');
    const r2600 = await names('26.0');
    assert.ok(r2510.includes('VIRT_INSTANCE_READ') && !r2600.includes('VIRT_INSTANCE_READ'));
    assert.ok(r2600.includes('CONTAINER_READ') && !r2510.includes('CONTAINER_READ'));
    assert.ok((await names('24.10')).includes('READONLY_ADMIN'));
  });

  test('22.02 has no privilege service', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await legacyAs(sim, 'root');
      assert.equal((await s.call('privilege.query')).error.reason, "[ENOMETHOD] Service 'privilege' not found");
      s.close();
    });
  });
});

describe('user and group validation', () => {
  test('user.create: required fields, password rules, SMB and duplicate names', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.deepEqual(extra(await s.rpc('user.create', [{}])), [
        ['user_create.username', 'Field required', 22],
        ['user_create.full_name', 'Field required', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: 'a', full_name: 'A', group_create: true }])), [['user_create.password', 'Password is required', 22]]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: 'a', full_name: 'A', group_create: true, password_disabled: true }])), [
        ['user_create.password_disabled', 'Password authentication may not be disabled for SMB users.', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: 'a', full_name: 'A', password: 'x' }])), [
        ['user_create.group', 'Enter either a group name or create a new group to continue.', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: 'ro_admin', full_name: 'A', group_create: true, password: 'x', smb: false }])), [
        ['user_create.username', 'The username "ro_admin" already exists.', 17],
      ]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: '-bad', full_name: 'A', group_create: true, password: 'x' }])), [
        ['user_create.username', `Value error, Cannot start with "'-'"`, 22],
      ]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: 'a'.repeat(33), full_name: 'A', group_create: true, password: 'x' }])), [
        ['user_create.username', 'Value error, Cannot exceed 32 charaters in length', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: 'ok', full_name: 'A', group_create: true, password: 'x', groups: [9999], bogus: 1 }])), [
        ['user_create.bogus', 'Extra inputs are not permitted', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('user.create', [{ username: 'ok', full_name: 'A', group_create: true, password: 'x', groups: [9999] }])), [
        ['user_create.groups.0', 'This group does not exist.', 22],
      ]);
      const pw = (await s.rpc('user.create', [{ username: 'pw-user', full_name: 'With Password', group_create: true, password: 'secret' }])).result;
      assert.equal(pw.password, 'secret');
      assert.equal(pw.smb, true, 'smb defaults to true');
      assert.ok(pw.groups.includes(41), 'SMB users join builtin_users');
      s.close();
    });
  });

  test('user.delete keeps the keys: their owner is gone, so they show revoked; login with one is -32602', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const g = (await s.rpc('group.query', [[['gid', '=', 951]], { get: true }])).result;
      const u = (await s.rpc('user.create', [{ username: 'temp', full_name: 'Temp', group_create: true, groups: [g.id], password_disabled: true, smb: false }])).result;
      const key = (await s.rpc('api_key.create', [{ username: 'temp', name: 'temp-key' }])).result;
      const live = await keySocket(sim, key.key);
      assert.equal((await s.rpc('user.delete', [u.id])).result, u.id);
      const after = (await s.rpc('api_key.get_instance', [key.id])).result;
      assert.deepEqual([after.username, after.revoked, after.revoked_reason], [null, true, 'User does not exist']);
      assert.ok(Array.isArray((await live.rpc('api_key.query')).result), 'the open session keeps working');
      const fresh = await RawSocket.open(sim.url, '/api/current');
      const refused = (await fresh.rpc('auth.login_with_api_key', [key.key])).error;
      assert.deepEqual([refused.code, refused.data.extra], [-32602, [['login_data.API_KEY_PLAIN.username', 'Input should be a valid string', 22]]]);
      assert.equal((await s.rpc('group.query', [[['name', '=', 'temp']], { count: true }])).result, 0, 'the personal group went with the user');
      assert.equal((await s.rpc('user.delete', [u.id])).error.data.reason, `[ENOENT] None: User ${u.id} does not exist`);
      assert.equal((await s.rpc('user.delete', [1])).error.data.reason, '[EINVAL] Cannot delete a built-in user');
      live.close();
      fresh.close();
      s.close();
    });
  });

  test('group.create: duplicate and invalid names, GID in use; built-ins cannot be deleted', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.deepEqual(extra(await s.rpc('group.create', [{ name: 'replicators', smb: false }])), [['group_create.name', 'A Group with the name "replicators" already exists.', 17]]);
      assert.deepEqual(extra(await s.rpc('group.create', [{ name: 'x', gid: 951, smb: false }])), [
        ['group_create.gid', 'Gid 951 is already used (group truenas_readonly_administrators has it)', 17],
        ['group_create.gid', "A privilege 'Read-Only Administrator' already uses this group ID.", 22],
      ]);
      assert.match(extra(await s.rpc('group.create', [{ name: 'bad name' }]))[0][1], /^Value error, Valid characters are: /);
      assert.deepEqual(extra(await s.rpc('group.create', [{}])), [['group_create.name', 'Field required', 22]]);
      assert.equal((await s.rpc('group.delete', [42])).error.data.reason, '[EACCES] A built-in group cannot be deleted.');
      assert.equal((await s.rpc('group.get_instance', [12345])).error.data.reason, '[ENOENT] None: Group 12345 does not exist');
      s.close();
    });
  });

  test('24.10: accounts speak the old schema; keys use allowlists, password sessions roles', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await legacyAs(sim, 'truenas_admin');
      const missing = (await s.call('user.create', [{ username: 'a' }])).error;
      assert.deepEqual(missing.extra, [['user_create.full_name', 'attribute required', 22]]);
      const id = (await s.call('group.create', [{ name: 'old-style' }])).result;
      assert.equal(typeof id, 'number');
      s.close();
      const ro = await legacyAs(sim, 'ro_admin');
      assert.equal((await ro.call('user.create', [{ username: 'a', full_name: 'A', group_create: true, password: 'x' }])).error.reason, 'Not authorized');
      ro.close();
    });
  });
});
