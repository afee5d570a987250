/**
 * audit.query (24.04+): AUTHENTICATION records for logins, row shapes per release, nested filters,
 * query-options, the 25.10 limit rule, retention, and SYSTEM_AUDIT_READ.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn } from '../../scripts/simulator/raw-client.js';
import { legacyAs, rpcAs, withSim as withSimulator, type SimOptions } from '../helpers/node-sim.js';

const withSim = (options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>) => withSimulator({ rateLimit: false, ...options }, fn);

/** The "last successful login with key N" query of truenas-accounts.md §2. */
const lastLogin = (keyId: number) => ({
  services: ['MIDDLEWARE'],
  'query-filters': [
    ['event', '=', 'AUTHENTICATION'],
    ['success', '=', true],
    ['event_data.credentials.credentials', '=', 'API_KEY'],
    ['event_data.credentials.credentials_data.api_key.id', '=', keyId],
  ],
  'query-options': { order_by: ['-message_timestamp'], limit: 1 },
});

describe('audit.query', () => {
  test('22.02 has no audit service', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await legacyAs(sim, 'root');
      assert.equal((await s.call('audit.query', [{}])).error.reason, "[ENOMETHOD] Service 'audit' not found");
      s.close();
    });
  });

  test('25.10: a key login is recorded; the last-login query finds it; the row has the documented shape', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const key = await openLoggedIn(sim);
      const admin = await rpcAs(sim, 'truenas_admin');
      const [row] = (await admin.rpc('audit.query', [lastLogin(1)])).result;
      assert.deepEqual(Object.keys(row), ['audit_id', 'message_timestamp', 'timestamp', 'address', 'username', 'session', 'service', 'service_data', 'event', 'event_data', 'success']);
      assert.equal(row.address, '127.0.0.1');
      assert.equal(row.username, 'truenas_admin');
      assert.equal(row.service, 'MIDDLEWARE');
      assert.deepEqual(Object.keys(row.service_data), ['vers', 'origin', 'protocol', 'credentials']);
      assert.equal(row.service_data.protocol, 'WEBSOCKET');
      const cred = row.event_data.credentials;
      assert.equal(cred.credentials, 'API_KEY');
      assert.deepEqual(Object.keys(cred.credentials_data), ['username', 'login_id', 'login_at', 'api_key']);
      assert.deepEqual(cred.credentials_data.api_key, { id: 1, name: 'nas-sim-bootstrap' });
      assert.equal(row.event_data.error, null);
      assert.ok(Math.abs(row.message_timestamp * 1000 - Date.now()) < 10_000);
      const sessions = (await admin.rpc('auth.sessions', [[['credentials_data.api_key.id', '=', 1]], { get: true }])).result;
      assert.equal(row.session, sessions.id, 'the record names the session');
      key.close();
      admin.close();
    });
  });

  test('25.10: limit, count or get is required; one service at a time; select columns are checked', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const e = (await s.rpc('audit.query', [{}])).error;
      assert.deepEqual([e.code, e.data.extra], [
        -32602,
        [['audit.query.query-options', 'query-options must be set to either gather row count or contain a limit on the rows returned.', 22]],
      ]);
      const two = (await s.rpc('audit.query', [{ services: ['MIDDLEWARE', 'SMB'], 'query-options': { count: true } }])).error;
      assert.deepEqual(two.data.extra, [['audit.query.services', 'Querying more than one audit database in a single request is not supported', 22]]);
      const sel = (await s.rpc('audit.query', [{ 'query-options': { limit: 1, select: ['nope'] } }])).error;
      assert.deepEqual(sel.data.extra, [['audit.query.query-options.select.0', 'nope: column does not exist', 22]]);
      const bad = (await s.rpc('audit.query', [{ services: ['FTP'], 'query-options': { count: true } }])).error;
      assert.deepEqual(bad.data.extra, [['data.services.0', "Input should be 'MIDDLEWARE', 'SMB', 'SUDO' or 'SYSTEM'", 22]]);
      assert.equal(typeof (await s.rpc('audit.query', [{ 'query-options': { count: true } }])).result, 'number');
      s.close();
    });
  });

  test('seeded history: within retention only; failed logins; ordering and limits', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const q = async (filters: unknown[], options: Record<string, unknown>) => (await s.rpc('audit.query', [{ 'query-filters': filters, 'query-options': options }])).result;
      assert.equal(await q([['username', '=', 'svc-ro']], { count: true }), 1, 'the 9-day-old record is past the 7-day retention');
      const failed = await q([['success', '=', false]], { limit: 10 });
      assert.equal(failed[0].address, '203.0.113.7');
      assert.equal(failed[0].username, '.UNAUTHENTICATED');
      assert.equal(failed[0].event_data.error, 'Bad username or password');
      const newest = await q([['event', '=', 'AUTHENTICATION']], { order_by: ['-message_timestamp'], limit: 2 });
      assert.ok(newest[0].message_timestamp >= newest[1].message_timestamp);
      const repl = (await s.rpc('api_key.query', [[['name', '=', 'svc-repl-push']], { get: true }])).result;
      const [r] = (await s.rpc('audit.query', [lastLogin(repl.id)])).result;
      assert.equal(r.address, '192.168.1.30');
      s.close();
    });
  });

  test('failed logins: a wrong password; an unknown key id records the raw key string, and nothing is printed', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const raw = `999-${'Z'.repeat(64)}`;
      // Spy on console (how the simulator would print); stdout itself belongs to the test runner.
      const printed: string[] = [];
      const names = ['log', 'error', 'warn', 'info', 'debug'] as const;
      const saved = names.map((n) => console[n].bind(console));
      for (const n of names) console[n] = (...a: unknown[]) => void printed.push(a.map(String).join(' '));
      let s: RawSocket;
      try {
        s = await RawSocket.open(sim.url, '/api/current');
        assert.equal((await s.rpc('auth.login_with_api_key', [raw])).result, false);
        await s.rpc('auth.login_ex', [{ mechanism: 'PASSWORD_PLAIN', username: 'ro_admin', password: 'wrong' }]);
      } finally {
        names.forEach((n, i) => (console[n] = saved[i]!));
      }
      assert.ok(!printed.some((p) => p.includes(raw)), 'the simulator never prints the raw key');
      const admin = await openLoggedIn(sim);
      const rows = (await admin.rpc('audit.query', [{ 'query-filters': [['success', '=', false]], 'query-options': { order_by: ['-message_timestamp'], limit: 5 } }])).result;
      const keyRow = rows.find((r: { event_data: { error: string } }) => r.event_data.error === 'Invalid API key');
      assert.deepEqual(keyRow.event_data.credentials, { credentials: 'API_KEY', credentials_data: { username: null, api_key: raw } });
      const pw = rows.find((r: { event_data: { credentials: { credentials: string } } }) => r.event_data.credentials.credentials === 'LOGIN_PASSWORD');
      assert.deepEqual(pw.event_data, { credentials: { credentials: 'LOGIN_PASSWORD', credentials_data: { username: 'ro_admin' } }, error: 'Bad username or password' });
      s.close();
      admin.close();
    });
  });

  test('SYSTEM_AUDIT_READ: read-only admins may query, an API_KEY_WRITE-only user may not', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const ro = await rpcAs(sim, 'ro_admin');
      assert.equal(typeof (await ro.rpc('audit.query', [{ 'query-options': { count: true } }])).result, 'number');
      const kw = await rpcAs(sim, 'key_writer');
      assert.equal((await kw.rpc('audit.query', [{ 'query-options': { count: true } }])).error.data.reason, '[EACCES] Not authorized');
      ro.close();
      kw.close();
    });
  });

  test('24.10: credentials_data is just {api_key}; key sessions audit as .API_KEY:<name>; no limit needed; nested filters', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const key = await openLoggedIn(sim);
      const admin = await legacyAs(sim, 'truenas_admin');
      const [row] = (await admin.call('audit.query', [lastLogin(1)])).result;
      assert.deepEqual(row.event_data.credentials, { credentials: 'API_KEY', credentials_data: { api_key: { id: 1, name: 'nas-sim-bootstrap' } } });
      assert.equal(row.username, '.API_KEY:nas-sim-bootstrap');
      const all = (await admin.call('audit.query', [{}])).result;
      assert.ok(Array.isArray(all) && all.length >= 3);
      // 24.10 records the raw string of any failed key login.
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      const wrong = `1-${'x'.repeat(64)}`;
      assert.equal((await s.call('auth.login_with_api_key', [wrong])).result, false);
      const fails = (await admin.call('audit.query', [{ 'query-filters': [['event_data.credentials.credentials_data.api_key', '=', wrong]] }])).result;
      assert.equal(fails.length, 1);
      key.close();
      admin.close();
      s.close();
    });
  });
});
