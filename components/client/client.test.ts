/**
 * The connection library in real Chromium: the browser's own WebSocket and WebCrypto against the
 * NAS simulator (run in Node by the test runner), in every profile.
 */
import { expect } from '@open-wc/testing';
import { simCommand, startSim, stopSim, type SimInfo } from '../../test/helpers/sim.js';
import type { KeyChange } from '../model/api-key.js';
import {
  ConnectionClosedError,
  CredentialExpiredError,
  InsecureTransportError,
  LoginLimiter,
  TimeoutError,
  TransportError,
  TrueNasClient,
  ValidationError,
  type ClientOptions,
  type Credentials,
} from './index.js';

interface Sim extends SimInfo {
  admin: { username: string; password: string; apiKey: string };
  users: { username: string; password: string; otpSecret?: string }[];
}

const PROFILES = ['22.02', '24.10', '25.04', '25.10', '26.0'] as const;
const N = { '22.02': 2202, '24.10': 2410, '25.04': 2504, '25.10': 2510, '26.0': 2600 } as const;
const limiter = new LoginLimiter({ maxAttempts: 10_000 });

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The running suite's simulator (see {@link simPerSuite}). */
let sim: Sim;
const clients: TrueNasClient[] = [];

/** Starts a simulator for the calling suite; closes its clients and resets the NAS after every test. */
function simPerSuite(profile: string): void {
  before(async () => {
    sim = (await startSim({ profile, loginDelay: false })) as Sim;
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stopSim(sim);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await simCommand(sim, 'reset');
  });
}

/** A client of the suite's simulator, closed after the test. */
function makeClient(options: Partial<ClientOptions> = {}): TrueNasClient {
  const client = new TrueNasClient({ url: sim.url, loginLimiter: limiter, callTimeoutMs: 5000, ...options });
  clients.push(client);
  return client;
}

const adminKey = (sim: Sim): Credentials => ({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });

for (const profile of PROFILES) {
  const n = N[profile];
  const userLinked = n >= 2504;

  describe(`TrueNasClient in the browser against ${profile}`, function () {
    this.timeout(20_000);
    simPerSuite(profile);

    it('detects the protocol, signs in with the era’s mechanism and reads capabilities', async () => {
      const client = makeClient();
      const outcome = await client.login(adminKey(sim));
      expect(outcome.type).to.equal('SUCCESS');
      if (outcome.type === 'SUCCESS') expect(outcome.mechanism).to.equal(n >= 2600 ? 'SCRAM' : userLinked ? 'API_KEY_PLAIN' : 'LEGACY');
      expect(client.protocol).to.equal(userLinked ? 'jsonrpc' : 'legacy');
      const caps = await client.capabilities();
      expect(caps.userLinkedKeys).to.equal(userLinked);
      expect(caps.scram).to.equal(n >= 2600);
      expect(caps.revokedReason).to.equal(n >= 2510);
      const keys = await client.apiKeys.query([], { order_by: ['name'] });
      expect(keys.length).to.be.greaterThan(3);
      expect(keys.map((k) => k.name)).to.deep.equal([...keys.map((k) => k.name)].sort());
    });

    it('create, rename, reset and delete arrive as live KeyChange events without secrets', async () => {
      const watcher = makeClient();
      await watcher.login(adminKey(sim));
      const changes: KeyChange[] = [];
      await watcher.apiKeys.subscribe((change) => changes.push(change));
      const actor = makeClient();
      await actor.login(adminKey(sim));
      const created = await actor.apiKeys.create(userLinked ? { name: 'browser-key', username: 'ro_admin', expiresAt: Date.now() + 86_400_000 } : { name: 'browser-key' });
      expect(created.secret).to.match(/^\d+-[A-Za-z0-9]{64}$/);
      await until(() => changes.some((c) => c.type === 'added'), 'added');
      await actor.apiKeys.update(created.key.id, { name: 'browser-key-2' });
      await until(() => changes.some((c) => c.type === 'changed' && c.key.name === 'browser-key-2'), 'changed');
      const reset = await actor.apiKeys.reset(created.key.id);
      expect(reset.secret).to.not.equal(created.secret);
      await actor.apiKeys.delete(created.key.id);
      await until(() => changes.some((c) => c.type === 'removed'), 'removed');
      const text = JSON.stringify(changes);
      expect(text).to.not.include(created.secret.slice(-64));
      expect(text).to.not.include(reset.secret.slice(-64));
      const dup = await actor.apiKeys.create(userLinked ? { name: 'ci-backup', username: 'ro_admin' } : { name: 'ci-backup' }).catch((e: unknown) => e);
      expect(dup).to.be.instanceOf(ValidationError);
      expect((dup as ValidationError).fieldErrors[0]!.field).to.equal('name');
    });

    it('reconnects after the NAS drops the socket, signs in again and resubscribes', async () => {
      const client = makeClient({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
      await client.login(adminKey(sim));
      const changes: KeyChange[] = [];
      await client.apiKeys.subscribe((change) => changes.push(change));
      let reconnected = 0;
      client.on('reconnected', () => reconnected++);
      await simCommand(sim, 'drop');
      await until(() => reconnected === 1 && client.state === 'authenticated', 'reconnected');
      const actor = makeClient();
      await actor.login(adminKey(sim));
      await actor.apiKeys.create(userLinked ? { name: 'post-drop', username: 'ro_admin' } : { name: 'post-drop' });
      await until(() => changes.some((c) => c.type === 'added' && c.key.name === 'post-drop'), 'event after reconnect');
    });

    it('settles pending calls with typed errors when the NAS closes the socket', async () => {
      const client = makeClient({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
      await client.login(adminKey(sim));
      await client.capabilities();
      // Not the bootstrap key (id 1) this client signs in with.
      const victim = (await client.apiKeys.get([['name', '=', 'ci-backup']])).id;
      await simCommand(sim, 'delay', { ms: 800 });
      const read = client.apiKeys.count().catch((e: unknown) => e);
      const write = client.apiKeys.delete(victim).catch((e: unknown) => e);
      await until(() => client.load.inFlight === 2, 'two calls in flight');
      await simCommand(sim, 'close', { code: 4000, reason: 'maintenance' });
      const [r, w] = (await Promise.all([read, write])) as ConnectionClosedError[];
      expect(r).to.be.instanceOf(ConnectionClosedError);
      expect(r!.retryable).to.equal(true);
      expect(r!.closeCode).to.equal(4000);
      expect(w).to.be.instanceOf(ConnectionClosedError);
      expect(w!.retryable).to.equal(false);
      await simCommand(sim, 'delay', { ms: 0 });
      // The NAS may still run the delete it had started: wait until it has nothing running, so it cannot leak into later tests.
      for (let started = Date.now(); ; await new Promise((r) => setTimeout(r, 20))) {
        const stats = await simCommand<{ inFlight: number; running: number }>(sim, 'stats');
        if (stats.inFlight === 0 && stats.running === 0) break;
        if (Date.now() - started > 5000) throw new Error(`the NAS still runs calls: ${JSON.stringify(stats)}`);
      }
      expect(await client.apiKeys.count()).to.be.greaterThan(0);
    });
  });
}

describe('TrueNasClient in the browser: security and limits (25.10)', function () {
  this.timeout(20_000);
  simPerSuite('25.10');

  it('refuses a plain API key and a password to a non-loopback host over ws://', async () => {
    const remote = () =>
      makeClient({ url: `http://nas.example.test:${sim.port}`, createWebSocket: (url) => new WebSocket(url.replace('nas.example.test', '127.0.0.1')) });
    let error: unknown = await remote().login(adminKey(sim)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InsecureTransportError);
    expect((error as Error).message).to.include('25.04').and.include('revoke').and.not.include(sim.admin.apiKey);
    error = await remote().login({ type: 'password', username: sim.admin.username, password: sim.admin.password }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InsecureTransportError);
    expect((error as Error).message).to.not.include(sim.admin.password);
    // The key was never sent: it still works.
    expect((await makeClient().login(adminKey(sim))).type).to.equal('SUCCESS');
  });

  it('an insecure connection revokes the key (EXPIRED); a reset recovers it', async () => {
    const fixture = await simCommand<{ id: number; key: string }>(sim, 'createKey', { name: 'exposed', username: sim.admin.username });
    await simCommand(sim, 'setInsecure', { insecure: true });
    const error = await makeClient().login({ type: 'apiKey', key: fixture.key, username: sim.admin.username }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CredentialExpiredError);
    await simCommand(sim, 'setInsecure', { insecure: false });
    const admin = makeClient();
    await admin.login(adminKey(sim));
    const revoked = await admin.apiKeys.getInstance(fixture.id);
    expect(revoked.revoked).to.equal(true);
    expect(revoked.revokedReason).to.equal('Attempt to use over an insecure transport');
    const reset = await admin.apiKeys.reset(fixture.id);
    expect(reset.key.revoked).to.equal(false);
    expect((await makeClient().login({ type: 'apiKey', key: reset.secret, username: sim.admin.username })).type).to.equal('SUCCESS');
  });

  it('password sign-in with the one-time-code step', async () => {
    const user = sim.users.find((u) => u.otpSecret)!;
    const client = makeClient();
    const first = await client.login({ type: 'password', username: user.username, password: user.password, allowInsecureTransport: true });
    expect(first.type).to.equal('OTP_REQUIRED');
    const { code } = await simCommand<{ code: string }>(sim, 'otp', { username: user.username });
    expect((await client.continueLogin(code)).type).to.equal('SUCCESS');
    expect(client.authenticated).to.equal(true);
  });

  it('times out a slow call and keeps at most 20 calls in flight', async () => {
    const client = makeClient();
    await client.login(adminKey(sim));
    await simCommand(sim, 'delay', { ms: 300, method: 'api_key.query' });
    const error = await client.apiKeys.count([], { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TimeoutError);
    await simCommand(sim, 'delay', { ms: 40, method: 'api_key.query' });
    let peak = 0;
    const calls = Promise.all(Array.from({ length: 50 }, () => client.apiKeys.count()));
    const timer = setInterval(() => (peak = Math.max(peak, client.load.inFlight)), 2);
    const counts = await calls;
    clearInterval(timer);
    expect(new Set(counts).size).to.equal(1);
    expect(peak).to.be.at.most(20);
    expect(peak).to.be.at.least(10);
  });
});

describe('TrueNasClient in the browser: wss with a self-signed certificate', function () {
  this.timeout(20_000);
  it('fails with a hint to open the NAS page and accept the certificate', async () => {
    const tlsSim = (await startSim({ profile: '25.10', tls: true, loginDelay: false })) as Sim;
    const client = new TrueNasClient({ url: tlsSim.url, loginLimiter: limiter, connectTimeoutMs: 5000, reconnect: false });
    try {
      expect(tlsSim.url.startsWith('https://')).to.equal(true);
      const error = await client.login(adminKey(tlsSim)).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TransportError);
      expect((error as TransportError).hint).to.include('self-signed certificate').and.include(tlsSim.url);
      expect((error as Error).message).to.not.include(tlsSim.admin.apiKey);
    } finally {
      await client.close();
      await stopSim(tlsSim);
    }
  });
});
