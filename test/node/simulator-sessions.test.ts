/**
 * auth.sessions and auth.terminate_session per release: entry shapes, filters, roles, and that
 * revoking or deleting a key leaves its sessions open until terminated.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn } from '../../scripts/simulator/raw-client.js';
import { legacyAs, rpcAs, withSim as withSimulator, type SimOptions } from '../helpers/node-sim.js';

const withSim = (options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>) => withSimulator({ rateLimit: false, ...options }, fn);

describe('auth.sessions', () => {
  test('22.02: credentials "API_KEY" without credentials_data; no terminate_session', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const key = await openLoggedIn(sim);
      const admin = await legacyAs(sim, 'root');
      const list = (await admin.call('auth.sessions')).result;
      const k = list.find((e: { credentials: string }) => e.credentials === 'API_KEY');
      assert.deepEqual(Object.keys(k), ['id', 'current', 'internal', 'origin', 'credentials', 'created_at']);
      assert.match(k.origin, /^127\.0\.0\.1:\d+$/);
      assert.equal(list.find((e: { current: boolean }) => e.current).credentials, 'LOGIN_PASSWORD');
      assert.equal((await admin.call('auth.terminate_session', [k.id])).error.reason, "[ENOMETHOD] Method 'terminate_session' not found in 'auth'");
      key.close();
      admin.close();
    });
  });

  test('24.10: credentials_data.api_key {id, name}; terminate_session returns null and closes the socket', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const key = await openLoggedIn(sim);
      const admin = await legacyAs(sim, 'truenas_admin');
      const list = (await admin.call('auth.sessions', [[['credentials', '=', 'API_KEY'], ['credentials_data.api_key.id', '=', 1]]])).result;
      assert.equal(list.length, 1);
      assert.deepEqual(list[0].credentials_data, { api_key: { id: 1, name: 'nas-sim-bootstrap' } });
      assert.ok(!('secure_transport' in list[0]));
      const r = await admin.call('auth.terminate_session', [list[0].id]);
      assert.equal(r.result, null, 'MW@TS-24.10.2.4 has no return statement');
      assert.equal((await key.closed).code, 1000);
      admin.close();
    });
  });

  for (const profile of ['25.04', '25.10', '26.0'] as const) {
    test(`${profile}: username/login_at (+login_id on 25.10+), secure_transport; revoking or deleting the key keeps the session`, async () => {
      await withSim({ profile }, async (sim) => {
        const admin = await openLoggedIn(sim);
        const created = (await admin.rpc('api_key.create', [{ name: 'watched', username: 'ro_admin' }])).result;
        const key = await RawSocket.open(sim.url, '/api/current');
        assert.equal((await key.rpc('auth.login_with_api_key', [created.key])).result, true);
        const filters = [['credentials', '=', 'API_KEY'], ['credentials_data.api_key.id', '=', created.id]];
        const [entry] = (await admin.rpc('auth.sessions', [filters])).result;
        const data = entry.credentials_data;
        assert.deepEqual(Object.keys(data), profile === '25.04' ? ['username', 'login_at', 'api_key'] : ['username', 'login_id', 'login_at', 'api_key']);
        assert.deepEqual([data.username, data.api_key], ['ro_admin', { id: created.id, name: 'watched' }]);
        assert.equal(entry.secure_transport, true);
        assert.equal(entry.current, false);
        await sim.command('setKeyState', { id: created.id, revoked: true });
        assert.equal((await admin.rpc('api_key.delete', [created.id])).result, true);
        assert.ok(Array.isArray((await key.rpc('api_key.query')).result), 'the session outlives its key');
        assert.equal((await admin.rpc('auth.sessions', [filters])).result.length, 1);
        assert.equal((await admin.rpc('auth.terminate_session', [entry.id])).result, true);
        assert.deepEqual(await key.closed, { code: 1000, reason: '' });
        assert.equal((await admin.rpc('auth.sessions', [filters])).result.length, 0);
        assert.equal((await admin.rpc('auth.terminate_session', ['no-such-session'])).result, false);
        admin.close();
      });
    });
  }

  test('roles: AUTH_SESSIONS_READ lists, AUTH_SESSIONS_WRITE terminates; logout and close end the session', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const ro = await rpcAs(sim, 'ro_admin');
      const list = (await ro.rpc('auth.sessions')).result;
      assert.equal(list.filter((e: { current: boolean }) => e.current).length, 1);
      assert.equal((await ro.rpc('auth.terminate_session', [list[0].id])).error.data.reason, '[EACCES] Not authorized');
      const admin = await rpcAs(sim, 'truenas_admin');
      const other = await rpcAs(sim, 'share_admin');
      const count = async () => (await admin.rpc('auth.sessions', [[['credentials_data.username', '=', 'share_admin']], { count: true }])).result;
      assert.equal(await count(), 1);
      await other.rpc('auth.logout');
      assert.equal(await count(), 0, 'auth.logout ends the session');
      const again = await rpcAs(sim, 'share_admin');
      assert.equal(await count(), 1);
      again.close();
      await again.closed;
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(await count(), 0, 'closing the socket ends the session');
      const bad = (await admin.rpc('auth.terminate_session', [42])).error;
      assert.deepEqual([bad.code, bad.data.extra], [-32602, [['id', 'Input should be a valid string', 22]]]);
      for (const c of [ro, admin, other]) c.close();
    });
  });

  test('terminating a session destroys the tokens it minted', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const admin = await openLoggedIn(sim);
      const minter = await rpcAs(sim, 'truenas_admin');
      const token = (await minter.rpc('auth.generate_token', [600, {}, false])).result;
      const id = (await admin.rpc('auth.sessions', [[['current', '=', false]], { get: true }])).result.id;
      await admin.rpc('auth.terminate_session', [id]);
      const t = await RawSocket.open(sim.url, '/api/current');
      assert.equal((await t.rpc('auth.login_with_token', [token])).result, false);
      admin.close();
      t.close();
    });
  });
});
