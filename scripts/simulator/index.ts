/**
 * NAS simulator: public API. A faithful stand-in for a TrueNAS box of a chosen release
 * (22.02, 24.10, 25.04, 25.10, 26.0) speaking the legacy `/websocket` protocol and, from 25.04,
 * JSON-RPC 2.0 at `/api/current`. `npm start`, the Web Test Runner plugin, the CLI and the Node
 * tests all start it through `startSimulator`. See docs/simulator.md.
 */
import type { ProfileName } from './profiles.js';
import { Simulator, type SimulatorOptions } from './simulator.js';

export { DEFAULT_PROFILE, PROFILES, type ProfileName } from './profiles.js';
export type { SeedAuditEvent, SeedData, SeedGroup, SeedKey, SeedPrivilege, SeedUser } from './seed.js';
export { CONTROL_ACTIONS } from './simulator.js';
export type { SimulatorOptions };

export interface SimulatorUser {
  username: string;
  password: string;
  roles: string[];
  /** Base32 TOTP secret when the user has two-factor authentication. */
  otpSecret?: string;
}

export interface RunningSimulator {
  profile: ProfileName;
  /** Base URL, e.g. http://127.0.0.1:41234 (https with `tls`). */
  url: string;
  port: number;
  tls: boolean;
  /** The self-signed certificate when `tls` is on, so clients can trust or pin it. */
  certificate?: { pem: string; fingerprint256: string };
  /** Bootstrap full-admin credentials for this run; `apiKey` is a real key in the store. */
  admin: { username: string; password: string; apiKey: string };
  /** Every seeded user with this run's password. */
  users: SimulatorUser[];
  /** Where the control channel listens, when `control` is on. */
  control?: { url: string; token: string };
  /** Test-only control actions: reset, setInsecure, delay, failNext, drop, close, malformed, restart, createKey, setKeyState, otp, stats, redirect, configure. */
  command(action: string, options?: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new Simulator(options);
  await sim.listen();
  const admin = sim.store.admin;
  const running: RunningSimulator = {
    profile: sim.profile.name,
    url: sim.url,
    port: sim.port,
    tls: sim.certificate !== undefined,
    admin: { username: admin.username, password: admin.password, apiKey: sim.store.bootstrapKey },
    users: sim.store.users.map((u) => ({
      username: u.username,
      password: u.password,
      roles: [...u.roles],
      ...(u.otpSecret ? { otpSecret: u.otpSecret } : {}),
    })),
    command: (action, opts) => sim.command(action, opts ?? {}),
    close: () => sim.close(),
  };
  if (sim.certificate) running.certificate = { pem: sim.certificate.certPem, fingerprint256: sim.certificate.fingerprint256 };
  if (sim.controlToken) running.control = { url: `${sim.url}/_sim/control`, token: sim.controlToken };
  return running;
}
