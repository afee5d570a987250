/**
 * What key usage costs (issue 12 §2): a host refresh of 50 keys through the service as the
 * manager does it, without and with usage data (one `audit.query` for the last use of every key
 * and one `auth.sessions` next to the list); and All hosts, 20 hosts refreshed at once, the same
 * two ways. Simulators 25.10 in this process over loopback, each with 50 keys, 10 owners and a
 * few hundred audit records.
 */
import WebSocket from 'ws';
import { startSimulator, type RunningSimulator, type SeedData } from '../../../scripts/simulator/index.js';
import { LoginLimiter, TrueNasClient } from '../../../components/client/index.js';
import { createTrueNasService } from '../../../components/client/service.js';
import type { ApiKeyService } from '../../../components/service/api-key-service.js';
import { median, type BenchRow } from '../bench.js';

const KEYS = 50;
const HOSTS = 20;
const HOST_RUNS = 15;
const FLEET_RUNS = 5;

function seed(): SeedData {
  const owners = Array.from({ length: 10 }, (_, i) => ({ id: 100 + i, uid: 4000 + i, username: `owner${i}`, roles: ['READONLY_ADMIN'] }));
  const keys = Array.from({ length: KEYS - 1 }, (_, i) => ({ name: `bench-key-${String(i).padStart(2, '0')}`, owner: `owner${i % 10}`, createdAt: 'now-30d' }));
  return {
    users: [{ id: 70, uid: 950, username: 'truenas_admin', fullName: 'Local Administrator', roles: ['FULL_ADMIN'], admin: true }, ...owners],
    keys,
    // Six sign-ins a day for most keys over the retention window: a realistic audit log to search.
    audit: keys.flatMap((key, i) => (i % 5 === 4 ? [] : Array.from({ length: 6 }, (_, j) => ({ at: `now-${j + 1}d`, username: key.owner, address: `192.0.2.${(i % 200) + 1}`, key: key.name })))),
  };
}

interface Host {
  sim: RunningSimulator;
  client: TrueNasClient;
  service: ApiKeyService;
}

async function host(): Promise<Host> {
  const sim = await startSimulator({ profile: '25.10', port: 0, seed: seed(), loginDelay: false, rateLimit: false });
  const client = new TrueNasClient({ url: sim.url, WebSocket, loginLimiter: new LoginLimiter({ maxAttempts: 100 }) });
  await client.login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
  return { sim, client, service: createTrueNasService(client) };
}

/** A refresh as the manager does it: the list, and with usage the two reports alongside it. */
async function refresh(service: ApiKeyService, withUsage: boolean): Promise<void> {
  const keys = withUsage ? (await Promise.all([service.list(), service.keyUsage?.(), service.allKeySessions?.()]))[0] : await service.list();
  if (keys.length < KEYS) throw new Error(`expected ${KEYS} keys, got ${keys.length}`);
}

async function timed(run: () => Promise<void>, runs: number): Promise<number> {
  await run(); // warm: connections and the first queries
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return median(times);
}

export default async function run(): Promise<BenchRow[]> {
  const hosts = await Promise.all(Array.from({ length: HOSTS }, () => host()));
  try {
    const one = hosts[0]!.service;
    const usage = await one.keyUsage?.();
    if (usage?.status !== 'ok' || usage.lastUse.size === 0) throw new Error('the bench host reports no usage');
    // Interleaved, so both see the same machine load.
    const plain: number[] = [];
    const withUsage: number[] = [];
    for (let i = 0; i < 3; i++) {
      plain.push(await timed(() => refresh(one, false), HOST_RUNS));
      withUsage.push(await timed(() => refresh(one, true), HOST_RUNS));
    }
    const fleet = (usage: boolean) => () => Promise.all(hosts.map((h) => refresh(h.service, usage))).then(() => undefined);
    const fleetPlain = await timed(fleet(false), FLEET_RUNS);
    const fleetUsage = await timed(fleet(true), FLEET_RUNS);
    const note = `${KEYS} keys, 10 owners, ${usage.lastUse.size} keys with audit records; Node, simulator 25.10 in-process`;
    const hostPlain = median(plain);
    const hostUsage = median(withUsage);
    return [
      { name: 'host refresh, list only (with access from one user.query), median', value: Math.round(hostPlain * 10) / 10, unit: 'ms', note },
      { name: 'host refresh with usage and sessions, median', value: Math.round(hostUsage * 10) / 10, unit: 'ms', note: `+${Math.round((hostUsage - hostPlain) * 10) / 10} ms: one audit.query and one auth.sessions alongside the list` },
      { name: `All hosts (${HOSTS} hosts at once), list only, median`, value: Math.round(fleetPlain), unit: 'ms', note: `${FLEET_RUNS} runs` },
      { name: `All hosts (${HOSTS} hosts at once) with usage and sessions, median`, value: Math.round(fleetUsage), unit: 'ms', note: `+${Math.round(fleetUsage - fleetPlain)} ms` },
    ];
  } finally {
    await Promise.all(hosts.map(async (h) => {
      await h.client.close();
      await h.sim.close();
    }));
  }
}
