/**
 * Fuzz: a hostile server (the peer under attack, our own ws server) answers the client's calls
 * with thousands of malformed, truncated, oversized and type-confused frames, unsolicited events,
 * binary frames, wrong ids and abrupt closes. The client must never crash or hang, and every call
 * must settle with a value or a TrueNasError.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { LoginLimiter, TrueNasClient, TrueNasError } from '../../components/client/index.js';
import { mulberry32, pick } from '../helpers/random.js';

const WEIRD_VALUES: unknown[] = [
  null, true, false, 0, -1, 1e308, NaN, '', 'x', [], [[]], {}, { $date: 'soon' }, { __proto__: { polluted: 1 } },
  { constructor: { prototype: {} } }, '\u0000\uffff', [1, 2, 3], { id: {} }, Symbol.for('x').toString(),
];

/** One hostile frame (or null to send nothing), given the request it "answers". */
function hostileFrame(r: () => number, legacy: boolean, id: unknown): string | Buffer | null {
  const weird = () => pick(r, WEIRD_VALUES);
  const choices: (() => string | Buffer | null)[] = [
    () => '{"jsonrpc":"2.0","result":', // truncated
    () => JSON.stringify({ jsonrpc: '2.0', id, result: 'pong' }).slice(0, Math.floor(r() * 30)),
    () => 'not json at all \u0000',
    () => '',
    () => 'null',
    () => '[1,2,3]',
    () => '"a string frame"',
    () => '12345',
    () => Buffer.from([0xff, 0x00, 0x12]),
    () => JSON.stringify({ jsonrpc: '2.0', id: weird(), result: weird() }),
    () => JSON.stringify({ jsonrpc: '2.0', id, error: weird() }),
    () => JSON.stringify({ jsonrpc: '2.0', id, error: { code: weird(), message: weird(), data: weird() } }),
    () => JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32602, message: 'Invalid params', data: { error: weird(), extra: [[weird(), weird(), weird()], weird()] } } }),
    () => JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32001, data: { error: 16, reason: weird() } } }),
    () => JSON.stringify({ jsonrpc: '2.0', id }), // neither result nor error
    () => JSON.stringify({ jsonrpc: '2.0', method: 'collection_update', params: weird() }),
    () => JSON.stringify({ jsonrpc: '2.0', method: 'collection_update', params: { msg: pick(r, ['added', 'changed', 'removed', 'x']), collection: 'api_key.query', id: weird(), fields: weird() } }),
    () => JSON.stringify({ jsonrpc: '2.0', method: 'notify_unsubscribed', params: { collection: weird() } }),
    () => JSON.stringify({ msg: 'result', id, error: weird() }),
    () => JSON.stringify({ msg: 'result', id, error: { error: weird(), type: 'VALIDATION', extra: weird(), reason: weird() } }),
    () => JSON.stringify({ msg: 'result', id: weird(), result: weird() }),
    () => JSON.stringify({ msg: 'ready', subs: weird() }),
    () => JSON.stringify({ msg: 'ready', subs: [id, weird()] }),
    () => JSON.stringify({ msg: pick(r, ['added', 'changed', 'removed']), collection: weird(), id: weird(), fields: weird() }),
    () => JSON.stringify({ msg: 'nosub', collection: weird() }),
    () => JSON.stringify({ msg: 'pong', id: weird() }),
    () => JSON.stringify({ msg: weird(), id }),
    () => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":"${'x'.repeat(70_000 + Math.floor(r() * 200_000))}"}`, // oversized
    () => '{'.repeat(5000) + '}'.repeat(4999), // deeply nested, truncated
    () => JSON.stringify({ jsonrpc: '2.0', id, result: { response_type: weird(), urls: weird() } }),
    () => null,
  ];
  const frame = pick(r, choices)();
  if (typeof frame === 'string' && legacy && r() < 0.5) return frame.replace('"jsonrpc":"2.0",', '"msg":"result",');
  return frame;
}

async function hostileServer(seed: number) {
  const r = mulberry32(seed);
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  let framesSent = 0;
  wss.on('connection', (socket, req) => {
    const legacy = req.url === '/websocket';
    const send = (frame: string | Buffer | null) => {
      if (frame === null || socket.readyState !== WebSocket.OPEN) return;
      framesSent++;
      socket.send(frame);
    };
    // Unsolicited noise.
    const noise = setInterval(() => send(hostileFrame(r, legacy, null)), 5);
    socket.on('close', () => clearInterval(noise));
    socket.on('message', (data) => {
      let request: Record<string, unknown> = {};
      try {
        request = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        // the client never sends bad JSON; ignore
      }
      if (legacy && request.msg === 'connect') {
        send(r() < 0.9 ? JSON.stringify({ msg: 'connected', session: 'x' }) : hostileFrame(r, legacy, null));
        return;
      }
      const id = request.id;
      const junk = 1 + Math.floor(r() * 3);
      for (let i = 0; i < junk; i++) send(hostileFrame(r, legacy, id));
      const roll = r();
      if (roll < 0.55) {
        send(legacy ? JSON.stringify({ msg: 'result', id, result: 'pong' }) : JSON.stringify({ jsonrpc: '2.0', id, result: 'pong' }));
      } else if (roll < 0.7) {
        send(hostileFrame(r, legacy, id));
      } else if (roll < 0.73) {
        const code = pick(r, [1000, 1001, 1007, 1008, 1009, 1011, 3000, 4999]);
        if (r() < 0.5) socket.close(code, 'fuzz');
        else socket.terminate();
      } // else: never answer
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get framesSent() {
      return framesSent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}

for (const protocol of ['jsonrpc', 'legacy'] as const) {
  test(`fuzz (${protocol}): thousands of hostile frames; the client never crashes or hangs and every call settles`, { timeout: 120_000 }, async (t) => {
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const seed = protocol === 'jsonrpc' ? 0xc0ffee : 0xbadf00d;
    const server = await hostileServer(seed);
    const client = new TrueNasClient({
      url: server.url,
      protocol,
      WebSocket,
      callTimeoutMs: 250,
      connectTimeoutMs: 500,
      maxIncomingFrame: 64 * 1024,
      reconnect: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 1000 },
      loginLimiter: new LoginLimiter({ maxAttempts: 1000 }),
      random: mulberry32(seed + 1),
    });
    const sub = client.apiKeys.subscribe(() => undefined).catch((e: unknown) => e);
    let ok = 0;
    let failed = 0;
    const foreign: unknown[] = [];
    try {
      const TOTAL = 3000;
      const started = Date.now();
      // Waves of calls so reconnects happen in between.
      for (let wave = 0; wave < TOTAL / 100; wave++) {
        const calls = Array.from({ length: 100 }, (_, i) =>
          (i % 10 === 0 ? client.apiKeys.query() : i % 10 === 1 ? client.system.ping() : client.call('core.ping')).then(
            () => ok++,
            (error: unknown) => {
              failed++;
              if (!(error instanceof TrueNasError)) foreign.push(error);
            },
          ),
        );
        await Promise.all(calls);
      }
      const elapsed = Date.now() - started;
      assert.equal(ok + failed, TOTAL, 'every call settled');
      t.diagnostic(`ok ${ok}, failed ${failed}, frames ${server.framesSent}, ${elapsed} ms`);
      assert.ok(server.framesSent > 2000, `the server sent thousands of frames (${server.framesSent})`);
      assert.deepEqual(foreign.map(String).slice(0, 3), [], 'every failure is a typed TrueNasError');
      assert.ok(ok > 0 && failed > 0, `both outcomes occurred (ok ${ok}, failed ${failed})`);
      assert.ok(elapsed < 100_000, 'no hang');
      const s = await sub;
      if (s instanceof Error) assert.ok(s instanceof TrueNasError, `subscribe failed with a typed error: ${String(s)}`);
    } finally {
      await client.close();
      await server.close();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    }
    assert.deepEqual(crashes.map(String), [], 'no uncaught exception or unhandled rejection');
    // After close, nothing is pending and new calls fail fast.
    await assert.rejects(client.call('core.ping'), (e: unknown) => e instanceof TrueNasError && e.code === 'client_closed');
  });
}
