import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startSimulator } from '../../scripts/simulator/index.js';

test('the simulator answers core.ping over a real socket', async () => {
  const sim = await startSimulator({ port: 0 });
  try {
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/api/current`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'core.ping', params: [] }));
    assert.deepEqual(await reply, { jsonrpc: '2.0', result: 'pong', id: 1 });
    ws.close();
  } finally {
    await sim.close();
  }
});
