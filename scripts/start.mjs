#!/usr/bin/env node
// `npm start`: builds everything, starts the NAS simulator on 127.0.0.1, serves the demo page,
// and prints where things are. Ctrl-C stops it all.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, relative } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { build, dist, root } from './build.mjs';

const DEMO_PORT = Number(process.env.DEMO_PORT ?? 8090);
const SIM_PORT = Number(process.env.SIM_PORT ?? 8091);
const PROFILE = process.env.SIM_PROFILE;
// Where the simulator keeps its state across restarts; SIM_STATE=none keeps it in memory only.
const STATE = process.env.SIM_STATE ?? join(root, '.sim-state.json');
const persist = STATE === 'none' ? {} : { persist: STATE };

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      // The preferred port is taken: take any free one rather than fail.
      if (error.code === 'EADDRINUSE' && port !== 0) resolve(listen(server, 0));
      else reject(error);
    });
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

console.log('[start] building demo page and extension...');
await build();

console.log('[start] starting the NAS simulator...');
const { startSimulator } = await tsImport('./simulator/index.ts', import.meta.url);
let sim;
try {
  sim = await startSimulator({ port: SIM_PORT, host: '127.0.0.1', ...(PROFILE ? { profile: PROFILE } : {}), ...persist });
} catch (error) {
  if (error?.code !== 'EADDRINUSE') throw error;
  sim = await startSimulator({ port: 0, host: '127.0.0.1', ...(PROFILE ? { profile: PROFILE } : {}), ...persist });
}

const demoRoot = join(dist, 'demo');
const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/demo-config.json') {
    res.writeHead(200, { 'content-type': types['.json'], 'cache-control': 'no-store' });
    // The simulator's bootstrap admin lets the demo sign in; it is a local dev credential and is
    // only handed to loopback clients (the server listens on 127.0.0.1 anyway).
    const loopback = /^(127\.|::1$|::ffff:127\.)/.test(req.socket.remoteAddress ?? '');
    const admin = loopback ? { admin: { username: sim.admin.username, password: sim.admin.password } } : {};
    res.end(JSON.stringify({ simulatorUrl: sim.url, profile: sim.profile, ...admin, ...(sim.demo ?? {}) }));
    return;
  }
  const file = normalize(join(demoRoot, path === '/' ? 'index.html' : path));
  if (relative(demoRoot, file).startsWith('..')) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }
});
const demoPort = await listen(server, DEMO_PORT);

console.log(`
NAS Key Manager is running.

  Demo page:       http://127.0.0.1:${demoPort}/
  NAS simulator:   ${sim.url}  (TrueNAS ${sim.profile}; admin: ${sim.admin.username} / ${sim.admin.password})

  Browser extension (unpacked builds):
    Chrome/Chromium: open chrome://extensions, enable Developer mode, "Load unpacked", choose
                     ${join(dist, 'chrome')}
    Firefox:         open about:debugging#/runtime/this-firefox, "Load Temporary Add-on…", choose
                     ${join(dist, 'firefox', 'manifest.json')}
    In the extension, add a host with address ${sim.url} (loopback, so plain HTTP is allowed).

Press Ctrl-C to stop.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping...');
  server.closeAllConnections?.();
  await Promise.all([new Promise((resolve) => server.close(resolve)), sim.close()]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
