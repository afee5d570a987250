/**
 * Simulator benchmarks. The simulator runs in its own process (the CLI), clients in this one:
 * - time to accept 1,000 concurrent connections that each log in with an API key;
 * - simulator memory per authenticated connection (RSS and heap deltas after GC);
 * - raw websocket core.ping over one connection: sequential vs 20 in flight.
 *
 * `auth.login_ex` is an anonymous method and TrueNAS rate-limits those to 20 per minute per
 * (method, IP) from 24.10, loopback included, so 1,000 logins from one host need the simulator's
 * `--no-rate-limit` switch (otherwise 980 of them would get EBUSY). Failed-login sleeps are off too.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { BenchRow } from '../bench.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const CONNECTIONS = 1000;
const SEQUENTIAL_PINGS = 3000;
const PIPELINED_PINGS = 20_000;
const WINDOW = 20;

interface Control {
  url: string;
  token: string;
}

function control(c: Control, action: string, options: Record<string, unknown> = {}): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const req = request(c.url, { method: 'POST', headers: { authorization: `Bearer ${c.token}` } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve((JSON.parse(text) as { result: Record<string, number> }).result));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ action, options }));
  });
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** One JSON-RPC exchange on a socket that has nothing else in flight. */
function call(ws: WebSocket, id: number, method: string, params: unknown[]): Promise<{ result?: unknown; error?: unknown }> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });
}

async function startSimulatorProcess(): Promise<{ child: ReturnType<typeof spawn>; ws: string; apiKey: string; username: string; control: Control }> {
  const child = spawn(process.execPath, ['--expose-gc', 'scripts/nas-sim.mjs', '--port', '0', '--control', '--no-rate-limit', '--login-delay', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20_000);
    child.stdout.on('data', () => {
      if (/control: POST/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const url = /listening on (\S+)/.exec(out)![1]!;
  return {
    child,
    ws: `${url.replace('http', 'ws')}/api/current`,
    apiKey: /admin API key: (\S+)/.exec(out)![1]!,
    username: /admin: (\S+) \//.exec(out)![1]!,
    control: { url: /control: POST (\S+)/.exec(out)![1]!, token: /Bearer (\S+)"/.exec(out)![1]! },
  };
}

export default async function run(): Promise<BenchRow[]> {
  const sim = await startSimulatorProcess();
  const rows: BenchRow[] = [];
  try {
    const login = { mechanism: 'API_KEY_PLAIN', username: sim.username, api_key: sim.apiKey, login_options: { user_info: false } };
    // Warm up the code paths once.
    const warm = await open(sim.ws);
    await call(warm, 1, 'auth.login_ex', [login]);
    warm.close();
    await new Promise((r) => setTimeout(r, 200));
    const before = await control(sim.control, 'stats', { gc: true });

    const t0 = performance.now();
    const sockets = await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const ws = await open(sim.ws);
        const reply = await call(ws, 1, 'auth.login_ex', [login]);
        if ((reply.result as { response_type?: string } | undefined)?.response_type !== 'SUCCESS') throw new Error(`login failed: ${JSON.stringify(reply)}`);
        return ws;
      }),
    );
    const elapsed = performance.now() - t0;
    const after = await control(sim.control, 'stats', { gc: true });
    if (after.authenticated !== CONNECTIONS) throw new Error(`expected ${CONNECTIONS} authenticated connections, got ${after.authenticated}`);
    rows.push({
      name: `simulator: accept + API-key login, ${CONNECTIONS} concurrent connections`,
      value: Math.round(elapsed),
      unit: 'ms',
      note: 'auth.login_ex API_KEY_PLAIN, rate limit off (see file header)',
    });
    rows.push({ name: 'simulator: RSS per authenticated connection', value: Math.round((after.rss! - before.rss!) / CONNECTIONS), unit: 'bytes', note: 'after GC, 1,000 connections' });
    rows.push({ name: 'simulator: heap per authenticated connection', value: Math.round((after.heapUsed! - before.heapUsed!) / CONNECTIONS), unit: 'bytes', note: 'after GC, 1,000 connections' });
    for (const ws of sockets) ws.close();

    // Raw websocket ping throughput on one authenticated connection.
    const ws = await open(sim.ws);
    await call(ws, 1, 'auth.login_ex', [login]);
    let id = 10;
    const t1 = performance.now();
    for (let i = 0; i < SEQUENTIAL_PINGS; i++) await call(ws, id++, 'core.ping', []);
    const sequential = SEQUENTIAL_PINGS / ((performance.now() - t1) / 1000);
    rows.push({ name: 'simulator: raw core.ping, sequential', value: Math.round(sequential), unit: 'calls/s', note: `${SEQUENTIAL_PINGS} calls, one connection` });

    const t2 = performance.now();
    await new Promise<void>((resolve) => {
      let sent = 0;
      let done = 0;
      const next = () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: id++, method: 'core.ping', params: [] }), () => undefined);
      ws.on('message', () => {
        done++;
        if (sent < PIPELINED_PINGS) {
          sent++;
          next();
        }
        if (done === PIPELINED_PINGS) resolve();
      });
      for (; sent < WINDOW; sent++) next();
    });
    const pipelined = PIPELINED_PINGS / ((performance.now() - t2) / 1000);
    rows.push({ name: `simulator: raw core.ping, ${WINDOW} in flight`, value: Math.round(pipelined), unit: 'calls/s', note: `${PIPELINED_PINGS} calls, one connection` });
    ws.close();
  } finally {
    sim.child.kill('SIGTERM');
  }
  return rows;
}
