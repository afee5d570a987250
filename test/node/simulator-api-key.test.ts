/**
 * api_key CRUD and validation per era, the query language, masking and privilege checks,
 * plus user.query and system.* per version. Real sockets against a real simulator.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn, type Frame } from '../../scripts/simulator/raw-client.js';
import { rpcAs, withSim as withSimulator, type SimOptions } from '../helpers/node-sim.js';

/** These tests sign in many times a second: run them without the NAS's login rate limit. */
const withSim = (options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>) => withSimulator({ rateLimit: false, ...options }, fn);

const KEY = /^(\d+)-[A-Za-z0-9]{64}$/;
const DAY = 86_400_000;

const extra = (r: Frame) => r.error.data.extra;

describe('22.02 (era A)', () => {
  test('create: default allowlist [*,*], key order follows the input, key is <id>-<64>', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const r = (await s.call('api_key.create', [{ name: 'ci' }])).result;
      assert.deepEqual(Object.keys(r), ['name', 'allowlist', 'created_at', 'id', 'key']);
      assert.deepEqual(r.allowlist, [{ method: '*', resource: '*' }]);
      assert.equal(KEY.exec(r.key)![1], String(r.id));
      const listed = (await s.call('api_key.get_instance', [r.id])).result;
      assert.deepEqual(Object.keys(listed), ['id', 'name', 'created_at', 'allowlist']);
      assert.ok(!('key' in listed), 'the key is returned only by create and reset');
      s.close();
    });
  });

  test('validation: schema messages, EAGAIN/VALIDATION frames, no errname', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const missing = (await s.call('api_key.create', [{}])).error;
      assert.deepEqual(missing, {
        error: 11,
        type: 'VALIDATION',
        reason: '[EINVAL] api_key_create.name: attribute required\n',
        trace: missing.trace,
        extra: [['api_key_create.name', 'attribute required', 22]],
      });
      assert.ok(missing.trace.frames.length > 0, 'the error carries trace frames');
      assert.deepEqual((await s.call('api_key.create', [{ name: '' }])).error.extra, [['api_key_create.name', 'Empty value not allowed', 22]]);
      assert.deepEqual((await s.call('api_key.create', [{ name: 'a', bogus: 1 }])).error.extra, [['api_key_create.bogus', 'Field was not expected', 22]]);
      assert.deepEqual((await s.call('api_key.create', [{ name: 'a', allowlist: [{ method: 'FETCH', resource: '*' }] }])).error.extra, [
        ['api_key_create.allowlist.0.method', 'Invalid choice: FETCH', 22],
      ]);
      assert.deepEqual((await s.call('api_key.create', [{ name: 'ci-backup' }])).error.extra, [['api_key_create.name', 'Object with this name already exists', 22]]);
      s.close();
    });
  });

  test('missing ids: update ENOENT, delete the KeyError quirk, get:true an empty reason', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const upd = (await s.call('api_key.update', [99, { name: 'x' }])).error;
      assert.deepEqual([upd.error, upd.type, upd.reason, upd.extra], [2, 'VALIDATION', '[ENOENT] None: ApiKey 99 does not exist', [[null, 'ApiKey 99 does not exist', 2]]]);
      const del = (await s.call('api_key.delete', [99])).error;
      assert.deepEqual([del.error, del.type, del.reason], [22, null, '99']);
      const get = (await s.call('api_key.query', [[['id', '=', 99]], { get: true }])).error;
      assert.deepEqual([get.error, get.reason, get.trace.class], [22, '', 'MatchNotFound']);
      s.close();
    });
  });
});

describe('24.10 (era B)', () => {
  test('pydantic models: allowlist required, name length, enum, non-empty resource; delete checks first', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.deepEqual((await s.call('api_key.create', [{ name: 'x' }])).error.extra, [['api_key_create.allowlist', 'Field required', 22]]);
      const bad = (await s.call('api_key.create', [{ name: 'y'.repeat(201), allowlist: [{ method: 'FETCH', resource: '' }] }])).error;
      assert.deepEqual(bad.extra, [
        ['api_key_create.name', 'String should have at most 200 characters', 22],
        ['api_key_create.allowlist.0.method', "Input should be 'GET', 'POST', 'PUT', 'DELETE', 'CALL', 'SUBSCRIBE' or '*'", 22],
        ['api_key_create.allowlist.0.resource', 'String should have at least 1 character', 22],
      ]);
      const r = (await s.call('api_key.create', [{ name: 'ok', allowlist: [{ method: '*', resource: '*' }] }])).result;
      assert.equal(r.created_at.$date % 1000, 0, 'whole seconds from 22.12 on');
      const reset = (await s.call('api_key.update', [r.id, { reset: true }])).result;
      assert.match(reset.key, KEY);
      assert.notEqual(reset.key, r.key);
      const del = (await s.call('api_key.delete', [9999])).error;
      assert.deepEqual([del.error, del.errname, del.reason], [2, 'ENOENT', '[ENOENT] None: ApiKey 9999 does not exist']);
      assert.equal((await s.call('api_key.delete', [r.id])).result, true);
      s.close();
    });
  });
});

describe('25.04+ (user-linked keys)', () => {
  test('create: the exact validation paths and messages, all reported together', async () => {
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const missing = (await s.rpc('api_key.create', [{}])).error;
      assert.deepEqual([missing.code, missing.message], [-32602, 'Invalid params']);
      assert.equal(missing.data.error, 22);
      assert.equal(missing.data.reason, '[EINVAL] api_key_create.name: Field required\n[EINVAL] api_key_create.username: Field required\n');
      assert.deepEqual(extra(await s.rpc('api_key.create', [{ name: 'a', username: 'truenas_admin', allowlist: [] }])), [
        ['api_key_create.allowlist', 'Extra inputs are not permitted', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('api_key.create', [{ name: 'a', username: 'truenas_admin', expires_at: '2030-01-01T00:00:00' }])), [
        ['api_key_create.expires_at', 'Input should be a valid datetime', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('api_key.create', [{ name: 'ci-backup', username: 'nobody', expires_at: { $date: Date.now() - DAY } }])), [
        ['api_key_create', 'name must be unique', 22],
        ['api_key_create', 'Expiration date is in the past', 22],
        ['api_key_create', 'User does not exist.', 22],
      ]);
      assert.deepEqual(extra(await s.rpc('api_key.create', [{ name: 'n', username: 'no_roles' }])), [['api_key_create', 'User lacks privilege role membership.', 22]]);
      s.close();
    });
  });

  test('create result: entry fields in order, user_identifier as a string, created_at whole seconds', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const expires = Date.now() + 30 * DAY;
      const r = (await s.rpc('api_key.create', [{ name: 'backup', username: 'ro_admin', expires_at: { $date: Math.floor(expires / 1000) * 1000 } }])).result;
      assert.deepEqual(Object.keys(r), ['id', 'name', 'username', 'user_identifier', 'keyhash', 'created_at', 'expires_at', 'local', 'revoked', 'revoked_reason', 'key']);
      assert.equal(r.user_identifier, '71');
      assert.match(r.keyhash, /^\$pbkdf2-sha512\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      assert.equal(r.created_at.$date % 1000, 0);
      assert.equal(r.expires_at.$date, Math.floor(expires / 1000) * 1000);
      assert.deepEqual([r.local, r.revoked, r.revoked_reason], [true, false, null]);
      assert.equal(KEY.exec(r.key)![1], String(r.id));
      const q = (await s.rpc('api_key.get_instance', [r.id])).result;
      assert.equal(q.user_identifier, 71, 'query returns the int');
      assert.ok(!('key' in q), 'query rows never carry the key');
      s.close();
    });
  });

  test('per-user limit of 10 (25.04-25.10), gone on 26.0', async () => {
    for (const [profile, limited] of [
      ['25.10', true],
      ['26.0', false],
    ] as const) {
      await withSim({ profile }, async (sim) => {
        const s = await openLoggedIn(sim);
        // key_writer already owns one seeded key.
        for (let i = 0; i < 9; i++) assert.ok((await s.rpc('api_key.create', [{ name: `k${i}`, username: 'key_writer' }])).result, `key_writer may create key ${i}`);
        const eleventh = await s.rpc('api_key.create', [{ name: 'k-over', username: 'key_writer' }]);
        if (limited) assert.deepEqual(extra(eleventh), [['api_key_create.username', 'User already meets or exceeds maximum per-user API key limit of 10', 22]]);
        else assert.ok(eleventh.result, 'no per-user key limit on this version');
        s.close();
      });
    }
  });

  test('update: MatchNotFound() for a missing id, merged validation (renaming an expired key fails), reset', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const missing = (await s.rpc('api_key.update', [999, { name: 'x' }])).error;
      assert.deepEqual([missing.code, missing.data.error, missing.data.reason, missing.data.trace.class], [-32001, 22, 'MatchNotFound()', 'MatchNotFound']);
      const expiredId = ((await s.rpc('api_key.query', [[['name', '=', 'expired-report']], { get: true }])).result as { id: number }).id;
      assert.deepEqual(extra(await s.rpc('api_key.update', [expiredId, { name: 'renamed' }])), [['api_key_update', 'Expiration date is in the past', 22]]);
      const renamed = (await s.rpc('api_key.update', [expiredId, { name: 'renamed', expires_at: null }])).result;
      assert.deepEqual([renamed.name, renamed.expires_at, 'key' in renamed], ['renamed', null, false]);
      assert.deepEqual(extra(await s.rpc('api_key.update', [expiredId, { name: 'ci-backup' }])), [['api_key_update', 'name must be unique', 22]]);
      assert.deepEqual(extra(await s.rpc('api_key.update', [expiredId, { username: 'ro_admin' }])), [['api_key_update.username', 'Extra inputs are not permitted', 22]]);
      const reset = (await s.rpc('api_key.update', [expiredId, { name: 'renamed', reset: true, expires_at: null }])).result;
      assert.match(reset.key, KEY);
      assert.equal(reset.user_identifier, 70, 'the update result is the query model');
      s.close();
    });
  });

  test('update: a new expires_at leaves a revoked key revoked; only reset clears revocation (errata 3.4)', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const { id } = (await sim.command('createKey', { name: 'was-insecure', revoked: true, revokedReason: 'Attempt to use over an insecure transport' })) as { id: number };
      const later = Math.floor((Date.now() + 30 * DAY) / 1000) * 1000;
      const edited = (await s.rpc('api_key.update', [id, { expires_at: { $date: later } }])).result;
      assert.deepEqual([edited.revoked, edited.expires_at, 'key' in edited], [true, null, false], 'the expiry edit does not un-revoke');
      const reset = (await s.rpc('api_key.update', [id, { reset: true, expires_at: { $date: later } }])).result;
      assert.deepEqual([reset.revoked, reset.expires_at?.$date], [false, later], 'reset un-revokes and takes the expiry');
      assert.equal(reset.revoked_reason, 'Attempt to use over an insecure transport', 'a reset keeps the reason column (code-read)');
      s.close();
    });
  });

  test('delete and get_instance of a missing id: -32602 with ENOENT inside extra', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      for (const method of ['api_key.delete', 'api_key.get_instance']) {
        const e = (await s.rpc(method, [99])).error;
        assert.deepEqual([e.code, e.data.error, e.data.errname, e.data.reason, e.data.extra], [-32602, 22, 'EINVAL', '[ENOENT] None: ApiKey 99 does not exist', [[null, 'ApiKey 99 does not exist', 2]]]);
      }
      const get = (await s.rpc('api_key.query', [[['id', '=', 99]], { get: true }])).error;
      assert.deepEqual([get.code, get.data.reason], [-32001, 'MatchNotFound()']);
      assert.equal((await s.rpc('api_key.delete', [2])).result, true);
      s.close();
    });
  });

  test('the legacy endpoint of 25.04+ uses the current models and legacy error frames', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      await s.call('auth.login_with_api_key', [sim.admin.apiKey]);
      const e = (await s.call('api_key.create', [{ name: 'x', allowlist: [{ method: '*', resource: '*' }] }])).error;
      assert.deepEqual([e.error, e.errname, e.type], [11, 'EAGAIN', 'VALIDATION']);
      assert.deepEqual(e.extra, [
        ['api_key_create.username', 'Field required', 22],
        ['api_key_create.allowlist', 'Extra inputs are not permitted', 22],
      ]);
      s.close();
    });
  });

  test('masking and privileges: read-only admins see ******** and may touch only their own keys', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const ro = await rpcAs(sim, 'ro_admin');
      const rows = (await ro.rpc('api_key.query')).result as Array<{ keyhash: string; username: string }>;
      assert.ok(rows.every((r) => r.keyhash === '********'), 'read-only admins see masked hashes');
      const own = (await ro.rpc('api_key.create', [{ name: 'mine', username: 'ro_admin' }])).result;
      assert.match(own.key, KEY, 'the key itself is never masked');
      assert.equal(own.keyhash, '********');
      const other = (await ro.rpc('api_key.create', [{ name: 'theirs', username: 'truenas_admin' }])).error;
      assert.deepEqual([other.code, other.data.error, other.data.reason], [-32001, 13, '[EACCES] ro_admin: authenticated user lacks privileges to create or modify API keys of other users.']);
      assert.equal((await ro.rpc('api_key.delete', [2])).error.data.error, 13, 'ci-backup belongs to truenas_admin');
      const mine = (await ro.rpc('api_key.my_keys')).result as Array<{ username: string }>;
      assert.ok(mine.length >= 2 && mine.every((k) => k.username === 'ro_admin'), 'my_keys lists only ro_admin\'s own keys');
      const writer = await rpcAs(sim, 'key_writer');
      const seen = (await writer.rpc('api_key.query', [[['id', '=', 2]], { get: true }])).result;
      assert.match(seen.keyhash, /^\$pbkdf2-sha512\$/, 'API_KEY_WRITE sees hashes');
      assert.ok((await writer.rpc('api_key.create', [{ name: 'for-admin', username: 'truenas_admin' }])).result, 'API_KEY_WRITE may create a key for another user');
      ro.close();
      writer.close();
    });
  });

  test('owners: LEGACY_API_KEY shows as truenas_admin; an unresolvable owner is revoked ("" on 25.04, null + reason on 25.10)', async () => {
    const find = async (s: RawSocket, name: string) => (await s.rpc('api_key.query', [[['name', '=', name]], { get: true }])).result;
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const legacy = await find(s, 'legacy-admin');
      assert.deepEqual([legacy.username, legacy.user_identifier, legacy.revoked], ['truenas_admin', 'LEGACY_API_KEY', false]);
      const gone = await find(s, 'departed-user');
      assert.deepEqual([gone.username, gone.revoked, gone.revoked_reason, gone.local], [null, true, 'User does not exist', false]);
      const migrated = await find(s, 'legacy-migrated');
      assert.deepEqual([migrated.revoked, migrated.revoked_reason, migrated.expires_at], [true, 'Unknown reason', null]);
      s.close();
      // A pinned v25.04 endpoint on 25.10 adapts: no revoked_reason, null username becomes "".
      const pinned = await RawSocket.open(sim.url, '/api/v25.04.2');
      await pinned.rpc('auth.login_with_api_key', [sim.admin.apiKey]);
      const old = await find(pinned, 'departed-user');
      assert.deepEqual([old.username, 'revoked_reason' in old], ['', false]);
      pinned.close();
    });
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const gone = await find(s, 'departed-user');
      assert.deepEqual([gone.username, gone.revoked, 'revoked_reason' in gone], ['', true, false]);
      s.close();
    });
  });
});

describe('26.0 (SCRAM material)', () => {
  test('entries carry iterations/salt/stored_key/server_key (masked for readers); create adds client_key', async () => {
    await withSim({ profile: '26.0' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const r = (await s.rpc('api_key.create', [{ name: 'scram', username: 'truenas_admin' }])).result;
      assert.deepEqual(Object.keys(r), [
        'id',
        'name',
        'username',
        'user_identifier',
        'iterations',
        'salt',
        'stored_key',
        'server_key',
        'created_at',
        'expires_at',
        'local',
        'revoked',
        'revoked_reason',
        'key',
        'client_key',
      ]);
      assert.ok(!('keyhash' in r), 'no keyhash on 26.0 entries');
      assert.equal(Buffer.from(r.client_key, 'base64').length, 64);
      const converted = (await s.rpc('api_key.convert_raw_key', [r.key])).result;
      assert.deepEqual(converted, { api_key_id: r.id, iterations: r.iterations, salt: r.salt, client_key: r.client_key, stored_key: r.stored_key, server_key: r.server_key });
      for (const [raw, msg] of [
        ['nope', 'Not a valid raw API key'],
        [`999-${'a'.repeat(64)}`, 'Key does not exist.'],
      ]) {
        assert.deepEqual(extra(await s.rpc('api_key.convert_raw_key', [raw])), [['api_key_convert_raw_key', msg, 22]]);
      }
      const revokedId = ((await s.rpc('api_key.query', [[['name', '=', 'revoked-insecure']], { get: true }])).result as { id: number }).id;
      assert.deepEqual(extra(await s.rpc('api_key.convert_raw_key', [`${revokedId}-${'a'.repeat(64)}`])), [['api_key_convert_raw_key', 'Key is revoked.', 22]]);
      const ro = await rpcAs(sim, 'ro_admin');
      const seen = (await ro.rpc('api_key.get_instance', [r.id])).result;
      assert.deepEqual([seen.salt, seen.stored_key, seen.server_key, typeof seen.iterations], ['********', '********', '********', 'number']);
      s.close();
      ro.close();
    });
  });
});

describe('the query language', () => {
  test('filters: OR, case-insensitive ops, regex, in/rin, dotted paths, .$date timestamps', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const names = async (filters: unknown[], options: Record<string, unknown> = {}) =>
        ((await s.rpc('api_key.query', [filters, { order_by: ['id'], ...options }])).result as Array<{ name: string }>).map((r) => r.name);
      assert.deepEqual(await names([['OR', [['name', '=', 'ci-backup'], ['name', '=', 'monitoring']]]]), ['ci-backup', 'monitoring']);
      assert.deepEqual(await names([['name', 'C=', 'CI-BACKUP']]), ['ci-backup']);
      assert.deepEqual(await names([['name', '^', 'legacy-']]), ['legacy-migrated', 'legacy-admin']);
      assert.deepEqual(await names([['name', '~', 'exp.*-soon']]), ['expiring-soon']);
      assert.deepEqual(await names([['name', '~', 'ci\\-back(?P<rest>up)']]), ['ci-backup'], 'Python regex syntax');
      assert.deepEqual(await names([['name', 'in', ['monitoring', 'nope']]]), ['monitoring']);
      assert.deepEqual(await names([['revoked', '=', true], ['username', '!=', null]]), ['revoked-insecure', 'legacy-migrated']);
      const hundredDaysAgo = new Date(Date.now() - 100 * DAY).toISOString().slice(0, 19);
      assert.deepEqual(await names([['created_at.$date', '<', hundredDaysAgo]]), ['expired-report', 'legacy-migrated', 'legacy-admin', 'departed-user']);
      // Like the middleware, comparing a null field with a timestamp is a TypeError.
      const nullCompare = (await s.rpc('api_key.query', [[['expires_at.$date', '<', hundredDaysAgo]]])).error;
      assert.equal(nullCompare.data.reason, "'<' not supported between instances of 'NoneType' and 'datetime'");
      assert.deepEqual(await names([['OR', [[['username', '=', 'ro_admin'], ['name', '$', 'ing']], ['name', '=', 'ci-backup']]]]), ['ci-backup', 'monitoring']);
      s.close();
    });
  });

  test('options: order_by with -/nulls_last:, select with alias, count, offset/limit, get', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const q = async (filters: unknown[], options: Record<string, unknown>) => (await s.rpc('api_key.query', [filters, options])).result;
      assert.deepEqual(await q([], { select: ['name'], order_by: ['name'], limit: 3 }), [{ name: 'ci-backup' }, { name: 'departed-user' }, { name: 'expired-report' }]);
      assert.deepEqual(await q([['id', '<=', 10]], { select: ['id', ['name', 'label']], order_by: ['-id'], offset: 1, limit: 2 }), [
        { id: 9, label: 'departed-user' },
        { id: 8, label: 'legacy-admin' },
      ]);
      const byExpiry = (await q([], { select: ['name', 'expires_at'], order_by: ['nulls_last:expires_at'] })) as Array<{ expires_at: unknown }>;
      assert.equal(byExpiry[0]!.expires_at !== null, true);
      assert.equal(byExpiry.at(-1)!.expires_at, null);
      const nullSort = (await s.rpc('api_key.query', [[], { order_by: ['expires_at'] }])).error;
      assert.match(nullSort.data.reason, /not supported between instances of 'NoneType'/);
      assert.equal(await q([['revoked', '=', true]], { count: true }), 3);
      assert.equal(((await q([['name', '=', 'monitoring']], { get: true })) as { name: string }).name, 'monitoring');
      s.close();
    });
  });

  test('option validation: unknown keys, the 10000 cap (25.10+), get with offset, bad operators', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.deepEqual(extra(await s.rpc('api_key.query', [[], { limitt: 1 }])), [['options.limitt', 'Extra inputs are not permitted', 22]]);
      assert.deepEqual(extra(await s.rpc('api_key.query', [[], { limit: 10001 }])), [['options', 'Value error, Options limit must be between 1 and 10000', 22]]);
      assert.deepEqual(extra(await s.rpc('api_key.query', [[], { get: true, offset: 1 }])), [['options', 'Value error, Invalid options combination. `get` implies a single result.', 22]]);
      assert.deepEqual(extra(await s.rpc('api_key.query', [[['name', 'like', 'x']]])), [['filters', 'Value error, Invalid operation: like', 22]]);
      assert.deepEqual(extra(await s.rpc('api_key.query', [[['name', 'C~', 'x']]])), [['filters', 'Value error, Invalid case-insensitive operation: C~', 22]]);
      assert.deepEqual(extra(await s.rpc('api_key.query', [[['created_at.$date', '>', 'yesterday']]])), [['filters', 'Value error, yesterday: must be an ISO-8601 formatted timestamp string', 22]]);
      assert.deepEqual(extra(await s.rpc('api_key.query', [[], { count: 'yes' }])), [['options.count', 'Input should be a valid boolean', 22]]);
      s.close();
    });
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const e = (await s.call('api_key.query', [[['name', 'like', 'x']]])).error;
      assert.deepEqual([e.error, e.type, e.reason], [22, null, 'Invalid operation: like'], 'before 25.04 a plain ValueError');
      assert.ok(Array.isArray((await s.call('api_key.query', [[], { limit: 20000 }])).result), 'no cap before 25.10');
      s.close();
    });
  });
});

describe('user.query and system.*', () => {
  test('user.query: roles (24.04+) and api_keys (25.04+); the UI owner-picker query works', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const owners = (await s.rpc('user.query', [[['roles', '!=', []]], { select: ['username', 'id', 'uid'], order_by: ['username'] }])).result as Array<{ username: string }>;
      assert.deepEqual(
        owners.map((o) => o.username),
        ['key_writer', 'otp_admin', 'ro_admin', 'root', 'share_admin', 'svc-repl', 'svc-ro', 'truenas_admin'],
      );
      const admin = (await s.rpc('user.query', [[['username', '=', 'truenas_admin']], { get: true }])).result;
      assert.deepEqual(admin.roles, ['FULL_ADMIN']);
      assert.ok(admin.api_keys.includes(1), 'the admin lists its bootstrap key');
      assert.ok(!('unixhash' in admin) && !('password' in admin), 'no password hashes in user.query');
      const fullAdmins = (await s.rpc('user.query', [[['roles', 'rin', 'FULL_ADMIN']], { count: true }])).result;
      assert.equal(fullAdmins, 3);
      s.close();
    });
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const u = (await s.call('user.query', [[['username', '=', 'ro_admin']], { get: true }])).result;
      assert.deepEqual([u.roles, 'api_keys' in u], [['READONLY_ADMIN'], false]);
      s.close();
    });
  });

  test('system.version / version_short / product_type / info per version', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      assert.equal((await s.call('system.product_type')).result, 'SCALE', 'no auth needed up to 24.04');
      assert.equal((await s.call('system.product_name')).result, 'TrueNAS');
      await s.call('auth.login_with_api_key', [sim.admin.apiKey]);
      assert.equal((await s.call('system.version')).result, 'TrueNAS-SCALE-22.02.4');
      assert.equal((await s.call('system.version_short')).error.error, 201);
      assert.ok('birthday' in (await s.call('system.info')).result, '22.02 system.info has birthday');
      s.close();
    });
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.equal((await s.rpc('system.version')).result, 'TrueNAS-25.10.6');
      assert.equal((await s.rpc('system.version_short')).result, '25.10.6');
      assert.equal((await s.rpc('system.product_type')).result, 'COMMUNITY_EDITION');
      const info = (await s.rpc('system.info')).result;
      assert.equal(info.version, 'TrueNAS-25.10.6');
      assert.equal(info.boottime.$date % 1000, 0);
      s.close();
    });
  });
});
