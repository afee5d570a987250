/**
 * The connection library against a simulator in one profile, over real sockets (`ws`): start it
 * once per describe, reset it before each test, close every client afterwards.
 */
import { after, before, beforeEach } from 'node:test';
import WebSocket from 'ws';
import { startSimulator, type ProfileName, type RunningSimulator } from '../../scripts/simulator/index.js';
import { LoginLimiter, TrueNasClient, type ClientOptions } from '../../components/client/index.js';

export const PROFILE_N: Record<ProfileName, number> = { '22.02': 2202, '24.10': 2410, '25.04': 2504, '25.10': 2510, '26.0': 2600 };

export interface ClientSim {
  readonly sim: RunningSimulator;
  /** A new client (closed after the test). */
  client(options?: Partial<ClientOptions>): TrueNasClient;
  /** A client signed in with the run's admin key. */
  admin(options?: Partial<ClientOptions>): Promise<TrueNasClient>;
  /** A client signed in as a seeded user with its password. */
  as(username: string, options?: Partial<ClientOptions>): Promise<TrueNasClient>;
  /** A client signed in with an API key. */
  withKey(key: string, username?: string, options?: Partial<ClientOptions>): Promise<TrueNasClient>;
  command(action: string, options?: Record<string, unknown>): Promise<unknown>;
}

/** Registers before/after hooks for `profile` in the current describe and returns the handle. */
export function useClientSim(profile: ProfileName): ClientSim {
  let sim: RunningSimulator | null = null;
  const clients: TrueNasClient[] = [];
  const limiter = new LoginLimiter({ maxAttempts: 100_000 });
  before(async () => {
    sim = await startSimulator({ profile, port: 0, loginDelay: false, rateLimit: false });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sim?.close();
  });
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sim!.command('reset');
  });
  const handle: ClientSim = {
    get sim() {
      if (!sim) throw new Error('the simulator is not running yet');
      return sim;
    },
    client(options = {}) {
      const c = new TrueNasClient({ url: handle.sim.url, WebSocket, loginLimiter: limiter, callTimeoutMs: 5000, ...options });
      clients.push(c);
      return c;
    },
    async admin(options = {}) {
      const c = handle.client(options);
      await c.login({ type: 'apiKey', key: handle.sim.admin.apiKey, username: handle.sim.admin.username });
      return c;
    },
    async as(username, options = {}) {
      const user = handle.sim.users.find((u) => u.username === username);
      if (!user) throw new Error(`no seeded user ${username}`);
      const c = handle.client(options);
      await c.login({ type: 'password', username, password: user.password, allowInsecureTransport: true });
      return c;
    },
    async withKey(key, username, options = {}) {
      const c = handle.client(options);
      await c.login({ type: 'apiKey', key, ...(username ? { username } : {}) });
      return c;
    },
    command: (action, options) => handle.sim.command(action, options),
  };
  return handle;
}
