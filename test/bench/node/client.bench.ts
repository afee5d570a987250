/**
 * Client calls per second against the simulator over loopback (both in this Node process, as in
 * the tests): sequential (one call at a time) and pipelined (20 in flight, the NAS limit), for
 * `core.ping` and for `api_key.query` returning 100 keys.
 */
import WebSocket from 'ws';
import { startSimulator, type SeedData } from '../../../scripts/simulator/index.js';
import { LoginLimiter, TrueNasClient } from '../../../components/client/index.js';
import type { BenchRow } from '../bench.js';

const RUN_MS = 2000;
const WARMUP_MS = 300;

/** 99 seeded keys plus the bootstrap admin key: 100 rows per query. */
function seedWith99Keys(): SeedData {
  return {
    users: [
      { id: 70, uid: 950, username: 'truenas_admin', fullName: 'Local Administrator', roles: ['FULL_ADMIN'], admin: true },
      ...Array.from({ length: 10 }, (_, i) => ({ id: 100 + i, uid: 4000 + i, username: `owner${i}`, roles: ['READONLY_ADMIN'] })),
    ],
    keys: Array.from({ length: 99 }, (_, i) => ({ name: `bench-key-${String(i).padStart(3, '0')}`, owner: `owner${i % 10}`, createdAt: 'now-10d', ...(i % 3 ? { expiresAt: 'now+30d' } : {}) })),
  };
}

/** Runs `call` by `workers` concurrent loops for `ms`; returns calls per second. */
async function measure(call: () => Promise<unknown>, workers: number, ms: number): Promise<number> {
  let count = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        await call();
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export default async function run(): Promise<BenchRow[]> {
  const sim = await startSimulator({ profile: '25.10', port: 0, seed: seedWith99Keys(), loginDelay: false });
  const client = new TrueNasClient({ url: sim.url, WebSocket, loginLimiter: new LoginLimiter({ maxAttempts: 100 }) });
  const rows: BenchRow[] = [];
  try {
    await client.login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
    const keys = await client.apiKeys.query();
    if (keys.length < 100) throw new Error(`expected at least 100 keys, got ${keys.length}`);
    const ping = () => client.call('core.ping');
    const query = () => client.apiKeys.query();
    const cases: [string, () => Promise<unknown>, number][] = [
      ['core.ping sequential', ping, 1],
      ['core.ping pipelined (20 in flight)', ping, 20],
      [`api_key.query (${keys.length} keys) sequential`, query, 1],
      [`api_key.query (${keys.length} keys) pipelined (20 in flight)`, query, 20],
    ];
    for (const [name, call, workers] of cases) {
      await measure(call, workers, WARMUP_MS);
      const perSecond = await measure(call, workers, RUN_MS);
      rows.push({ name: `client ${name}`, value: Math.round(perSecond), unit: 'calls/s', note: 'Node, ws, simulator 25.10 in-process over loopback' });
    }
  } finally {
    await client.close();
    await sim.close();
  }
  return rows;
}
