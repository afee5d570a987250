/**
 * Node-side helpers for the tests that drive the NAS simulator directly, over raw sockets
 * (test/node/simulator-*.test.ts). Browser tests use sim.ts instead.
 */
import assert from 'node:assert/strict';
import { startSimulator, type RunningSimulator, type SimulatorUser } from '../../scripts/simulator/index.js';
import { RawSocket } from '../../scripts/simulator/raw-client.js';

export type SimOptions = Parameters<typeof startSimulator>[0];

/** Runs `fn` against a fresh simulator without the failed-login delay (unless `options` ask for it), and always closes it. */
export async function withSim(options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ loginDelay: false, ...options });
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

/** A seeded user (with its password and OTP secret). */
export function user(sim: RunningSimulator, username: string): SimulatorUser {
  const found = sim.users.find((u) => u.username === username);
  assert.ok(found, `the simulator has no user ${username}`);
  return found;
}

/** A legacy (`/websocket`) socket after the `connect` handshake, not signed in. */
export async function legacySocket(sim: RunningSimulator): Promise<RawSocket> {
  const s = await RawSocket.open(sim.url, '/websocket');
  await s.connect();
  return s;
}

/** A legacy socket signed in as `username` with `auth.login`. */
export async function legacyAs(sim: RunningSimulator, username: string): Promise<RawSocket> {
  const s = await legacySocket(sim);
  assert.equal((await s.call('auth.login', [username, user(sim, username).password])).result, true, `legacy sign-in as ${username}`);
  return s;
}

/** A JSON-RPC socket signed in as `username` with PASSWORD_PLAIN. */
export async function rpcAs(sim: RunningSimulator, username: string, path = '/api/current'): Promise<RawSocket> {
  const s = await RawSocket.open(sim.url, path);
  const reply = await s.rpc('auth.login_ex', [{ mechanism: 'PASSWORD_PLAIN', username, password: user(sim, username).password }]);
  assert.equal(reply.result.response_type, 'SUCCESS', `sign-in as ${username}`);
  return s;
}
