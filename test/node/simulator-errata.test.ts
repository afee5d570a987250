/**
 * The errata of truenas-api.md (checked against the middleware source): one test per item the
 * simulator had wrong, per profile where the behaviour differs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn } from '../../scripts/simulator/raw-client.js';
import { legacyAs, legacySocket, rpcAs, user, withSim as withSimulator, type SimOptions } from '../helpers/node-sim.js';

const withSim = (options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>) => withSimulator({ rateLimit: false, ...options }, fn);
const DAY = 86_400_000;

describe('errata', () => {
  test('3.4: updating only expires_at of a revoked key keeps it revoked; reset clears it', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const revoked = (await s.rpc('api_key.query', [[['name', '=', 'revoked-insecure']], { get: true }])).result;
      const later = { $date: Date.now() + 30 * DAY };
      const updated = (await s.rpc('api_key.update', [revoked.id, { expires_at: later }])).result;
      assert.equal(updated.revoked, true);
      const reset = (await s.rpc('api_key.update', [revoked.id, { reset: true, expires_at: later }])).result;
      assert.equal(reset.revoked, false);
      s.close();
    });
  });

  test('2.3: account_attributes are LOCAL, then API_KEY or 2FA, then SYS_ADMIN for uid 0/950 only', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const admin = await rpcAs(sim, 'truenas_admin');
      assert.deepEqual((await admin.rpc('auth.me')).result.account_attributes, ['LOCAL', 'SYS_ADMIN']);
      const key = await openLoggedIn(sim);
      assert.deepEqual((await key.rpc('auth.me')).result.account_attributes, ['LOCAL', 'API_KEY', 'SYS_ADMIN']);
      const ro = await rpcAs(sim, 'ro_admin');
      assert.deepEqual((await ro.rpc('auth.me')).result.account_attributes, ['LOCAL']);
      const otp = user(sim, 'otp_admin');
      const s = await RawSocket.open(sim.url, '/api/current');
      await s.rpc('auth.login_ex', [{ mechanism: 'PASSWORD_PLAIN', username: otp.username, password: otp.password }]);
      const { code } = (await sim.command('otp', { username: otp.username })) as { code: string };
      const done = (await s.rpc('auth.login_ex_continue', [{ mechanism: 'OTP_TOKEN', otp_token: code }])).result;
      assert.deepEqual(done.user_info.account_attributes, ['LOCAL', '2FA'], 'a full admin with uid 3004 is not SYS_ADMIN');
      for (const c of [admin, key, ro, s]) c.close();
    });
  });

  test('2.5: auth.me grouplist is null on 25.04+, a list on 24.10; two_factor_config is always an object', async () => {
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await rpcAs(sim, 'ro_admin');
      const me = (await s.rpc('auth.me')).result;
      assert.equal(me.grouplist, null);
      assert.deepEqual(me.two_factor_config, { provisioning_uri: null, secret_configured: false, interval: 30, otp_digits: 6 });
      s.close();
    });
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await legacyAs(sim, 'ro_admin');
      const me = (await s.call('auth.me')).result;
      assert.ok(Array.isArray(me.grouplist) && me.grouplist.includes(951), JSON.stringify(me.grouplist));
      s.close();
    });
    await withSim({ profile: '25.10' }, async (sim) => {
      const otp = user(sim, 'otp_admin');
      const s = await RawSocket.open(sim.url, '/api/current');
      await s.rpc('auth.login_ex', [{ mechanism: 'PASSWORD_PLAIN', username: otp.username, password: otp.password }]);
      const { code } = (await sim.command('otp', { username: otp.username })) as { code: string };
      const info = (await s.rpc('auth.login_ex_continue', [{ mechanism: 'OTP_TOKEN', otp_token: code }])).result.user_info;
      assert.equal(info.two_factor_config.secret_configured, true);
      assert.match(info.two_factor_config.provisioning_uri, /^otpauth:\/\/totp\/iXsystems:otp_admin-truenas%40TrueNAS\?secret=/);
      s.close();
    });
  });

  test('1.5: a non-number $date is -32700 with the socket open (JSON-RPC), close 1007 (legacy)', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      s.send({ jsonrpc: '2.0', id: 5, method: 'api_key.query', params: [[['created_at', '>', { $date: 'soon' }]]] });
      const reply = await s.next((f) => f.id === null && 'error' in f);
      assert.deepEqual(reply.error, { code: -32700, message: "Error parsing $date: unsupported operand type(s) for /: 'str' and 'int'" });
      assert.equal((await s.rpc('core.ping')).result, 'pong', 'the socket stays open');
      s.close();
      const legacy = await legacySocket(sim);
      legacy.send({ msg: 'method', id: 'x', method: 'core.ping', params: [{ $date: null }] });
      assert.deepEqual(await legacy.closed, { code: 1007, reason: "Error parsing $date: unsupported operand type(s) for /: 'NoneType' and 'int'" });
    });
  });

  test('1.5: 26.0.0-BETA.3 still doubles the sub-second part of a $date', async () => {
    await withSim({ profile: '26.0' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const whole = Math.floor((Date.now() + 10 * DAY) / 1000) * 1000;
      const r = (await s.rpc('api_key.create', [{ name: 'subsecond', username: 'truenas_admin', expires_at: { $date: whole + 600 } }])).result;
      assert.equal(r.expires_at.$date, whole + 1000, '600 ms counted twice crosses into the next second');
      s.close();
    });
  });

  test('3.4: too many arguments: -32602 with attribute ""', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const e = (await s.rpc('api_key.query', [[], {}, 3])).error;
      assert.deepEqual([e.code, e.data.extra], [-32602, [['', 'Too many arguments (expected 2, found 3)', 22]]]);
      s.close();
    });
  });

  test('3.4: 25.04 login_data is a plain union: errors name the member models', async () => {
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/api/current');
      const e = (await s.rpc('auth.login_ex', [{ mechanism: 'API_KEY_PLAIN', username: 'a' }])).error;
      assert.equal(e.code, -32602);
      const attrs = (e.data.extra as Array<[string, string, number]>).map((x) => x[0]);
      assert.equal(attrs[0], 'login_data.AuthApiKeyPlain.api_key');
      assert.deepEqual(e.data.extra[0], ['login_data.AuthApiKeyPlain.api_key', 'Field required', 22]);
      assert.ok(attrs.includes('login_data.AuthPasswordPlain.password') && attrs.includes('login_data.AuthTokenPlain.token'), 'one error per other member');
      s.close();
    });
  });

  test('1.2: a legacy frame without method is EINVAL "Message is malformed" in every era', async () => {
    for (const profile of ['22.02', '24.10'] as const) {
      await withSim({ profile }, async (sim) => {
        const s = await legacySocket(sim);
        s.send({ msg: 'method', id: 'm1' });
        const r = await s.next((f) => f.id === 'm1');
        assert.deepEqual([r.error.error, r.error.reason], [22, "Message is malformed: 'method' is absent."]);
        s.close();
      });
    }
  });

  test('6.2: 24.10 get with no match: reason "MatchNotFound()"; 22.02 ""', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const e = (await s.call('api_key.query', [[['id', '=', 999]], { get: true }])).error;
      assert.equal(e.reason, 'MatchNotFound()');
      s.close();
    });
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.equal((await s.call('api_key.query', [[['id', '=', 999]], { get: true }])).error.reason, '');
      s.close();
    });
  });

  test('2.1: 22.02 auth.two_factor_auth takes no arguments and needs no auth', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await legacySocket(sim);
      assert.equal((await s.call('auth.two_factor_auth')).result, true, 'the seed has a 2FA user');
      const extra = (await s.call('auth.two_factor_auth', ['root', 'x'])).error;
      assert.equal(extra.reason, 'two_factor_auth() takes 1 positional arguments but 3 were given');
      s.close();
    });
  });

  test('3.6: convert_raw_key strips whitespace; an owner-gone key counts as revoked', async () => {
    await withSim({ profile: '26.0' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const ok = (await s.rpc('api_key.convert_raw_key', [`  ${sim.admin.apiKey}\n`])).result;
      assert.equal(ok.api_key_id, 1);
      const gone = (await s.rpc('api_key.query', [[['name', '=', 'departed-user']], { get: true }])).result;
      const e = (await s.rpc('api_key.convert_raw_key', [`${gone.id}-${'a'.repeat(64)}`])).error;
      assert.deepEqual(e.data.extra, [['api_key_convert_raw_key', 'Key is revoked.', 22]]);
      const zero = (await s.rpc('api_key.convert_raw_key', [`0-${'a'.repeat(64)}`])).error;
      assert.deepEqual(zero.data.extra, [
        ['api_key_convert_raw_key', 'Invalid key id', 22],
        ['api_key_convert_raw_key', 'Key does not exist.', 22],
      ]);
      s.close();
    });
  });
});
