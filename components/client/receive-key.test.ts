/**
 * In real Chromium: a new API key is never received over plain ws:// to a host our rule calls
 * non-loopback. Chromium resolves `*.localhost` to 127.0.0.1 itself, so `ws://nas.localhost:<port>`
 * reaches the simulator (which sees a loopback peer and lets the password sign-in through), while
 * the library counts the name as remote: create and reset must be refused before anything is sent.
 */
import { expect } from '@open-wc/testing';
import { simCommand, startSim, stopSim, type SimInfo } from '../../test/helpers/sim.js';
import { InsecureTransportError, LoginLimiter, TrueNasClient } from './index.js';

interface Sim extends SimInfo {
  admin: { username: string; password: string; apiKey: string };
}
interface Stats {
  handlerCalls: number;
  keys: number;
}

const limiter = new LoginLimiter({ maxAttempts: 10_000 });

describe('TrueNasClient in the browser: no new key over an unencrypted remote connection (25.10)', function () {
  this.timeout(20_000);
  let sim: Sim;
  const clients: TrueNasClient[] = [];
  const client = (url: string) => {
    const c = new TrueNasClient({ url, loginLimiter: limiter, callTimeoutMs: 5000 });
    clients.push(c);
    return c;
  };

  before(async () => {
    sim = (await startSim({ profile: '25.10', loginDelay: false })) as Sim;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await stopSim(sim);
  });

  it('refuses create and reset over ws://nas.localhost (password, insecure allowed); the NAS sees no call', async () => {
    const fixture = await simCommand<{ id: number }>(sim, 'createKey', { name: 'exposed', username: sim.admin.username });
    const remote = client(`http://nas.localhost:${sim.port}`);
    expect(remote.address.loopback).to.equal(false);
    const outcome = await remote.login({ type: 'password', username: sim.admin.username, password: sim.admin.password, allowInsecureTransport: true });
    expect(outcome.type, 'Chromium reached the simulator through nas.localhost').to.equal('SUCCESS');
    const before = await simCommand<Stats>(sim, 'stats');
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['create', () => remote.apiKeys.create({ name: 'new', username: sim.admin.username })],
      ['reset', () => remote.apiKeys.reset(fixture.id)],
      ['raw api_key.update reset', () => remote.call('api_key.update', [fixture.id, { reset: true }])],
    ];
    for (const [what, attempt] of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error, what).to.be.instanceOf(InsecureTransportError);
      expect((error as InsecureTransportError).reason, what).to.equal('receive-key');
      expect((error as Error).message, what).to.include('in clear').and.include('https://');
    }
    const after = await simCommand<Stats>(sim, 'stats');
    expect(after.handlerCalls, 'no api_key.create/update reached the NAS').to.equal(before.handlerCalls);
    expect(after.keys).to.equal(before.keys);
    // Reads and plain edits still work over that connection.
    await remote.apiKeys.update(fixture.id, { name: 'renamed' });
    expect((await remote.apiKeys.getInstance(fixture.id)).name).to.equal('renamed');
  });

  it('creates and resets over ws://127.0.0.1 (loopback)', async () => {
    const local = client(`http://127.0.0.1:${sim.port}`);
    expect(local.address.loopback).to.equal(true);
    await local.login({ type: 'password', username: sim.admin.username, password: sim.admin.password, allowInsecureTransport: true });
    const created = await local.apiKeys.create({ name: 'loopback', username: sim.admin.username });
    expect(created.secret).to.match(/^\d+-[A-Za-z0-9]{64}$/);
    const reset = await local.apiKeys.reset(created.key.id);
    expect(reset.secret).to.not.equal(created.secret);
  });
});
