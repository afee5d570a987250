/** Browser-side handle on NAS simulators that the test runner's Node side starts (test/wtr/simulator-plugin.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

export interface SimInfo {
  id: string;
  profile: string;
  url: string;
  port: number;
  admin: { username: string; password: string };
  [key: string]: unknown;
}

export async function startSim(options: Record<string, unknown> = {}): Promise<SimInfo> {
  return executeServerCommand<SimInfo, { action: string; options: Record<string, unknown> }>('nas-sim', { action: 'start', options });
}

export async function stopSim(sim: SimInfo): Promise<void> {
  await executeServerCommand('nas-sim', { action: 'stop', id: sim.id });
}

/** Sends a control action (fault injection, reset, …) to a running simulator. */
export async function simCommand<T = unknown>(sim: SimInfo, action: string, options: Record<string, unknown> = {}): Promise<T> {
  return executeServerCommand<T, { action: string; id: string; options: Record<string, unknown> }>('nas-sim', { action, id: sim.id, options });
}
