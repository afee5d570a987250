/**
 * Type-confused, blank, huge and control-character input to the account, privilege, audit and
 * session methods on every profile: every call is answered with a result or a middleware error,
 * never an internal error, and the simulator keeps serving. Deterministic (seeded PRNG).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../scripts/simulator/index.js';
import { RawSocket } from '../../scripts/simulator/raw-client.js';
import { mulberry32, pick, type Rng } from '../helpers/random.js';

const CALLS = 600;
const METHODS = [
  'user.query', 'user.get_instance', 'user.create', 'user.update', 'user.delete',
  'group.query', 'group.get_instance', 'group.create', 'group.delete',
  'privilege.query', 'privilege.get_instance', 'privilege.create', 'privilege.update', 'privilege.delete', 'privilege.roles',
  'audit.query', 'auth.sessions', 'auth.terminate_session', 'auth.me',
];
const STRINGS = ['', ' ', 'x', 'svc', 'ro_admin', 'replicators', '-x', 'a$b', 'a b', '\u0000\u0007\n', 'ü€😀', 'a'.repeat(33), 'b'.repeat(100_000), '/var/empty', '/usr/sbin/nologin', '/mnt/tank/h', 'READONLY_ADMIN', 'FULL_ADMIN', 'NOPE', 'MIDDLEWARE', 'SMB', 'S-1-5-21-1-2-3-4'];
const KEYS = ['username', 'full_name', 'name', 'gid', 'uid', 'group', 'group_create', 'groups', 'password', 'password_disabled', 'random_password', 'smb', 'shell', 'home', 'email', 'locked', 'sshpubkey', 'sudo_commands', 'local_groups', 'ds_groups', 'roles', 'web_shell', 'users', 'delete_group', 'delete_users', 'services', 'query-filters', 'query-options', 'remote_controller', 'limit', 'count', 'get', 'select', 'order_by'];

function value(r: Rng, depth = 0): unknown {
  const roll = r();
  if (depth > 3 || roll < 0.2) return pick(r, [null, true, false, 0, -1, 1, 41, 42, 50, 70, 76, 951, 3100, 2 ** 31, 1.5, 1e300]);
  if (roll < 0.5) return pick(r, STRINGS);
  if (roll < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 5); i > 0; i--) obj[pick(r, KEYS)] = value(r, depth + 1);
  return obj;
}

function params(r: Rng, method: string): unknown[] {
  if (r() < 0.15) return Array.from({ length: Math.floor(r() * 4) }, () => value(r));
  const body = () => {
    const obj = value(r, 1);
    return obj && typeof obj === 'object' && !Array.isArray(obj) ? obj : { name: pick(r, STRINGS) };
  };
  switch (method.split('.')[1]) {
    case 'create':
      return [body()];
    case 'update':
      return [value(r, 2), body()];
    case 'delete':
    case 'get_instance':
    case 'terminate_session':
      return r() < 0.7 ? [value(r, 2)] : [value(r, 2), value(r, 2)];
    case 'query':
      return method === 'audit.query' ? [body()] : [[[pick(r, ['id', 'name', 'username', 'gid', 'roles']), pick(r, ['=', '!=', '~', 'in', 'rin', 'C=']), value(r, 2)]], r() < 0.5 ? {} : { limit: 3 }];
    default:
      return [];
  }
}

for (const [profile, seed] of [['22.02', 11], ['24.10', 12], ['25.04', 13], ['25.10', 14], ['26.0', 15]] as const) {
  test(`accounts fuzz ${profile}: ${CALLS} hostile calls, no internal errors`, async () => {
    const sim = await startSimulator({ profile, loginDelay: false, rateLimit: false });
    const r = mulberry32(seed);
    const legacy = profile === '22.02' || profile === '24.10';
    try {
      const open = async () => {
        const s = await RawSocket.open(sim.url, legacy ? '/websocket' : '/api/current');
        if (legacy) await s.connect();
        const login = legacy ? await s.call('auth.login_with_api_key', [sim.admin.apiKey]) : await s.rpc('auth.login_with_api_key', [sim.admin.apiKey]);
        assert.equal(login.result, true);
        return s;
      };
      let s = await open();
      for (let i = 0; i < CALLS; i++) {
        if (s.ws.readyState !== s.ws.OPEN) s = await open();
        const method = pick(r, METHODS);
        const p = params(r, method);
        const reply = await (legacy ? s.call(method, p) : s.rpc(method, p)).catch((e: Error) => ({ closed: e.message }));
        assert.ok('result' in reply || 'error' in reply || 'closed' in reply, `${method} ${JSON.stringify(p).slice(0, 200)}: ${JSON.stringify(reply).slice(0, 200)}`);
      }
      const stats = (await sim.command('stats')) as { internalErrors: number; handlerCalls: number };
      assert.equal(stats.internalErrors, 0, 'no handler raised an unexpected error');
      assert.ok(stats.handlerCalls > CALLS / 3, `hostile params reached the handlers (${stats.handlerCalls})`);
      const probe = await open();
      const count = legacy ? await probe.call('api_key.query', [[], { count: true }]) : await probe.rpc('api_key.query', [[], { count: true }]);
      assert.equal(typeof count.result, 'number');
      probe.close();
      s.close();
    } finally {
      await sim.close();
    }
  });
}
