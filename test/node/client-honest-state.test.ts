/**
 * Honest state (issue 10): the client's connection state as events, and fail-fast errors, against
 * the NAS simulator over real sockets. A refused connect, a NAS that goes down mid-session, a
 * dropped socket under a pending change and a reconnect that hangs each fail the waiting calls in
 * seconds (measured), with messages that name no method.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import { startSimulator, type ProfileName, type RunningSimulator } from '../../scripts/simulator/index.js';
import {
  ConnectionClosedError,
  LoginLimiter,
  MethodNotFoundError,
  RequestTooLargeError,
  TimeoutError,
  TransportError,
  TrueNasClient,
  UnreachableError,
  type ClientOptions,
  type Credentials,
  type PublicConnectionState,
} from '../../components/client/index.js';
import { createTrueNasService } from '../../components/client/service.js';
import { deadAddress } from '../e2e/helpers/nas.js';

/** Internal method names never reach a person. */
const METHOD_NAME = /\b(system|api_key|auth|core|user)\.[a-z_]+/;

function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`Timed out waiting for ${what}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

/** Runs `promise` to its rejection and returns the error with how long it took. */
async function timedFailure(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to fail');
}

for (const profile of ['25.10', '24.10'] as ProfileName[]) {
  describe(`honest state against the ${profile} simulator`, () => {
    let sim: RunningSimulator;
    const clients: TrueNasClient[] = [];
    const limiter = new LoginLimiter({ maxAttempts: 10_000 });
    const userLinked = profile !== '24.10';

    const client = (options: Partial<ClientOptions> = {}) => {
      const c = new TrueNasClient({ url: sim.url, WebSocket, loginLimiter: limiter, ...options });
      clients.push(c);
      return c;
    };
    const adminKey = (target = sim): Credentials => ({ type: 'apiKey', key: target.admin.apiKey, username: target.admin.username });
    const record = (c: TrueNasClient) => {
      const states: PublicConnectionState[] = [c.connection];
      c.on('connection', ({ state }) => states.push(state));
      return states;
    };

    before(async () => {
      sim = await startSimulator({ profile, port: 0, loginDelay: false });
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    });
    beforeEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await sim.command('reset');
    });

    test('connection state: connecting, signed in, reconnecting after a drop and back, without anything waiting', async () => {
      const c = client({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
      const states = record(c);
      await c.login(adminKey());
      assert.deepEqual(states, ['connecting', 'signed-in']);
      // No subscription and no call: a signed-in session still comes back by itself.
      await sim.command('drop');
      await until(() => states.at(-1) === 'signed-in' && states.includes('reconnecting'), 5000, 'back after the drop');
      assert.deepEqual(states.slice(2), ['reconnecting', 'signed-in']);
      assert.ok((await c.apiKeys.count()) > 0);
      // A restart (new boot) too.
      await sim.command('restart');
      await until(() => states.filter((s) => s === 'reconnecting').length === 2 && states.at(-1) === 'signed-in', 10_000, 'back after the restart');
      await c.close();
      assert.equal(c.connection, 'offline');
    });

    test('the service reports the state through watchConnection: current state first, then changes, until unsubscribed', async () => {
      const c = client({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
      await c.login(adminKey());
      const service = createTrueNasService(c);
      const seen: string[] = [];
      const stop = service.watchConnection!((state) => seen.push(state));
      assert.deepEqual(seen, ['signed-in']);
      await sim.command('close', { code: 1011, reason: 'server error' });
      await until(() => seen.length >= 3, 5000, 'reconnected');
      assert.deepEqual(seen, ['signed-in', 'reconnecting', 'signed-in']);
      stop();
      await sim.command('drop');
      await until(() => c.connection === 'reconnecting' || c.connection === 'signed-in', 2000, 'drop seen');
      assert.equal(seen.length, 3, 'no calls after unsubscribing');
    });

    test('a refused connect fails in well under the call timeout and reads as offline', async (t) => {
      const c = new TrueNasClient({ url: await deadAddress(), WebSocket, loginLimiter: limiter });
      clients.push(c);
      const states = record(c);
      const { error, ms } = await timedFailure(c.login(adminKey()));
      assert.ok(error instanceof TransportError, String(error));
      assert.ok(ms < 2000, `refused connect took ${ms} ms`);
      t.diagnostic(`refused connect: ${ms} ms`);
      assert.equal(c.connection, 'offline');
      assert.deepEqual(states, ['connecting', 'offline']);
      // A call on a client that cannot connect fails as fast, with the clear "cannot reach" text.
      const call = await timedFailure(c.apiKeys.count());
      assert.ok(call.error instanceof TransportError, String(call.error));
      assert.ok(call.ms < 2000, `call on a dead address took ${call.ms} ms`);
    });

    test('NAS down mid-session: queued reads and changes (even with a 2-minute timeout) fail within seconds; nothing was sent', async (t) => {
      const own = await startSimulator({ profile, port: 0, loginDelay: false });
      const c = new TrueNasClient({ url: own.url, WebSocket, loginLimiter: limiter, reconnect: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 3 } });
      clients.push(c);
      try {
        await c.login(adminKey(own));
        await c.capabilities();
        await own.close();
        await until(() => c.connection !== 'signed-in', 3000, 'the drop to be seen');
        const failures = await Promise.all([
          timedFailure(c.capabilities()),
          timedFailure(c.apiKeys.create(userLinked ? { name: 'while-down', username: own.admin.username } : { name: 'while-down' }, { timeoutMs: 120_000 })),
          timedFailure(c.apiKeys.update(1, { name: 'renamed' })),
        ]);
        for (const { error, ms } of failures) {
          assert.ok(error instanceof UnreachableError && error.why === 'unreachable' && error.sent === false, String(error));
          assert.ok(ms < 5000, `failed after ${ms} ms`);
          t.diagnostic(`time to error: ${ms} ms`);
          assert.doesNotMatch((error as Error).message, METHOD_NAME);
          assert.match((error as Error).message, /Cannot reach the NAS/);
        }
        assert.ok(['reconnecting', 'offline'].includes(c.connection), c.connection);
        await until(() => c.connection === 'offline', 10_000, 'offline once the attempts are spent');
      } finally {
        await own.close().catch(() => undefined);
      }
    });

    test('a dropped socket fails a pending change at once, though its timeout is 2 minutes; the message says it may have happened', async (t) => {
      const c = client({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
      await c.login(adminKey());
      await c.capabilities();
      await sim.command('delay', { ms: 3000, method: 'api_key.create' });
      const pending = timedFailure(c.apiKeys.create(userLinked ? { name: 'in-flight', username: sim.admin.username } : { name: 'in-flight' }, { timeoutMs: 120_000 }));
      await until(() => c.load.inFlight === 1, 2000, 'the create on the wire');
      await sim.command('drop');
      const { error, ms } = await pending;
      assert.ok(error instanceof ConnectionClosedError && error.retryable === false, String(error));
      assert.ok(ms < 2000, `took ${ms} ms`);
      t.diagnostic(`pending change after the drop: ${ms} ms`);
      assert.match((error as Error).message, /may or may not/);
      await sim.command('delay', { ms: 0 });
    });

    test('a reconnect that hangs: a waiting call fails after offlineTimeoutMs, not its call timeout', async () => {
      // A TCP server that accepts and never answers the WebSocket handshake: a NAS that hangs.
      const hung = net.createServer(() => undefined);
      const sockets = new Set<net.Socket>();
      hung.on('connection', (s) => sockets.add(s));
      await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
      const hungUrl = `ws://127.0.0.1:${(hung.address() as net.AddressInfo).port}`;
      let down = false;
      const c = client({
        createWebSocket: (url) => new WebSocket(down ? url.replace(/^ws:\/\/[^/]+/, hungUrl) : url),
        reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
        connectTimeoutMs: 8000,
        offlineTimeoutMs: 1500,
        callTimeoutMs: 30_000,
      });
      try {
        await c.login(adminKey());
        down = true;
        await sim.command('drop');
        await until(() => c.connection === 'reconnecting', 2000, 'reconnecting');
        const { error, ms } = await timedFailure(c.apiKeys.count());
        assert.ok(error instanceof UnreachableError && error.why === 'not-back', String(error));
        assert.ok(ms >= 1000 && ms < 4000, `took ${ms} ms`);
        assert.match((error as Error).message, /not back yet; nothing was sent/);
        // The NAS answers again: the client comes back and calls work.
        down = false;
        for (const s of sockets) s.destroy();
        await until(() => c.connection === 'signed-in', 15_000, 'signed in again');
        assert.ok((await c.apiKeys.count()) > 0);
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise((resolve) => hung.close(resolve));
      }
    });

    test('an unanswered call times out with a message that names no method; a change says it may still happen', async () => {
      const c = client();
      await c.login(adminKey());
      await c.capabilities();
      await sim.command('delay', { ms: 600 });
      const read = await timedFailure(c.apiKeys.query([], {}, { timeoutMs: 150 }));
      assert.ok(read.error instanceof TimeoutError && read.error.retryable, String(read.error));
      assert.doesNotMatch((read.error as Error).message, METHOD_NAME);
      assert.match((read.error as Error).message, /did not answer within 0\.2 s\.$/);
      const change = await timedFailure(c.apiKeys.update(1, { name: 'slow' }, { timeoutMs: 150 }));
      assert.ok(change.error instanceof TimeoutError && !change.error.retryable, String(change.error));
      assert.doesNotMatch((change.error as Error).message, METHOD_NAME);
      assert.match((change.error as Error).message, /may still carry out the change/);
      await sim.command('delay', { ms: 0 });
    });
  });
}

test('library messages people read name no internal method', () => {
  const init = { method: 'api_key.update', errno: 201, errname: 'ENOMETHOD', reason: '', rpcCode: -32601, extra: null };
  const messages = [
    new TimeoutError('system.version', 30_000).message,
    new TimeoutError('api_key.create', 120_000, false).message,
    new MethodNotFoundError(init).message,
    new RequestTooLargeError('auth.login_with_api_key', 8192).message,
    new UnreachableError('nas.local', 'wss://nas.local/api/current', 'unreachable').message,
    new UnreachableError('nas.local', 'wss://nas.local/api/current', 'not-back').message,
  ];
  for (const message of messages) assert.doesNotMatch(message, METHOD_NAME);
  assert.doesNotMatch(messages.join(' '), /did not accept/);
});

test('a host that accepts TCP but never answers fails after one connect timeout, not one per protocol', async (t) => {
  const hung = net.createServer(() => undefined);
  const sockets = new Set<net.Socket>();
  hung.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const c = new TrueNasClient({ url: `ws://127.0.0.1:${(hung.address() as net.AddressInfo).port}`, WebSocket, connectTimeoutMs: 1000, loginLimiter: new LoginLimiter({ maxAttempts: 100 }) });
  try {
    const { error, ms } = await timedFailure(c.login({ type: 'apiKey', key: `1-${'a'.repeat(64)}` }));
    assert.ok(error instanceof TransportError, String(error));
    assert.ok(ms >= 900 && ms < 1800, `took ${ms} ms (the legacy endpoint was not tried after the timeout)`);
    t.diagnostic(`hung host: ${ms} ms with a 1 s connect timeout`);
    assert.equal(c.connection, 'offline');
  } finally {
    await c.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => hung.close(resolve));
  }
});
