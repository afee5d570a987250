/**
 * Authentication per profile over real sockets: unauthenticated/unauthorized replies, every login
 * mechanism and response type, OTP, SCRAM-SHA-512, tokens, rate limiting, failed-login delays,
 * and the insecure-transport revocation of API keys with its recovery by reset.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn, type Frame } from '../../scripts/simulator/raw-client.js';
import { legacySocket, user, withSim } from '../helpers/node-sim.js';

async function rpcSocket(sim: RunningSimulator, path = '/api/current'): Promise<RawSocket> {
  return RawSocket.open(sim.url, path);
}

const loginEx = (s: RawSocket, data: Record<string, unknown>) => s.rpc('auth.login_ex', [data]).then((r: Frame) => r.result ?? r.error);

describe('unauthenticated and unauthorized replies per version', () => {
  test('legacy: 22.02 EACCES without errname; 24.10 ENOTAUTHENTICATED without trace; 25.04 with trace', async () => {
    const expected: Record<string, (e: Frame) => void> = {
      '22.02': (e) => assert.deepEqual(e, { error: 13, type: null, reason: 'Not authenticated', trace: null, extra: null }),
      '24.10': (e) => assert.deepEqual(e, { error: 207, errname: 'ENOTAUTHENTICATED', type: null, reason: 'Not authenticated', trace: null, extra: null }),
      '25.04': (e) => {
        assert.deepEqual([e.error, e.errname, e.reason, e.trace.class], [207, 'ENOTAUTHENTICATED', '[ENOTAUTHENTICATED] Not authenticated', 'CallError']);
      },
    };
    for (const [profile, check] of Object.entries(expected)) {
      await withSim({ profile: profile as '22.02' }, async (sim) => {
        const s = await legacySocket(sim);
        check((await s.call('api_key.query')).error);
        s.close();
      });
    }
  });

  test('JSON-RPC: -32001 with 207, and "[EACCES] Not authorized" for a session without the role', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await rpcSocket(sim);
      const anon = (await s.rpc('system.info')).error;
      assert.deepEqual([anon.code, anon.data.error, anon.data.reason], [-32001, 207, '[ENOTAUTHENTICATED] Not authenticated']);
      const writer = user(sim, 'key_writer');
      assert.equal((await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: writer.username, password: writer.password })).response_type, 'SUCCESS');
      const denied = (await s.rpc('system.info')).error;
      assert.deepEqual([denied.code, denied.data.error, denied.data.errname, denied.data.reason], [-32001, 13, 'EACCES', '[EACCES] Not authorized']);
      assert.ok(Array.isArray((await s.rpc('api_key.query')).result), 'API_KEY_WRITE implies API_KEY_READ');
      s.close();
    });
  });

  test('24.10: a read-only admin may not call api_key methods (they need FULL_ADMIN before 25.04)', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await legacySocket(sim);
      const ro = user(sim, 'ro_admin');
      assert.equal((await s.call('auth.login', [ro.username, ro.password])).result, true);
      assert.deepEqual((await s.call('api_key.query')).error, { error: 13, errname: 'EACCES', type: null, reason: 'Not authorized', trace: null, extra: null });
      assert.equal((await s.call('system.info')).result.version, 'TrueNAS-SCALE-24.10.2.4');
      s.close();
    });
  });
});

describe('legacy logins (22.02-24.10)', () => {
  test('22.02 accepts only root for auth.login, and has no auth.me', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      assert.equal(sim.admin.username, 'root');
      const s = await legacySocket(sim);
      const admin = user(sim, 'truenas_admin');
      assert.equal((await s.call('auth.login', [admin.username, admin.password])).result, false);
      assert.equal((await s.call('auth.login', ['root', sim.admin.password])).result, true);
      assert.equal((await s.call('auth.me')).error.error, 201);
      s.close();
    });
  });

  test('24.10 key sessions are authorized by the allowlist alone; auth.me says API_KEY', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const limited = (await sim.command('createKey', { name: 'limited', allowlist: [{ method: 'CALL', resource: 'system.*' }] })) as { key: string };
      const s = await legacySocket(sim);
      assert.equal((await s.call('auth.login_with_api_key', [limited.key])).result, true);
      assert.equal((await s.call('system.version')).result, 'TrueNAS-SCALE-24.10.2.4');
      assert.equal((await s.call('api_key.query')).error.reason, 'Not authorized');
      assert.equal((await s.call('core.ping')).error.reason, 'Not authorized', 'the allowlist applies even to methods without authz');
      s.close();
      const full = await openLoggedIn(sim);
      const me = (await full.call('auth.me')).error;
      assert.deepEqual([me.error, me.reason], [14, '[EFAULT] You are logged in using API_KEY']);
      full.close();
    });
  });

  test('a wrong key or password is just false; 24.10 keeps working over an insecure transport', async () => {
    await withSim({ profile: '24.10', insecure: true }, async (sim) => {
      const s = await legacySocket(sim);
      assert.equal((await s.call('auth.login_with_api_key', ['1-' + 'x'.repeat(64)])).result, false);
      assert.equal((await s.call('auth.login_with_api_key', ['garbage'])).result, false);
      assert.equal((await s.call('auth.login', ['truenas_admin', 'wrong'])).result, false);
      assert.equal((await s.call('auth.login_with_api_key', [sim.admin.apiKey])).result, true, '24.10 never revokes');
      s.close();
    });
  });

  test('24.10: auth.login with the OTP as third argument for a 2FA user', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const otpUser = user(sim, 'otp_admin');
      const s = await legacySocket(sim);
      assert.equal((await s.call('auth.login', [otpUser.username, otpUser.password])).result, false);
      const { code } = (await sim.command('otp', { username: otpUser.username })) as { code: string };
      assert.equal((await s.call('auth.login', [otpUser.username, otpUser.password, code])).result, true);
      s.close();
    });
  });
});

describe('auth.login_ex (25.04+)', () => {
  test('PASSWORD_PLAIN and API_KEY_PLAIN: SUCCESS with user_info, AUTH_ERR otherwise', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.deepEqual(await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: 'truenas_admin', password: 'nope' }), { response_type: 'AUTH_ERR' });
      const ok = await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: sim.admin.username, password: sim.admin.password });
      assert.equal(ok.response_type, 'SUCCESS');
      assert.equal(ok.authenticator, 'LEVEL_1');
      assert.equal(ok.user_info.pw_name, 'truenas_admin');
      assert.deepEqual(ok.user_info.account_attributes, ['LOCAL', 'SYS_ADMIN']);
      const k = await rpcSocket(sim);
      assert.deepEqual(await loginEx(k, { mechanism: 'API_KEY_PLAIN', username: 'ro_admin', api_key: sim.admin.apiKey }), { response_type: 'AUTH_ERR' }, 'a key belongs to one user');
      const viaKey = await loginEx(k, { mechanism: 'API_KEY_PLAIN', username: sim.admin.username, api_key: sim.admin.apiKey, login_options: { user_info: false } });
      assert.deepEqual(viaKey, { response_type: 'SUCCESS', user_info: null, authenticator: 'LEVEL_1' });
      const me = (await k.rpc('auth.me')).result;
      assert.ok(me.account_attributes.includes('API_KEY'), 'auth.me names the API_KEY attribute');
      s.close();
      k.close();
    });
  });

  test('EXPIRED for an expired key, AUTH_ERR for a revoked one', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const expired = (await sim.command('createKey', { name: 'old', expiresAt: Date.now() - 60_000 })) as { key: string };
      const revoked = (await sim.command('createKey', { name: 'gone', revoked: true, revokedReason: 'test' })) as { key: string };
      const s = await rpcSocket(sim);
      assert.deepEqual(await loginEx(s, { mechanism: 'API_KEY_PLAIN', username: sim.admin.username, api_key: expired.key }), { response_type: 'EXPIRED' });
      assert.deepEqual(await loginEx(s, { mechanism: 'API_KEY_PLAIN', username: sim.admin.username, api_key: revoked.key }), { response_type: 'AUTH_ERR' });
      assert.equal((await s.rpc('auth.login_with_api_key', [expired.key])).result, false);
      s.close();
    });
  });

  test('OTP_REQUIRED, then login_ex_continue; three wrong codes are retried, the fourth is AUTH_ERR (25.x)', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const otpUser = user(sim, 'otp_admin');
      const s = await rpcSocket(sim);
      assert.deepEqual(await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: otpUser.username, password: otpUser.password }), {
        response_type: 'OTP_REQUIRED',
        username: 'otp_admin',
      });
      const { code } = (await sim.command('otp', { username: otpUser.username })) as { code: string };
      const done = (await s.rpc('auth.login_ex_continue', [{ mechanism: 'OTP_TOKEN', otp_token: code }])).result;
      assert.equal(done.response_type, 'SUCCESS');
      assert.ok(done.user_info.account_attributes.includes('2FA'), 'user_info names the 2FA attribute');

      const t = await rpcSocket(sim);
      await loginEx(t, { mechanism: 'PASSWORD_PLAIN', username: otpUser.username, password: otpUser.password });
      const wrong = { mechanism: 'OTP_TOKEN', otp_token: '000000' === code ? '111111' : '000000' };
      // MW@TS-25.10.6:plugins/auth.py:1026, MAX_OTP_ATTEMPTS = 3 retries.
      for (let i = 0; i < 3; i++) assert.equal((await t.rpc('auth.login_ex_continue', [wrong])).result.response_type, 'OTP_REQUIRED');
      assert.deepEqual((await t.rpc('auth.login_ex_continue', [wrong])).result, { response_type: 'AUTH_ERR' });
      const noLogin = (await t.rpc('auth.login_ex', [wrong])).error;
      assert.deepEqual([noLogin.code, noLogin.data.error, noLogin.data.reason], [-32001, 22, '[EINVAL] OTP_TOKEN: no authentication in progress']);
      s.close();
      t.close();
    });
  });

  test('TOKEN_PLAIN with a generated token; single-use tokens work once', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const anon = await rpcSocket(sim);
      assert.equal((await anon.rpc('auth.generate_token', [600])).error.data.error, 207, 'generate_token needs a session on 25.04+');
      const token = (await s.rpc('auth.generate_token', [600, {}, true, true])).result as string;
      assert.match(token, /^[A-Za-z0-9_-]{64}$/);
      assert.equal((await loginEx(anon, { mechanism: 'TOKEN_PLAIN', token })).response_type, 'SUCCESS');
      const again = await rpcSocket(sim);
      assert.deepEqual(await loginEx(again, { mechanism: 'TOKEN_PLAIN', token }), { response_type: 'AUTH_ERR' });
      s.close();
      anon.close();
      again.close();
    });
  });

  test('DENIED on 26.0 for a valid credential of a user without API access; REDIRECT on demand', async () => {
    await withSim({ profile: '26.0' }, async (sim) => {
      const noRoles = user(sim, 'no_roles');
      const s = await rpcSocket(sim);
      assert.deepEqual(await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: noRoles.username, password: noRoles.password }), { response_type: 'DENIED' });
      await sim.command('redirect', { urls: ['10.0.0.11'] });
      assert.deepEqual(await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: sim.admin.username, password: sim.admin.password }), {
        response_type: 'REDIRECT',
        urls: ['10.0.0.11'],
      });
      s.close();
    });
    await withSim({ profile: '25.10' }, async (sim) => {
      const noRoles = user(sim, 'no_roles');
      const s = await rpcSocket(sim);
      assert.deepEqual(await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: noRoles.username, password: noRoles.password }), { response_type: 'AUTH_ERR' });
      s.close();
    });
  });

  test('login_data is a strict tagged union', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await rpcSocket(sim);
      const noTag = (await s.rpc('auth.login_ex', [{ username: 'a' }])).error;
      assert.equal(noTag.code, -32602);
      assert.deepEqual(noTag.data.extra, [['login_data', "Unable to extract tag using discriminator 'mechanism'", 22]]);
      const scram = (await s.rpc('auth.login_ex', [{ mechanism: 'SCRAM', rfc_str: 'x' }])).error;
      assert.match(scram.data.extra[0][1], /does not match any of the expected tags/, 'SCRAM only exists from 26.0');
      const extra = (await s.rpc('auth.login_ex', [{ mechanism: 'API_KEY_PLAIN', username: 'a', api_key: 'b', otp: 1 }])).error;
      assert.deepEqual(extra.data.extra, [['login_data.API_KEY_PLAIN.otp', 'Extra inputs are not permitted', 22]]);
      const missing = (await s.rpc('auth.login_ex', [{ mechanism: 'PASSWORD_PLAIN', username: 'a' }])).error;
      assert.deepEqual(missing.data.extra, [['login_data.PASSWORD_PLAIN.password', 'Field required', 22]]);
      s.close();
    });
  });
});

describe('SCRAM-SHA-512 (26.0)', () => {
  /** A client side of RFC 5802 with SHA-512, written from the RFC for this test. */
  async function scramLogin(s: RawSocket, username: string, apiKey: string, tamper = false): Promise<Frame> {
    const [idText, secret] = [apiKey.slice(0, apiKey.indexOf('-')), apiKey.slice(apiKey.indexOf('-') + 1)];
    const cnonce = randomBytes(32).toString('base64');
    const bare = `n=${username}:${idText},r=${cnonce}`;
    const first = await loginEx(s, { mechanism: 'SCRAM', scram_type: 'CLIENT_FIRST_MESSAGE', rfc_str: `n,,${bare}` });
    assert.equal(first.scram_type, 'SERVER_FIRST_RESPONSE');
    const attrs = Object.fromEntries((first.rfc_str as string).split(',').map((p) => [p[0], p.slice(2)]));
    assert.ok(attrs.r!.startsWith(cnonce), 'the server nonce extends the client nonce');
    assert.ok(Number(attrs.i) >= 50_000, 'an iteration count strict clients accept');
    const salted = pbkdf2Sync(secret, Buffer.from(attrs.s, 'base64'), Number(attrs.i), 64, 'sha512');
    const clientKey = createHmac('sha512', salted).update('Client Key').digest();
    const storedKey = createHash('sha512').update(clientKey).digest();
    const withoutProof = `c=biws,r=${attrs.r}`;
    const authMessage = `${bare},${first.rfc_str},${withoutProof}`;
    const signature = createHmac('sha512', storedKey).update(authMessage).digest();
    const proof = Buffer.alloc(64);
    for (let i = 0; i < 64; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    if (tamper) proof[0]! ^= 1;
    const final = await loginEx(s, { mechanism: 'SCRAM', scram_type: 'CLIENT_FINAL_MESSAGE', rfc_str: `${withoutProof},p=${proof.toString('base64')}` });
    if (final.scram_type === 'SERVER_FINAL_RESPONSE') {
      const serverKey = createHmac('sha512', salted).update('Server Key').digest();
      const expected = createHmac('sha512', serverKey).update(authMessage).digest('base64');
      assert.equal(final.rfc_str, `v=${expected}`, 'the server proves it knows the key');
    }
    return final;
  }

  test('a full exchange authenticates without sending the key; a bad proof is AUTH_ERR', async () => {
    await withSim({ profile: '26.0', insecure: true }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.deepEqual((await s.rpc('auth.mechanism_choices')).result, ['API_KEY_PLAIN', 'TOKEN_PLAIN', 'PASSWORD_PLAIN', 'SCRAM']);
      const final = await scramLogin(s, sim.admin.username, sim.admin.apiKey);
      assert.equal(final.response_type, 'SCRAM_RESPONSE');
      assert.equal(final.user_info.pw_name, sim.admin.username);
      assert.ok(Array.isArray((await s.rpc('api_key.query')).result), 'the SCRAM session may query keys');
      const me = (await s.rpc('api_key.get_instance', [1])).result;
      assert.equal(me.revoked, false, 'SCRAM over an insecure transport does not revoke the key');
      const t = await rpcSocket(sim);
      assert.deepEqual(await scramLogin(t, sim.admin.username, sim.admin.apiKey, true), { response_type: 'AUTH_ERR' });
      assert.equal((await t.rpc('api_key.query')).error.data.error, 207);
      s.close();
      t.close();
    });
  });
});

describe('anonymous methods per version', () => {
  test('auth.mechanism_choices fails on anonymous 25.04/25.10 sessions (the NoneType bug), works once logged in', async () => {
    for (const profile of ['25.04', '25.10'] as const) {
      await withSim({ profile }, async (sim) => {
        const s = await rpcSocket(sim);
        const err = (await s.rpc('auth.mechanism_choices')).error;
        assert.deepEqual([err.code, err.data.error, err.data.reason], [-32001, 22, "'NoneType' object has no attribute 'may_create_auth_token'"]);
        await s.rpc('auth.login_with_api_key', [sim.admin.apiKey]);
        assert.deepEqual((await s.rpc('auth.mechanism_choices')).result, ['API_KEY_PLAIN', 'TOKEN_PLAIN', 'PASSWORD_PLAIN']);
        s.close();
      });
    }
  });

  test('core.set_options: no auth; 25.04 returns null, 25.10 returns the options', async () => {
    const opts = { legacy_jobs: false, private_methods: false, py_exceptions: false };
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.equal((await s.rpc('core.set_options', [opts])).result, null);
      s.close();
    });
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.deepEqual((await s.rpc('core.set_options', [{ ...opts, unknown_key: 1 }])).result, opts);
      s.close();
    });
  });

  test('core.ping: needs a session up to 25.04, anonymous from 25.10', async () => {
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.equal((await s.rpc('core.ping')).error.data.error, 207);
      s.close();
    });
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.equal((await s.rpc('core.ping')).result, 'pong');
      s.close();
    });
  });

  test('24.10: generate_token is "no auth" but refuses anonymous callers with [EACCES]', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await legacySocket(sim);
      const e = (await s.call('auth.generate_token', [600])).error;
      assert.deepEqual([e.error, e.reason], [13, '[EACCES] Not authenticated']);
      s.close();
    });
  });

  test('22.02 tokens are 64 alphanumerics', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.match((await s.call('auth.generate_token', [600])).result, /^[A-Za-z0-9]{64}$/);
      s.close();
    });
  });
});

describe('rate limiting of anonymous calls (24.10+)', () => {
  test('25.10: the 21st anonymous call of a method from one IP gets [EBUSY]; set_options is exempt', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await rpcSocket(sim);
      for (let i = 0; i < 20; i++) assert.equal((await s.rpc('auth.login_with_api_key', ['1-bad'])).result, false);
      const limited = (await s.rpc('auth.login_with_api_key', ['1-bad'])).error;
      assert.deepEqual([limited.code, limited.data.error, limited.data.errname, limited.data.reason], [-32001, 16, 'EBUSY', '[EBUSY] Rate Limit Exceeded']);
      // The count is per method, and loopback is not exempt.
      assert.equal((await s.rpc('core.ping')).result, 'pong');
      for (let i = 0; i < 25; i++) assert.ok('result' in (await s.rpc('core.set_options', [{}])), 'core.set_options is not rate limited');
      // Authenticated sessions are not counted from 25.04 on (log in with another method's counter).
      const t = await rpcSocket(sim);
      await loginEx(t, { mechanism: 'PASSWORD_PLAIN', username: sim.admin.username, password: sim.admin.password });
      assert.equal((await t.rpc('auth.login_with_api_key', [sim.admin.apiKey])).result, true);
      s.close();
      t.close();
    });
  });

  test('24.10 legacy: plain "Rate Limit Exceeded", and authenticated sessions are counted too', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      for (let i = 0; i < 19; i++) assert.equal((await s.call('auth.login_with_api_key', [sim.admin.apiKey])).result, true);
      assert.deepEqual((await s.call('auth.login_with_api_key', [sim.admin.apiKey])).error, {
        error: 16,
        errname: 'EBUSY',
        type: null,
        reason: 'Rate Limit Exceeded',
        trace: null,
        extra: null,
      });
      s.close();
    });
  });

  test('rateLimit: false turns it off', async () => {
    await withSim({ profile: '25.10', rateLimit: false }, async (sim) => {
      const s = await rpcSocket(sim);
      for (let i = 0; i < 30; i++) assert.equal((await s.rpc('auth.login_with_api_key', ['1-bad'])).result, false);
      s.close();
    });
  });
});

describe('failed-login delays', () => {
  test('a failed password login sleeps (scaled); a successful one does not', async () => {
    await withSim({ profile: '25.10', loginDelay: 0.05 }, async (sim) => {
      const s = await rpcSocket(sim);
      let t0 = performance.now();
      await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: 'truenas_admin', password: 'wrong' });
      assert.ok(performance.now() - t0 >= 45, 'slept at least 1 s x 0.05');
      t0 = performance.now();
      await s.rpc('auth.login_with_api_key', ['9999-' + 'a'.repeat(64)]);
      assert.ok(performance.now() - t0 >= 45, 'an unknown key id sleeps too (25.04+)');
      s.close();
    });
  });
});

describe('insecure-transport revocation (25.04+)', () => {
  test('25.10: a plain key over an insecure transport is revoked (reason kept), without an event; reset recovers it', async () => {
    await withSim({ profile: '25.10', insecure: true }, async (sim) => {
      const watcher = await rpcSocket(sim);
      await loginEx(watcher, { mechanism: 'PASSWORD_PLAIN', username: sim.admin.username, password: sim.admin.password });
      await watcher.rpc('core.subscribe', ['api_key.query']);
      const { id, key } = (await sim.command('createKey', { name: 'cli', username: 'ro_admin' })) as { id: number; key: string };

      const victim = await rpcSocket(sim);
      assert.deepEqual(await loginEx(victim, { mechanism: 'API_KEY_PLAIN', username: 'ro_admin', api_key: key }), { response_type: 'EXPIRED' });
      const entry = (await watcher.rpc('api_key.get_instance', [id])).result;
      assert.deepEqual([entry.revoked, entry.revoked_reason], [true, 'Attempt to use over an insecure transport']);
      assert.ok(await watcher.silent(200), 'revocation sends no api_key.query event');
      assert.deepEqual(await loginEx(victim, { mechanism: 'API_KEY_PLAIN', username: 'ro_admin', api_key: key }), { response_type: 'AUTH_ERR' });

      const reset = (await watcher.rpc('api_key.update', [id, { reset: true }])).result;
      assert.deepEqual([reset.revoked, reset.revoked_reason], [false, 'Attempt to use over an insecure transport'], 'reset keeps the stale reason');
      assert.match(reset.key, new RegExp(`^${id}-[A-Za-z0-9]{64}$`));
      await sim.command('setInsecure', { insecure: false });
      const fresh = await rpcSocket(sim);
      assert.equal((await loginEx(fresh, { mechanism: 'API_KEY_PLAIN', username: 'ro_admin', api_key: reset.key })).response_type, 'SUCCESS');
      watcher.close();
      victim.close();
      fresh.close();
    });
  });

  test('25.04: revoked through login_with_api_key (false); the entry has no revoked_reason', async () => {
    await withSim({ profile: '25.04', insecure: true }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.equal((await s.rpc('auth.login_with_api_key', [sim.admin.apiKey])).result, false);
      assert.equal((await loginEx(s, { mechanism: 'PASSWORD_PLAIN', username: sim.admin.username, password: sim.admin.password })).response_type, 'SUCCESS');
      const entry = (await s.rpc('api_key.get_instance', [1])).result;
      assert.equal(entry.revoked, true);
      assert.ok(!('revoked_reason' in entry), 'no revoked_reason before 25.10');
      s.close();
    });
  });

  test('loopback is secure unless the switch is on; TLS is secure', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await rpcSocket(sim);
      assert.equal((await s.rpc('auth.login_with_api_key', [sim.admin.apiKey])).result, true);
      s.close();
    });
    await withSim({ profile: '25.10', tls: true }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/api/current', { ca: sim.certificate!.pem });
      assert.equal((await s.rpc('auth.login_with_api_key', [sim.admin.apiKey])).result, true);
      s.close();
    });
  });
});

describe('sessions', () => {
  test('auth.logout ends the session', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      assert.equal((await s.rpc('auth.logout')).result, true);
      assert.equal((await s.rpc('api_key.query')).error.data.error, 207);
      s.close();
    });
  });
});
