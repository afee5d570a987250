/** Simulated NAS hosts for e2e tests: started in this Node process on 127.0.0.1, free ports. */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../scripts/simulator/index.js';

export type { RunningSimulator };

const running = new Set<RunningSimulator>();

export async function startNas(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  // No artificial failed-login sleeps: tests should be quick; behaviour is otherwise the NAS's.
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, loginDelay: false, ...options });
  running.add(sim);
  return sim;
}

export async function stopNas(sim: RunningSimulator): Promise<void> {
  running.delete(sim);
  await sim.close();
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => stopNas(s)));
}

/** A port nothing listens on (a NAS that is down). */
export async function deadAddress(): Promise<string> {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0 });
  const url = sim.url;
  await sim.close();
  return url;
}
