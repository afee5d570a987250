/**
 * Hostile input: thousands of malformed, truncated, oversized, binary and type-confused frames
 * on both protocols and several profiles. The simulator must never crash or hang, must keep
 * serving a well-formed client throughout, and must not hit an internal error (a handler bug
 * would surface as one). Deterministic (seeded PRNG), bounded loops, loopback only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, SocketClosed } from '../../scripts/simulator/raw-client.js';
import { mulberry32, pick, type Rng } from '../helpers/random.js';

const FRAMES_PER_RUN = 1500;
const BATCH = 50;

const METHODS = [
  'core.ping',
  'core.set_options',
  'core.subscribe',
  'core.unsubscribe',
  'auth.login',
  'auth.login_with_api_key',
  'auth.login_with_token',
  'auth.login_ex',
  'auth.login_ex_continue',
  'auth.mechanism_choices',
  'auth.generate_token',
  'auth.me',
  'auth.two_factor_auth',
  'api_key.query',
  'api_key.get_instance',
  'api_key.create',
  'api_key.update',
  'api_key.delete',
  'api_key.my_keys',
  'api_key.convert_raw_key',
  'user.query',
  'system.info',
  'system.version',
  'system.product_type',
  'nosuch.method',
  'nodot',
  '',
  'api_key.',
  '.query',
];
const KEYS = ['name', 'username', 'expires_at', 'reset', 'allowlist', 'mechanism', 'api_key', 'password', 'token', 'otp_token', 'scram_type', 'rfc_str', 'login_options', 'user_info', '$date', 'method', 'resource', 'id', 'select', 'order_by', 'limit', 'offset', 'count', 'get', 'py_exceptions', 'legacy_jobs'];
const STRINGS = ['', 'x', 'truenas_admin', 'ro_admin', 'no_roles', '*', 'API_KEY_PLAIN', 'PASSWORD_PLAIN', 'TOKEN_PLAIN', 'OTP_TOKEN', 'SCRAM', 'CLIENT_FIRST_MESSAGE', 'CLIENT_FINAL_MESSAGE', 'n,,n=truenas_admin:1,r=abc', 'c=biws,r=abc,p=AAAA', '1-' + 'a'.repeat(64), 'ü€😀', 'a'.repeat(250), '\u0000\u0001', '2025-01-01T00:00:00', 'OR', '=', '~', 'C=', 'rin', 'nulls_first:name', '-id', 'created_at.$date', '(a+)+', '[', '\\'];
const OPS = ['=', '!=', '>', '<', '>=', '<=', '~', 'in', 'nin', 'rin', 'rnin', '^', '!^', '$', '!$', 'C=', 'C^', 'C~', 'like', 7, null];
const FIELDS = ['id', 'name', 'username', 'revoked', 'expires_at', 'created_at', 'created_at.$date', 'keyhash', 'roles', 'user_identifier', 'a.b.c', 'roles.*', 'x.0'];

function value(r: Rng, depth = 0): unknown {
  const roll = r();
  if (depth > 3 || roll < 0.15) return pick(r, [null, true, false, 0, -1, 1, 2, 3, 999, 2 ** 53, 1.5, -0.25, 1e300]);
  if (roll < 0.45) return pick(r, STRINGS);
  if (roll < 0.55) return { $date: pick(r, [0, Date.now(), Date.now() + 86_400_000, -1, 1.5]) };
  if (roll < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) obj[pick(r, KEYS)] = value(r, depth + 1);
  return obj;
}

function filters(r: Rng, depth = 0): unknown {
  return Array.from({ length: Math.floor(r() * 3) }, () => {
    if (depth < 3 && r() < 0.2) return ['OR', [filters(r, depth + 1), [pick(r, FIELDS), pick(r, OPS), value(r, 2)]]];
    if (r() < 0.1) return value(r, 2);
    return [pick(r, FIELDS), pick(r, OPS), value(r, 2)];
  });
}

function params(r: Rng, method: string): unknown {
  const roll = r();
  if (roll < 0.1) return value(r);
  if (roll < 0.2) return Array.from({ length: Math.floor(r() * 5) }, () => value(r));
  switch (method) {
    case 'api_key.query':
    case 'user.query':
      return [filters(r), { ...(value(r, 2) as object), ...(r() < 0.5 ? { limit: pick(r, [0, 1, 5, 10001, -1]), order_by: [pick(r, ['name', '-id', 'nulls_last:expires_at', 'expires_at', 7])] } : {}) }];
    case 'api_key.create':
      return [{ name: pick(r, STRINGS), username: pick(r, STRINGS), ...(r() < 0.5 ? { expires_at: value(r, 2) } : {}) }];
    case 'api_key.update':
      return [pick(r, [1, 2, 3, 99, 'x', null]), { name: pick(r, STRINGS), reset: r() < 0.5, ...(r() < 0.5 ? { expires_at: value(r, 2) } : {}) }];
    case 'auth.login_ex':
      return [{ mechanism: pick(r, STRINGS), username: pick(r, STRINGS), api_key: pick(r, STRINGS), password: pick(r, STRINGS), rfc_str: pick(r, STRINGS), scram_type: pick(r, STRINGS) }];
    default:
      return Array.from({ length: Math.floor(r() * 3) }, () => value(r, 1));
  }
}

function nested(r: Rng): string {
  const n = 100 + Math.floor(r() * 2000);
  return '['.repeat(n) + (r() < 0.5 ? ']'.repeat(n) : '');
}

/** One hostile frame: [payload, binary?]. */
function frame(r: Rng, protocol: 'jsonrpc' | 'legacy', authed: boolean): [string | Buffer, boolean] {
  const method = pick(r, METHODS);
  const good =
    protocol === 'jsonrpc'
      ? { jsonrpc: '2.0', id: r() < 0.85 ? Math.floor(r() * 1000) : pick(r, ['a', null, 2.5, true, [], {}]), method, params: params(r, method) }
      : { msg: pick(r, ['method', 'method', 'method', 'sub', 'unsub', 'ping', 'connect', 'pong', 'result', 7]), id: pick(r, ['a', 1, null, [], undefined]), method, params: params(r, method), name: pick(r, ['api_key.query', '*', 'core.get_jobs', 7, 'x:y']) };
  const text = JSON.stringify(good);
  const roll = r();
  if (roll < 0.35) return [text, false];
  if (roll < 0.45) {
    const key = pick(r, Object.keys(good));
    // Drop the key, or give it a random value.
    const mutated = Object.fromEntries(Object.entries(good).filter(([k]) => k !== key || r() < 0.5).map(([k, v]) => [k, k === key ? value(r) : v]));
    return [JSON.stringify(mutated), false];
  }
  if (roll < 0.6) return [text.slice(0, Math.floor(r() * text.length)), false];
  if (roll < 0.68) return [JSON.stringify(pick(r, [[good], 'x', 7, null, true, [], [[]]])), false];
  if (roll < 0.76) return [Array.from({ length: Math.floor(r() * 40) }, () => String.fromCharCode(Math.floor(r() * 0x3000))).join(''), false];
  if (roll < 0.8) return [nested(r), false];
  if (roll < 0.84) return [JSON.stringify({ ...good, params: ['x'.repeat(authed ? 70_000 : 9_000)] }), false];
  if (roll < 0.87) return [Buffer.from(text), true];
  if (roll < 0.9) return [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false];
  if (roll < 0.93) return [`\ufeff${text}`, false];
  if (roll < 0.96) return [text.replace(/"\$date":\s*[^,}]+/, '"$date":"soon"').replace('"2.0"', '"2.0","x":{"$date":"never"}'), false];
  return [text.replace(/(\d+)/, 'NaN'), false];
}

async function openFuzz(sim: RunningSimulator, path: string, login: boolean): Promise<RawSocket> {
  const s = await RawSocket.open(sim.url, path);
  if (path === '/websocket') await s.connect();
  if (login) {
    const r = path === '/websocket' ? await s.call('auth.login', [sim.admin.username, sim.admin.password]) : await s.rpc('auth.login', [sim.admin.username, sim.admin.password]);
    assert.equal(r.result, true);
  }
  return s;
}

async function healthy(observer: RawSocket, protocol: 'jsonrpc' | 'legacy'): Promise<void> {
  const r = protocol === 'jsonrpc' ? await observer.rpc('api_key.query', [[], { count: true }]) : await observer.call('api_key.query', [[], { count: true }]);
  assert.equal(typeof r.result, 'number', `well-formed client still served: ${JSON.stringify(r).slice(0, 300)}`);
}

for (const [profile, path, seed] of [
  ['22.02', '/websocket', 1],
  ['24.10', '/websocket', 2],
  ['25.10', '/websocket', 3],
  ['25.10', '/api/current', 4],
  ['26.0', '/api/current', 5],
] as const) {
  test(`fuzz ${profile} ${path}: ${FRAMES_PER_RUN} hostile frames, the simulator keeps serving`, async (t) => {
    const sim = await startSimulator({ profile, loginDelay: false, rateLimit: false });
    const protocol = path === '/websocket' ? 'legacy' : 'jsonrpc';
    const r = mulberry32(seed);
    try {
      const observer = await openFuzz(sim, path, true);
      let authed = false;
      let fuzz = await openFuzz(sim, path, authed);
      let closes = 0;
      for (let sent = 0; sent < FRAMES_PER_RUN; sent += BATCH) {
        // Every batch gets a fresh connection, alternately logged in and anonymous.
        fuzz.close();
        authed = !authed;
        fuzz = await openFuzz(sim, path, authed);
        for (let i = 0; i < BATCH; i++) {
          if (fuzz.ws.readyState !== fuzz.ws.OPEN) {
            closes++;
            fuzz = await openFuzz(sim, path, authed);
          }
          const [payload, binary] = frame(r, protocol, authed);
          fuzz.ws.send(payload, { binary });
          // Wait until the simulator has dealt with the frame (answered a probe, or closed), so
          // every frame is processed and the backlog stays bounded. The probe is an unknown
          // method, so it never reaches a handler itself.
          const probe = protocol === 'jsonrpc' ? fuzz.rpc('probe.unknown') : fuzz.call('probe.unknown');
          const outcome = await probe.then(
            () => 'answered',
            (e: Error) => (e instanceof SocketClosed ? 'closed' : e.message),
          );
          assert.ok(outcome === 'answered' || outcome === 'closed', `frame ${sent + i} left the connection hanging: ${outcome}; frame: ${String(payload).slice(0, 200)}`);
          fuzz.frames.length = 0;
        }
        fuzz.frames.length = 0;
        await healthy(observer, protocol);
      }
      fuzz.close();
      const stats = (await sim.command('stats')) as { internalErrors: number; handlerCalls: number };
      assert.equal(stats.internalErrors, 0, 'no handler raised an unexpected (non-middleware) error');
      assert.ok(stats.handlerCalls > 200, `hostile params reached the method handlers (${stats.handlerCalls} calls)`);
      assert.ok(closes > 5, `the fuzzer exercised connection-closing frames too (${closes})`);
      t.diagnostic(`${stats.handlerCalls} handler calls, ${closes} connections closed by the simulator`);
      await healthy(observer, protocol);
      observer.close();
    } finally {
      await sim.close();
    }
  });
}
