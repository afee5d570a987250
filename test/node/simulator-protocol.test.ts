/**
 * Protocol edges per profile over real sockets: endpoints, legacy handshake and ping, JSON-RPC
 * envelope checks, size limits and close codes, binary frames, the 20-in-flight limit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { RawSocket, openLoggedIn } from '../../scripts/simulator/raw-client.js';
import { withSim } from '../helpers/node-sim.js';

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('endpoints per profile', () => {
  for (const profile of ['22.02', '24.10'] as const) {
    test(`${profile}: only /websocket; /api/current upgrade is a 404`, async () => {
      await withSim({ profile }, async (sim) => {
        const s = await RawSocket.open(sim.url, '/websocket');
        s.close();
        await assert.rejects(RawSocket.open(sim.url, '/api/current'), /HTTP 404/);
        assert.equal((await httpGet(`${sim.url}/api/versions`)).status, 404);
      });
    });
  }

  test('25.04: /api/current, pinned versions, hidden v24.10, /api/versions; no boot_id', async () => {
    await withSim({ profile: '25.04' }, async (sim) => {
      for (const path of ['/websocket', '/api/current', '/api/v25.04.0', '/api/v25.04.2', '/api/v24.10']) (await RawSocket.open(sim.url, path)).close();
      await assert.rejects(RawSocket.open(sim.url, '/api/v25.10.0'), /HTTP 404/);
      await assert.rejects(RawSocket.open(sim.url, '/api/nope'), /HTTP 404/);
      const versions = await httpGet(`${sim.url}/api/versions`);
      assert.deepEqual(JSON.parse(versions.body), ['v25.04.0', 'v25.04.1', 'v25.04.2']);
      assert.equal((await httpGet(`${sim.url}/api/boot_id`)).status, 404);
    });
  });

  test('25.10 and 26.0: newer pinned versions and /api/boot_id', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const versions = JSON.parse((await httpGet(`${sim.url}/api/versions`)).body) as string[];
      assert.equal(versions.at(-1), 'v25.10.5');
      assert.ok(!versions.includes('v24.10'), 'no v24.10 endpoint on 25.10');
      const boot = await httpGet(`${sim.url}/api/boot_id`);
      assert.equal(boot.status, 200);
      assert.match(JSON.parse(boot.body) as string, /^[0-9a-f-]{36}$/);
    });
    await withSim({ profile: '26.0' }, async (sim) => {
      const versions = JSON.parse((await httpGet(`${sim.url}/api/versions`)).body) as string[];
      assert.equal(versions.at(-1), 'v26.0.0');
      // MW@TS-26.0.0-BETA.3:api/ has v25_10_0…v25_10_4 and v26_0_0, no v25_10_5.
      assert.deepEqual(versions.slice(-3), ['v25.10.3', 'v25.10.4', 'v26.0.0']);
      assert.equal((await httpGet(`${sim.url}/api/v25.10.5`)).status, 404);
      (await RawSocket.open(sim.url, '/api/v26.0.0')).close();
    });
  });
});

describe('legacy /websocket protocol', () => {
  test('everything before connect gets "failed"; a wrong version gets "failed" and the socket stays open', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      s.send({ msg: 'method', id: 'x', method: 'core.ping' });
      assert.deepEqual(await s.next(), { msg: 'failed', version: '1' });
      s.send({ msg: 'connect', version: '2', support: ['2'] });
      assert.deepEqual(await s.next(), { msg: 'failed', version: '1' });
      const ok = await s.connect();
      assert.equal(ok.msg, 'connected');
      assert.match(ok.session, /^[0-9a-f-]{36}$/);
      s.close();
    });
  });

  test('ping/pong up to 24.10 (id echoed), no reply at all from 25.04', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      s.send({ msg: 'ping', id: 'p1' });
      assert.deepEqual(await s.next(), { msg: 'pong', id: 'p1' });
      s.send({ msg: 'ping' });
      assert.deepEqual(await s.next(), { msg: 'pong' });
      s.close();
    });
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      s.send({ msg: 'ping', id: 'p1' });
      assert.ok(await s.silent(300), '25.04 sends no pong');
      s.close();
    });
  });

  test('method-name errors carry ENOMETHOD/EBADMSG with a trace; 22.02 has no errname', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      const noService = (await s.call('nosuch.thing')).error;
      assert.equal(noService.error, 201);
      assert.equal(noService.errname, 'ENOMETHOD');
      assert.equal(noService.reason, "[ENOMETHOD] Service 'nosuch' not found");
      assert.ok(noService.trace, 'the error carries a trace');
      assert.equal((await s.call('api_key.nosuch')).error.reason, "[ENOMETHOD] Method 'nosuch' not found in 'api_key'");
      const bad = (await s.call('nodot')).error;
      assert.deepEqual([bad.error, bad.reason], [74, '[EBADMSG] Invalid method name']);
      s.close();
    });
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      const err = (await s.call('api_key.nosuch')).error;
      assert.equal(err.error, 201);
      assert.ok(!('errname' in err), '22.02 errors have no errname');
      s.close();
    });
  });

  test('25.04+: non-list params, a missing method, a missing id (1011), a missing msg (1011)', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn({ ...sim, profile: '24.10' });
      s.send({ msg: 'method', id: 'p', method: 'core.ping', params: { a: 1 } });
      const p = await s.next((f) => f.id === 'p');
      assert.deepEqual([p.error.error, p.error.errname, p.error.reason, p.error.trace], [22, 'EINVAL', '`params` must be a list.', null]);
      s.send({ msg: 'method', id: 'm' });
      assert.equal((await s.next((f) => f.id === 'm')).error.reason, "Message is malformed: 'method' is absent.");
      s.send({ msg: 'method', method: 'nosuch.method' });
      assert.deepEqual(await s.closed, { code: 1011, reason: "'id'" });
      const t = await RawSocket.open(sim.url, '/websocket');
      t.send({ hello: 1 });
      assert.deepEqual(await t.closed, { code: 1011, reason: "'msg'" });
    });
  });

  test('unparsable JSON closes with 1007 and the parser text; a batch closes with 1007 (24.10+)', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      s.send('{"msg": ');
      assert.deepEqual(await s.closed, { code: 1007, reason: 'Expecting value: line 1 column 9 (char 8)' });
      const t = await RawSocket.open(sim.url, '/websocket');
      t.send('[{"msg":"connect"}]');
      assert.deepEqual(await t.closed, { code: 1007, reason: 'Batch messages are not supported at this time' });
    });
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      s.send('[1]');
      assert.deepEqual(await s.closed, { code: 1011, reason: 'list indices must be integers or slices, not str' });
    });
  });

  test('22.02: sub before login is "Not authenticated" (13); later versions say "Not authorized"', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      s.send({ msg: 'sub', id: 's1', name: 'api_key.query' });
      const r = await s.next((f) => f.id === 's1');
      assert.deepEqual([r.msg, r.error.error, r.error.reason], ['result', 13, 'Not authenticated']);
      s.close();
    });
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/websocket');
      await s.connect();
      s.send({ msg: 'sub', id: 's1', name: 'api_key.query' });
      const r = await s.next((f) => f.id === 's1');
      assert.deepEqual([r.error.error, r.error.errname, r.error.reason, r.error.trace], [13, 'EACCES', 'Not authorized', null]);
      s.close();
    });
  });
});

describe('JSON-RPC envelope (25.04+)', () => {
  test('checks in order, with exact codes and messages; no reply without an id', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/api/current');
      const send = async (frame: unknown) => {
        s.send(frame);
        return s.next();
      };
      assert.deepEqual(await send('{"jsonrpc": "2.0", "id": 1, '), {
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Expecting property name enclosed in double quotes: line 1 column 29 (char 28)' },
        id: null,
      });
      assert.deepEqual(await send('[{"jsonrpc":"2.0","id":1,"method":"core.ping"}]'), {
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Batch messages are not supported at this time' },
        id: null,
      });
      assert.deepEqual((await send('"hello"')).error, { code: -32700, message: 'Invalid Message Format' });
      assert.deepEqual(await send({ id: 1, method: 'core.ping' }), { jsonrpc: '2.0', error: { code: -32600, message: "Missing 'jsonrpc' member" }, id: 1 });
      assert.equal((await send({ jsonrpc: '1.0', id: 2, method: 'core.ping' })).error.message, "'jsonrpc' member must be of type string and must be exactly '2.0'");
      assert.deepEqual((await send({ jsonrpc: '2.0', id: 1.5, method: 'core.ping' })).error, { code: -32600, message: "'id' member must be of type null, string or number" });
      assert.equal((await send({ jsonrpc: '2.0', id: 3 })).error.message, "Missing 'method' member");
      assert.equal((await send({ jsonrpc: '2.0', id: 4, method: '' })).error.message, "'method' member must be of type string");
      assert.equal((await send({ jsonrpc: '2.0', id: 5, method: 'core.ping', params: { a: 1 } })).error.message, "'params' member must be of type array");
      assert.deepEqual(await send({ jsonrpc: '2.0', id: 6, method: 'no.such' }), { jsonrpc: '2.0', error: { code: -32601, message: 'Method does not exist' }, id: 6 });
      assert.deepEqual(await send({ jsonrpc: '2.0', id: null, method: 'core.ping' }), { jsonrpc: '2.0', result: 'pong', id: null });
      // Notifications (no id) run but get no reply, not even for errors.
      s.send({ jsonrpc: '2.0', method: 'core.ping' });
      s.send({ jsonrpc: '2.0', method: 'no.such' });
      s.send({ jsonrpc: '1.0', method: 'core.ping' });
      assert.ok(await s.silent(300), 'notifications get no reply');
      s.close();
    });
  });

  test('method-call errors: -32001 with TrueNAS data; 26.0 traces have no frames', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/api/current');
      const r = await s.rpc('api_key.query');
      assert.equal(r.error.code, -32001);
      assert.equal(r.error.message, 'Method call error');
      assert.deepEqual(Object.keys(r.error.data), ['error', 'errname', 'reason', 'trace', 'extra']);
      assert.deepEqual([r.error.data.error, r.error.data.errname, r.error.data.reason], [207, 'ENOTAUTHENTICATED', '[ENOTAUTHENTICATED] Not authenticated']);
      assert.deepEqual(Object.keys(r.error.data.trace), ['class', 'frames', 'formatted', 'repr']);
      s.close();
    });
    await withSim({ profile: '26.0' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/api/current');
      const r = await s.rpc('api_key.query');
      assert.deepEqual(Object.keys(r.error.data.trace), ['class', 'formatted', 'repr']);
      s.close();
    });
  });

  test('a method missing from a pinned API version is ENOMETHOD (-32001), not -32601', async () => {
    await withSim({ profile: '26.0' }, async (sim) => {
      for (const [path, code] of [
        ['/api/v25.10.4', -32001],
        ['/api/current', 0],
      ] as const) {
        const s = await RawSocket.open(sim.url, path);
        assert.equal((await s.rpc('auth.login_with_api_key', [sim.admin.apiKey])).result, true);
        const r = await s.rpc('api_key.convert_raw_key', [sim.admin.apiKey]);
        if (code) assert.deepEqual([r.error.code, r.error.data.error], [code, 201]);
        else assert.equal(r.result.api_key_id, 1);
        s.close();
      }
    });
  });
});

describe('size limits and frame types', () => {
  test('anonymous frames over 8192 characters close with 1007 (every profile)', async () => {
    for (const [profile, path] of [
      ['22.02', '/websocket'],
      ['25.10', '/api/current'],
    ] as const) {
      await withSim({ profile }, async (sim) => {
        const s = await RawSocket.open(sim.url, path);
        s.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'core.ping', params: ['x'.repeat(8200)] }));
        assert.deepEqual(await s.closed, { code: 1007, reason: 'Anonymous connection max message length is 8 kB' });
      });
    }
  });

  test('authenticated frames over 64 KiB close with 1009 from 24.10; 22.02 has no limit', async () => {
    const big = 'x'.repeat(70_000);
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      s.send({ jsonrpc: '2.0', id: 9, method: 'core.ping', params: [big] });
      assert.deepEqual(await s.closed, { code: 1009, reason: 'Max message length is 64 kB' });
    });
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      s.send({ msg: 'method', id: 'b', method: 'core.ping', params: [big] });
      assert.deepEqual(await s.closed, { code: 1009, reason: 'Max message length is 64 kB' });
    });
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const r = await s.call('core.ping', [big]);
      assert.ok(r.error, 'a big frame is processed (and core.ping refuses the extra argument)');
      s.close();
    });
  });

  test('binary frames close with 1003', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/api/current');
      s.ws.send(Buffer.from('{"jsonrpc":"2.0"}'), { binary: true });
      assert.deepEqual(await s.closed, { code: 1003, reason: 'Invalid websocket message type: <WSMsgType.BINARY: 2>' });
    });
  });

  test('nesting beyond the recursion limit ends the connection with 1011', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await RawSocket.open(sim.url, '/api/current');
      s.send('['.repeat(2000) + ']'.repeat(2000));
      const closed = await s.closed;
      assert.equal(closed.code, 1011);
      assert.match(closed.reason, /maximum recursion depth exceeded/);
    });
  });
});

describe('concurrency: 10 running, 20 in flight', () => {
  test('JSON-RPC: the 21st call in flight gets -32000; the first 20 complete', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      await sim.command('delay', { ms: 300, method: 'core.ping' });
      const replies = Array.from({ length: 21 }, () => s.rpc('core.ping'));
      const all = await Promise.all(replies);
      const refused = all.filter((r) => r.error);
      assert.equal(refused.length, 1);
      assert.deepEqual(refused[0].error, { code: -32000, message: 'Maximum number of concurrent calls (20) has exceeded' });
      assert.equal(all.filter((r) => r.result === 'pong').length, 20);
      s.close();
    });
  });

  test('legacy: the 21st gets ETOOMANYREFS with the trailing dot', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      await sim.command('delay', { ms: 300, method: 'core.ping' });
      const all = await Promise.all(Array.from({ length: 21 }, () => s.call('core.ping')));
      const refused = all.filter((r) => r.error);
      assert.equal(refused.length, 1);
      assert.deepEqual(refused[0].error, {
        error: 109,
        errname: 'ETOOMANYREFS',
        type: null,
        reason: 'Maximum number of concurrent calls (20) has exceeded.',
        trace: null,
        extra: null,
      });
      s.close();
    });
  });

  test('only 10 calls run at once; the rest wait their turn', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      await sim.command('delay', { ms: 1000, method: 'core.ping' });
      const pending = Array.from({ length: 15 }, () => s.rpc('core.ping'));
      let stats = (await sim.command('stats')) as { inFlight: number; running: number };
      for (let i = 0; i < 50 && stats.inFlight < 15; i++) {
        await new Promise((r) => setTimeout(r, 10));
        stats = (await sim.command('stats')) as typeof stats;
      }
      assert.deepEqual([stats.inFlight, stats.running], [15, 10]);
      await Promise.all(pending);
      s.close();
    });
  });
});
