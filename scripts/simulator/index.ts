/**
 * NAS simulator: public API. PLACEHOLDER until issue 3 lands the faithful simulator; it keeps
 * this interface so `npm start`, the test plugin and the CLI need no change.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export type ProfileName = '22.02' | '24.10' | '25.04' | '25.10' | '26.0';
export const PROFILES: readonly ProfileName[] = ['22.02', '24.10', '25.04', '25.10', '26.0'];
export const DEFAULT_PROFILE: ProfileName = '25.10';

export interface SimulatorOptions {
  profile?: ProfileName;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RunningSimulator {
  profile: ProfileName;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Bootstrap full-admin credential for this run. */
  admin: { username: string; password: string };
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const server: Server = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server, path: '/api/current' });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const request = JSON.parse(String(data)) as { id?: unknown; method?: string };
      if (request.method === 'core.ping') socket.send(JSON.stringify({ jsonrpc: '2.0', result: 'pong', id: request.id }));
      else socket.send(JSON.stringify({ jsonrpc: '2.0', error: { code: -32601, message: 'Method does not exist' }, id: request.id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    profile,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    admin: { username: 'truenas_admin', password: 'placeholder' },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
