/** Background → pages pushes over `events` ports. Never carries secrets (see PushEvent). */
import type { Runtime } from 'webextension-polyfill';
import type { PushEvent } from '../shared/protocol.js';

const ports = new Set<Runtime.Port>();

export function addEventsPort(port: Runtime.Port): void {
  ports.add(port);
  port.onDisconnect.addListener(() => ports.delete(port));
}

export function push(event: PushEvent): void {
  for (const port of ports) {
    try {
      port.postMessage(event);
    } catch {
      ports.delete(port);
    }
  }
}

/** Number of open extension pages listening (popup, options). */
export function listenerCount(): number {
  return ports.size;
}
