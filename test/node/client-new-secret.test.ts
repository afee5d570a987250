/**
 * A create or reset has already replaced the key on the NAS when its answer arrives: the new
 * secret must reach the caller whatever else is odd about that answer. A proxy between the client
 * and the simulator (real sockets both ways) rewrites the answers to create/reset and, where asked,
 * to the read-back.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { startSimulator, type RunningSimulator } from '../../scripts/simulator/index.js';
import { LoginLimiter, ProtocolError, TrueNasClient } from '../../components/client/index.js';

type Rewrite = (result: Record<string, unknown>) => unknown;

/** Forwards every frame; replies to the named methods go through `rewrites` first. */
class RewritingProxy {
  readonly rewrites = new Map<string, Rewrite>();
  /** Methods whose replies become a JSON-RPC error. */
  readonly failing = new Set<string>();
  #server: Server;
  #wss: WebSocketServer;

  constructor(upstream: string) {
    this.#server = createServer();
    this.#wss = new WebSocketServer({ server: this.#server });
    this.#wss.on('connection', (down, request) => {
      const up = new WebSocket(upstream.replace(/^http/, 'ws') + (request.url ?? '/'));
      const methods = new Map<unknown, string>();
      const queued: string[] = [];
      up.on('open', () => queued.splice(0).forEach((frame) => up.send(frame)));
      down.on('message', (data) => {
        const frame = String(data);
        const message = JSON.parse(frame) as { id?: unknown; method?: unknown };
        if (typeof message.method === 'string') methods.set(message.id, message.method);
        if (up.readyState === WebSocket.OPEN) up.send(frame);
        else queued.push(frame);
      });
      up.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: unknown; result?: unknown; error?: unknown };
        const method = methods.get(message.id);
        if (method && this.failing.has(method)) {
          down.send(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32001, message: 'Method call error', data: { error: 14, errname: 'EFAULT', reason: 'read-back refused by the test' } } }));
          return;
        }
        const rewrite = method ? this.rewrites.get(method) : undefined;
        if (rewrite && typeof message.result === 'object' && message.result !== null) message.result = rewrite(message.result as Record<string, unknown>);
        down.send(JSON.stringify(message));
      });
      down.on('close', () => up.close());
      up.on('close', () => down.close());
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

describe('a new key reaches the caller whatever else is odd about the answer (25.10)', () => {
  let sim: RunningSimulator;
  let proxy: RewritingProxy;
  let url: string;
  const clients: TrueNasClient[] = [];
  const limiter = new LoginLimiter({ maxAttempts: 10_000 });

  const admin = async () => {
    const client = new TrueNasClient({ url, WebSocket, loginLimiter: limiter, callTimeoutMs: 5000 });
    clients.push(client);
    await client.login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
    return client;
  };

  before(async () => {
    sim = await startSimulator({ profile: '25.10', port: 0, loginDelay: false });
    proxy = new RewritingProxy(sim.url);
    url = await proxy.listen();
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy.close();
    await sim.close();
  });
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    proxy.rewrites.clear();
    proxy.failing.clear();
    await sim.command('reset');
  });

  test('a secret in an unfamiliar format is passed on as received', async () => {
    const future = `v2.${'Ab9_-'.repeat(20)}`;
    proxy.rewrites.set('api_key.create', (result) => ({ ...result, key: future }));
    const client = await admin();
    const created = await client.apiKeys.create({ name: 'future-format', username: sim.admin.username });
    assert.equal(created.secret, future);
    assert.equal(created.key.name, 'future-format');
  });

  test('an unreadable entry is read back by the id in the secret', async () => {
    proxy.rewrites.set('api_key.create', (result) => ({ key: result.key, id: 'not-a-number' }));
    const client = await admin();
    const created = await client.apiKeys.create({ name: 'read-back', username: sim.admin.username });
    assert.match(created.secret, /^\d+-[A-Za-z0-9]{64}$/);
    assert.equal(created.key.name, 'read-back', 'the entry as read back from the NAS');
    assert.equal(created.key.username, sim.admin.username);
    assert.equal(String(created.key.id), created.secret.split('-')[0]);
  });

  test('a reset whose entry and read-back both fail still hands over the secret, with the id it knows', async () => {
    const client = await admin();
    const { key } = await client.apiKeys.create({ name: 'to-reset', username: sim.admin.username });
    proxy.rewrites.set('api_key.update', (result) => ({ key: result.key }));
    proxy.failing.add('api_key.get_instance');
    const fresh = await client.apiKeys.reset(key.id);
    assert.match(fresh.secret, new RegExp(`^${key.id}-[A-Za-z0-9]{64}$`));
    assert.equal(fresh.key.id, key.id);
    // The NAS really made it: the new secret signs in.
    const other = new TrueNasClient({ url: sim.url, WebSocket, loginLimiter: limiter, callTimeoutMs: 5000 });
    clients.push(other);
    await other.login({ type: 'apiKey', key: fresh.secret, username: sim.admin.username });
    assert.equal(other.state, 'authenticated');
  });

  test('an answer without a usable secret is a clear protocol error, and the key it made is removed', async () => {
    for (const bad of [undefined, '', 'short', 'has a space in it', `control\u0007${'x'.repeat(40)}`, 'x'.repeat(5000), 42]) {
      proxy.rewrites.set('api_key.create', (result) => ({ ...result, key: bad }));
      const client = await admin();
      await assert.rejects(client.apiKeys.create({ name: `bad-${String(bad).length}`, username: sim.admin.username }), (error: unknown) => {
        assert.ok(error instanceof ProtocolError, `${String(bad).slice(0, 20)}: ${String(error)}`);
        assert.equal(error.message, 'The NAS did not return the new API key in a form that can be shown.');
        return true;
      });
      // The key made for that answer is removed again: nothing is left behind that nobody can use.
      assert.deepEqual((await client.apiKeys.query()).map((k) => k.name).filter((name) => name.startsWith('bad-')), []);
    }
  });
});
