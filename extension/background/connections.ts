/**
 * One authenticated connection per saved host, opened on demand and closed when idle. The
 * connection library reconnects and re-authenticates by itself; this pool only decides when a
 * connection exists. Nothing here must survive a background restart: the next request opens a
 * new connection from the saved host and its vault credential.
 */
import { TrueNasClient, type Credentials, type LoginOutcome } from '../../components/client/index.js';
import type { ConnectionState, HostCapabilities } from '../../components/model/api-key.js';
import { ExtensionError } from '../shared/errors.js';
import type { HostAddress } from '../shared/hosts.js';
import { translate } from '../shared/i18n/index.js';
import { connectionStateOf } from '../shared/connection-state.js';
import type { HostStatus, LoginMethod, SavedHost, WireError } from '../shared/protocol.js';
import { mapClientError } from './client-errors.js';
import { MAX_INCOMING_FRAME } from './client-limits.js';
import { push } from './events.js';
import { addressOf, recordDetected, requireHostPermission } from './hosts.js';
import { readSealed, writeSealed } from './sealed.js';
import { requireUnlocked } from './vault-instance.js';

/** A host's login secret as the vault holds it. */
export type HostSecret = { kind: 'api-key'; apiKey: string } | { kind: 'password'; username: string; password: string };

/** Where credentials come from (the vault); throws `locked` when it is locked. */
export interface CredentialSource {
  get(origin: string): Promise<HostSecret | undefined>;
}

let credentials: CredentialSource = {
  get: () => Promise.reject(new ExtensionError('locked', translate('ext.vault.error.locked'))),
};
export function setCredentialSource(source: CredentialSource): void {
  credentials = source;
}

/** Connections unused this long are closed. */
export const IDLE_MS = 5 * 60_000;

interface Entry {
  client: TrueNasClient;
  /** What the connection was opened with; a change to the host record opens a new one. */
  signature: string;
  ready: Promise<TrueNasClient>;
  lastUsed: number;
  /** The NAS asked for a one-time code; `continueWithOtp` finishes the sign-in. */
  awaitingOtp: boolean;
}

const pool = new Map<string, Entry>();
let sweeper: ReturnType<typeof setInterval> | null = null;

function signature(host: SavedHost): string {
  return JSON.stringify([host.address, host.login, host.username, host.allowInsecure]);
}

export function toCredentials(host: Pick<SavedHost, 'login' | 'username' | 'allowInsecure'>, address: HostAddress, secret: HostSecret, otp?: string): Credentials {
  if (secret.kind === 'api-key') {
    return host.username ? { type: 'apiKey', key: secret.apiKey, username: host.username } : { type: 'apiKey', key: secret.apiKey };
  }
  // Loopback never leaves the machine (TrueNAS counts it as secure); remote plain http only when the user accepted it.
  const allowInsecureTransport = !address.secure && (address.loopback || host.allowInsecure);
  return { type: 'password', username: secret.username, password: secret.password, allowInsecureTransport, ...(otp ? { otp } : {}) };
}

export function newClient(address: HostAddress): TrueNasClient {
  return new TrueNasClient({ url: address.origin, reconnect: { maxAttempts: 5 }, maxIncomingFrame: MAX_INCOMING_FRAME });
}

/** The last status pushed per host, so a page that opens later learns the current state. */
const lastStatus = new Map<string, HostStatus>();

function status(hostId: string, state: HostStatus['state'], error: WireError | null = null): void {
  const previous = lastStatus.get(hostId);
  if (previous && previous.state === state && error === null && previous.error === null) return;
  const next: HostStatus = { hostId, state, error };
  lastStatus.set(hostId, next);
  push({ type: 'host-status', status: next });
}

/** A failure as a host status: `offline` when the NAS could not be reached, else `error`. */
function failed(hostId: string, error: unknown): void {
  const wire = error instanceof ExtensionError ? error.toWire() : (mapClientError(error) ?? null);
  status(hostId, wire?.code === 'unreachable' || wire?.code === 'certificate' ? 'offline' : 'error', wire);
}

/** A host's connection state now (issue 10): the live client's, else the last one pushed. */
export function connectionState(hostId: string): ConnectionState {
  const entry = pool.get(hostId);
  if (entry && !entry.awaitingOtp) return entry.client.connection;
  const last = lastStatus.get(hostId);
  return last ? connectionStateOf(last.state) : 'connecting';
}

/**
 * Calls whose answer carries a new secret (create, reset), per client: a connection is not closed
 * under them, or the NAS would have issued a secret nobody receives.
 */
const issuing = new Map<TrueNasClient, Set<Promise<unknown>>>();

/** Runs a call that returns a new secret; closing the connection waits for it. */
export function issuingSecret<T>(client: TrueNasClient, call: () => Promise<T>): Promise<T> {
  const running = call();
  const set = issuing.get(client) ?? new Set<Promise<unknown>>();
  issuing.set(client, set);
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  set.add(settled);
  void settled.then(() => {
    set.delete(settled);
    if (set.size === 0) issuing.delete(client);
  });
  return running;
}

/** Signs out and closes, after any secret-issuing call on this client has its answer. */
async function retire(client: TrueNasClient): Promise<void> {
  await Promise.allSettled([...(issuing.get(client) ?? [])]);
  if (client.authenticated) await client.logout().catch(() => undefined);
  await client.close().catch(() => undefined);
}

function drop(hostId: string, entry?: Entry): Promise<void> {
  const current = pool.get(hostId);
  if (!current || (entry && current !== entry)) return Promise.resolve();
  pool.delete(hostId);
  // Closed on purpose (idle, edited, locked): no state to report; a failure stays known.
  const last = lastStatus.get(hostId);
  if (last && last.state !== 'offline' && last.state !== 'error') lastStatus.delete(hostId);
  return retire(current.client);
}

function startSweeper(): void {
  sweeper ??= setInterval(() => {
    const now = Date.now();
    for (const [id, entry] of pool) if (now - entry.lastUsed > IDLE_MS && !entry.awaitingOtp) void drop(id, entry);
    if (pool.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }, 30_000);
}

/** Signs in and reports OTP_REQUIRED as an `otp-required` error the page can answer. */
function otpRequired(host: SavedHost): ExtensionError {
  return new ExtensionError('otp-required', translate('ext.host.otpRequired', host.name));
}

/**
 * WebSocket handshakes that may run at once. Chromium delays each new WebSocket of a renderer by
 * a random 1-5 s x 2^(pending + failed / (succeeded + 1)) / 65536 (its per-process WebSocket
 * throttler): opening 20 hosts at once, plus the failed /api/current tries of pre-25.04 hosts,
 * stalled some sign-ins for 1-5 s each. A few handshakes at a time keep that delay at a few ms.
 */
export const MAX_CONNECTING = 6;
let connecting = 0;
const connectQueue: Array<() => void> = [];

async function connectSlot(client: TrueNasClient): Promise<void> {
  if (connecting >= MAX_CONNECTING) await new Promise<void>((resolve) => connectQueue.push(resolve));
  else connecting++;
  try {
    await client.connect();
  } finally {
    // Hand the slot straight to the next waiter, else free it.
    const next = connectQueue.shift();
    if (next) next();
    else connecting--;
  }
}

async function open(host: SavedHost, entry: Entry, otp: string | undefined): Promise<TrueNasClient> {
  const address = addressOf(host);
  const secret = await credentials.get(address.origin);
  if (!secret) throw new ExtensionError('auth-failed', translate('ext.host.error.noCredential', host.name));
  status(host.id, 'connecting');
  await connectSlot(entry.client);
  const outcome: LoginOutcome = await entry.client.login(toCredentials(host, address, secret, otp));
  if (outcome.type === 'OTP_REQUIRED') {
    entry.awaitingOtp = true;
    throw otpRequired(host);
  }
  await detected(host, entry.client);
  return entry.client;
}

async function detected(host: SavedHost, client: TrueNasClient): Promise<void> {
  const caps = await client.capabilities();
  await recordDetected(host.id, caps.version, caps.protocol);
  // Cached so a page can render before any connection exists (popup first paint).
  await writeSealed(`caps.${host.id}`, { capabilities: caps, username: await signedInUser(client, caps) }).catch(() => 0);
}

/**
 * The signed-in user (the default owner of new keys). A key login without a username does not
 * say who signed in; 25.04+ API-key sessions are user sessions, so `auth.me` tells.
 */
async function signedInUser(client: TrueNasClient, caps: HostCapabilities): Promise<string | null> {
  if (client.username || !caps.userLinkedKeys) return client.username;
  try {
    return (await client.me()).pw_name || null;
  } catch {
    return null;
  }
}

/** What the last connection to a host detected, if any. */
export async function cachedCapabilities(hostId: string): Promise<{ capabilities: HostCapabilities; username: string | null } | undefined> {
  return readSealed(`caps.${hostId}`);
}

/** Puts a client into the pool for a host and follows its state; `ready` signs it in (or it is already). */
function register(host: SavedHost, client: TrueNasClient, ready: (entry: Entry) => Promise<TrueNasClient>): Entry {
  const created: Entry = { client, signature: signature(host), ready: Promise.resolve(client), lastUsed: Date.now(), awaitingOtp: false };
  created.ready = ready(created);
  pool.set(host.id, created);
  // Every change of the client's state reaches the pages as it happens (honest state).
  client.on('connection', ({ state }) => {
    if (pool.get(host.id) === created && !created.awaitingOtp) status(host.id, state);
  });
  client.on('reauthFailed', ({ error }) => {
    if (pool.get(host.id) === created) failed(host.id, error);
    void drop(host.id, created);
  });
  client.on('disconnected', ({ error }) => {
    if (pool.get(host.id) === created) failed(host.id, error);
    void drop(host.id, created);
  });
  created.ready.catch((error: unknown) => {
    if (!(error instanceof ExtensionError && error.code === 'otp-required')) {
      const current = pool.get(host.id) === created;
      void drop(host.id, created);
      if (current) failed(host.id, error);
    }
  });
  startSweeper();
  return created;
}

/**
 * Takes over a client that just signed in to a host (the sign-in test of hosts.save), so the
 * first request after saving needs no second sign-in (TrueNAS and the login limiter count each).
 */
export function adopt(host: SavedHost, client: TrueNasClient): void {
  const previous = pool.get(host.id);
  if (previous) void drop(host.id, previous);
  register(host, client, async () => {
    await detected(host, client);
    return client;
  });
  status(host.id, client.connection);
}

/**
 * The signed-in client of a host, opening it if needed. Host access is re-checked on every use,
 * since the user can withdraw it in the browser at any time.
 */
export async function clientFor(host: SavedHost): Promise<TrueNasClient> {
  // No NAS is reached while the vault is locked, even over a connection that is still open.
  await requireUnlocked();
  await requireHostPermission(addressOf(host), host.name);
  let entry = pool.get(host.id);
  if (entry && entry.signature !== signature(host)) {
    void drop(host.id, entry);
    entry = undefined;
  }
  if (entry?.awaitingOtp) throw otpRequired(host);
  if (!entry) {
    const client = newClient(addressOf(host));
    entry = register(host, client, (created) => open(host, created, undefined));
  }
  entry.lastUsed = Date.now();
  return entry.ready;
}

/** Finishes a sign-in that asked for a one-time code. */
export async function continueWithOtp(host: SavedHost, otp: string): Promise<TrueNasClient> {
  const entry = pool.get(host.id);
  if (!entry || !entry.awaitingOtp) return clientFor(host);
  const outcome = await entry.client.continueLogin(otp).catch((error: unknown) => {
    void drop(host.id, entry);
    throw error;
  });
  if (outcome.type === 'OTP_REQUIRED') throw otpRequired(host);
  entry.awaitingOtp = false;
  entry.ready = Promise.resolve(entry.client);
  await detected(host, entry.client);
  return entry.client;
}

/** Capabilities of a host (opens the connection). */
export async function capabilitiesOf(host: SavedHost): Promise<HostCapabilities> {
  return (await clientFor(host)).capabilities();
}

/** Closes a host's connection (host removed or edited, access withdrawn). */
export function disconnect(hostId: string): void {
  void drop(hostId);
}

/** Signs out of every NAS and closes every connection (the vault locked). */
export async function disconnectAll(): Promise<void> {
  await Promise.allSettled([...pool.keys()].map((id) => drop(id)));
}

export function isConnected(hostId: string): boolean {
  return pool.has(hostId) && !pool.get(hostId)!.awaitingOtp;
}

export type { LoginMethod };
