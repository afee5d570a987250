/**
 * TLS mode, the fault-injection control channel (in-process, HTTP and WS), and the CLI.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { RawSocket, openLoggedIn } from '../../scripts/simulator/raw-client.js';
import { rpcAs, withSim } from '../helpers/node-sim.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function post(url: string, body: unknown, token?: string): Promise<{ status: number; json: { result?: unknown; error?: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text.startsWith('{') ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('TLS', () => {
  test('https/wss with a generated self-signed certificate; untrusted clients are refused', async () => {
    await withSim({ profile: '25.10', tls: true }, async (sim) => {
      assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(sim.tls, true);
      const s = await RawSocket.open(sim.url, '/api/current', { ca: sim.certificate!.pem });
      assert.equal((await s.rpc('core.ping')).result, 'pong');
      s.close();
      await assert.rejects(RawSocket.open(sim.url, '/api/current'), /self[- ]signed certificate/i);
      const fingerprint = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: sim.port, rejectUnauthorized: false }, () => {
          resolve(socket.getPeerCertificate().fingerprint256);
          socket.end();
        });
        socket.on('error', reject);
      });
      assert.equal(fingerprint, sim.certificate!.fingerprint256);
    });
  });
});

describe('control actions', () => {
  test('reset restores the seed and keeps the bootstrap credential working', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      await s.rpc('api_key.create', [{ name: 'temp', username: 'ro_admin' }]);
      await s.rpc('api_key.delete', [2]);
      const seeded = ((await s.rpc('api_key.query', [[], { count: true }])).result as number) - 0;
      await sim.command('reset');
      assert.equal((await s.rpc('api_key.query', [[], { count: true }])).result, seeded);
      assert.equal((await s.rpc('api_key.query', [[['name', '=', 'temp']], { count: true }])).result, 0);
      assert.equal((await s.rpc('api_key.get_instance', [2])).result.name, 'ci-backup');
      s.close();
      (await openLoggedIn(sim)).close();
    });
  });

  test('drop, close with a code, malformed frames, restart on the same port with state kept', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      let s = await openLoggedIn(sim);
      await sim.command('drop');
      assert.equal((await s.closed).code, 1006);

      s = await openLoggedIn(sim);
      await sim.command('close', { code: 4001, reason: 'maintenance' });
      assert.deepEqual(await s.closed, { code: 4001, reason: 'maintenance' });
      await assert.rejects(sim.command('close', { code: 1005 }), /"code" must be/);

      s = await openLoggedIn(sim);
      await sim.command('malformed', { frame: '{"jsonrpc": "2.0", "id": 1, "result": ' });
      assert.deepEqual(await s.next(), { unparsable: '{"jsonrpc": "2.0", "id": 1, "result": ' });
      await sim.command('malformed', { frame: 'hi', binary: true });
      assert.deepEqual(await s.next(), { binary: 'hi' });

      const created = (await s.rpc('api_key.create', [{ name: 'kept', username: 'ro_admin' }])).result;
      const before = (await sim.command('stats')) as { bootId: string };
      const restarted = (await sim.command('restart')) as { url: string; bootId: string };
      assert.equal(restarted.url, sim.url);
      assert.notEqual(restarted.bootId, before.bootId);
      await s.closed;
      const t = await openLoggedIn(sim);
      assert.equal((await t.rpc('api_key.get_instance', [created.id])).result.name, 'kept');
      t.close();
    });
  });

  test('delay, createKey, setKeyState, otp, stats, configure; unknown actions name the known ones', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const fixture = (await sim.command('createKey', { name: 'fixture', username: 'key_writer', expiresAt: Date.now() + 86_400_000 })) as { id: number; key: string };
      assert.match(fixture.key, new RegExp(`^${fixture.id}-[A-Za-z0-9]{64}$`));
      const state = (await sim.command('setKeyState', { id: fixture.id, revoked: true, revokedReason: 'by test' })) as { expiry: number };
      assert.equal(state.expiry, -1);
      const s = await openLoggedIn(sim);
      const entry = (await s.rpc('api_key.get_instance', [fixture.id])).result;
      assert.deepEqual([entry.revoked, entry.revoked_reason, entry.username], [true, 'by test', 'key_writer']);
      assert.match(((await sim.command('otp', { username: 'otp_admin' })) as { code: string }).code, /^\d{6}$/);
      await assert.rejects(sim.command('otp', { username: 'ro_admin' }), /otpSecret/);
      const stats = (await sim.command('stats')) as Record<string, number>;
      assert.deepEqual([stats.connections, stats.authenticated, stats.internalErrors], [1, 1, 0]);
      assert.deepEqual(await sim.command('configure', { rateLimit: false, loginDelay: 0.5 }), { rateLimit: false, loginDelay: 0.5 });
      await assert.rejects(sim.command('explode'), /Unknown simulator action "explode"\. Known: reset, setInsecure/);
      await assert.rejects(sim.command('delay', { ms: -1 }), /"ms" must be a number/);
      s.close();
    });
  });

  test('failNext: the next call(s) of a method fail with the chosen middleware error, after authorization; reset disarms', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      await sim.command('failNext', { method: 'privilege.create' });
      const first = (await s.rpc('privilege.create', [{ name: 'p1', web_shell: false }])).error;
      assert.deepEqual([first.code, first.data.error, first.data.reason], [-32001, 14, '[EFAULT] Failed to complete privilege.create']);
      assert.equal((await s.rpc('privilege.create', [{ name: 'p1', web_shell: false }])).result.name, 'p1', 'only the next call fails');
      await sim.command('failNext', { method: 'user.create', error: 'ValidationError', attribute: 'user_create.username', message: 'Simulated clash', times: 2 });
      const body = { username: 'u1', full_name: 'U', group_create: true, password_disabled: true, smb: false };
      for (let i = 0; i < 2; i++) assert.deepEqual((await s.rpc('user.create', [body])).error.data.extra, [['user_create.username', 'Simulated clash', 22]]);
      assert.equal((await s.rpc('user.create', [body])).result.username, 'u1');
      await sim.command('failNext', { method: 'api_key.create', error: 'CallError', errno: 12, message: 'Out of memory' });
      const ro = await rpcAs(sim, 'no_roles').catch(() => undefined);
      assert.equal(ro, undefined, 'users without roles cannot sign in');
      assert.equal((await s.rpc('api_key.create', [{ name: 'x', username: 'truenas_admin' }])).error.data.reason, '[ENOMEM] Out of memory');
      await sim.command('failNext', { method: 'api_key.delete' });
      await sim.command('reset');
      assert.equal((await s.rpc('api_key.delete', [2])).result, true, 'reset disarms faults');
      await assert.rejects(sim.command('failNext', { method: 'nodot' }), /"method" must be a method name/);
      await assert.rejects(sim.command('failNext', { method: 'a.b', error: 'Nope' }), /"error" must be/);
      assert.deepEqual(await sim.command('failNext', { method: 'a.b', times: 0 }), { method: 'a.b', times: 0 });
      s.close();
    });
  });

  test('the network control channel is off by default and needs the token', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      assert.equal(sim.control, undefined);
      assert.equal((await post(`${sim.url}/_sim/control`, { action: 'stats' })).status, 404);
    });
    await withSim({ profile: '25.10', control: true }, async (sim) => {
      const { url, token } = sim.control!;
      assert.equal((await post(url, { action: 'stats' })).status, 401);
      assert.equal((await post(url, { action: 'stats' }, 'wrong')).status, 401);
      const ok = await post(url, { action: 'stats' }, token);
      assert.equal(ok.status, 200);
      assert.equal((ok.json.result as { connections: number }).connections, 0);
      const bad = await post(url, { action: 'nope' }, token);
      assert.deepEqual([bad.status, /Unknown simulator action/.test(bad.json.error ?? '')], [400, true]);

      const ws = new WebSocket(url.replace('http', 'ws'));
      const replies: unknown[] = [];
      const got = (n: number) => new Promise<void>((resolve) => ws.on('message', (d) => replies.push(JSON.parse(String(d))) && replies.length >= n && resolve()));
      await new Promise((r) => ws.once('open', r));
      const two = got(2);
      ws.send(JSON.stringify({ token }));
      ws.send(JSON.stringify({ id: 7, action: 'createKey', options: { name: 'via-ws' } }));
      await two;
      assert.deepEqual(replies[0], { ready: true });
      assert.equal((replies[1] as { id: number }).id, 7);
      ws.close();
      // Hostile control input gets errors, never a crash.
      for (const body of ['null', '[]', '"x"', 'not json']) {
        const r = await new Promise<number>((resolve, reject) => {
          const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end(body);
        });
        assert.equal(r, 400);
      }
      const aborted = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-length': '1000' } });
      aborted.on('error', () => undefined);
      aborted.write('{"act');
      aborted.destroy();
      const hostile = new WebSocket(url.replace('http', 'ws'));
      await new Promise((r) => hostile.once('open', r));
      const answers: unknown[] = [];
      const three = new Promise<void>((resolve) => hostile.on('message', (d) => answers.push(JSON.parse(String(d))) && answers.length === 3 && resolve()));
      hostile.send('null');
      hostile.send(JSON.stringify({ token }));
      hostile.send('[]');
      await three;
      assert.deepEqual(answers, [{ error: 'Control messages must be JSON objects' }, { ready: true }, { error: 'Control messages must be JSON objects' }]);
      hostile.close();
      assert.equal((await post(url, { action: 'stats' }, token)).status, 200, 'still serving');
      const wrong = new WebSocket(url.replace('http', 'ws'));
      await new Promise((r) => wrong.once('open', r));
      wrong.send(JSON.stringify({ token: 'nope' }));
      const closed = await new Promise<number>((r) => wrong.once('close', (code) => r(code)));
      assert.equal(closed, 1008);
    });
  });
});

describe('CLI', () => {
  function run(args: string[]) {
    const child = spawn(process.execPath, ['scripts/nas-sim.mjs', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const printed = (re: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no match for ${re} in: ${out}${err}`)), 15_000);
        const check = () => {
          const m = re.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
        };
        child.stdout.on('data', check);
        check();
      });
    return { child, exited, printed, output: () => out + err };
  }

  test('prints its URL and bootstrap credentials, serves, and exits cleanly on SIGTERM', async () => {
    const cli = run(['--profile', '24.10', '--port', '0', '--seed', 'test/fixtures/seed-example.json']);
    const [, url] = await cli.printed(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const [, key] = await cli.printed(/admin API key: (\S+)/);
    assert.match(cli.output(), /admin: truenas_admin \/ demo-admin-password/);
    const s = await RawSocket.open(url!, '/websocket');
    await s.connect();
    assert.equal((await s.call('auth.login_with_api_key', [key])).result, true);
    s.close();
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
  });

  test('bad arguments exit with a clear message', async () => {
    const bad = run(['--profile', '23.10']);
    assert.equal(await bad.exited, 2);
    assert.match(bad.output(), /Unknown profile "23\.10"\. Choose one of: 22\.02, 24\.10, 25\.04, 25\.10, 26\.0/);
    const port = run(['--port', 'eighty']);
    assert.equal(await port.exited, 2);
    assert.match(port.output(), /--port must be a number from 0 to 65535/);
    const seed = run(['--seed', 'no/such/seed.json']);
    assert.equal(await seed.exited, 1);
    assert.match(seed.output(), /Cannot start the NAS simulator: Cannot read seed file no\/such\/seed\.json/);
  });
});
