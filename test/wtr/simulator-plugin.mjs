// Web Test Runner plugin: runs NAS simulators in Node so browser tests talk to them over real
// sockets. Tests call `executeServerCommand('nas-sim', { action, ... })` (see test/helpers/sim.ts).
import { tsImport } from 'tsx/esm/api';

export function simulatorPlugin() {
  /** @type {Map<string, any>} */
  const running = new Map();
  let sim;
  let counter = 0;

  return {
    name: 'nas-simulator',
    async serverStart() {
      sim = await tsImport('../../scripts/simulator/index.ts', import.meta.url);
    },
    async serverStop() {
      await Promise.all([...running.values()].map((s) => s.close()));
      running.clear();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'nas-sim') return undefined;
      const { action = 'start', id, options = {} } = payload ?? {};
      if (action === 'start') {
        const instance = await sim.startSimulator({ host: '127.0.0.1', port: 0, ...options });
        const handle = `sim-${++counter}`;
        running.set(handle, instance);
        return { id: handle, ...describe(instance) };
      }
      const instance = running.get(id);
      if (!instance) throw new Error(`No simulator with id ${id}`);
      if (action === 'stop') {
        running.delete(id);
        await instance.close();
        return { stopped: true };
      }
      if (typeof instance.command === 'function') return (await instance.command(action, options)) ?? null;
      throw new Error(`Simulator does not support action ${action}`);
    },
  };
}

/** The JSON-safe facts a test needs about a running simulator. */
function describe(instance) {
  const out = {};
  for (const [key, value] of Object.entries(instance)) {
    if (typeof value !== 'function') out[key] = value;
  }
  return out;
}
