import { expect } from '@open-wc/testing';
import { uniqueName } from './testing/support.js';
import type { ProbeResult } from './testing/worker-probe.js';

const probeUrl = new URL('./testing/worker-probe.ts', import.meta.url);

function expectWorked(result: ProbeResult, scope: string): void {
  expect(result.error).to.equal(null);
  expect(result).to.include({ ok: true, scope, hasDocument: false, secretRoundTrip: true, restored: true, lockedError: 'locked' });
}

describe('vault: runs without a DOM', () => {
  it('in a real service worker (the Chrome background runs it there)', async () => {
    const registration = await navigator.serviceWorker.register(probeUrl, { type: 'module', scope: new URL('./testing/', import.meta.url).pathname });
    try {
      const worker = registration.installing ?? registration.waiting ?? registration.active!;
      if (worker.state !== 'activated') {
        await new Promise<void>((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
      }
      const answer = new Promise<ProbeResult>((resolve) => navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data as ProbeResult), { once: true }));
      worker.postMessage({ name: uniqueName('vault-sw') });
      expectWorked(await answer, 'ServiceWorkerGlobalScope');
    } finally {
      await registration.unregister();
    }
  });

  it('in a dedicated module worker', async () => {
    const worker = new Worker(probeUrl, { type: 'module' });
    try {
      const answer = new Promise<ProbeResult>((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data as ProbeResult);
        worker.onerror = (e) => reject(new Error(e.message));
      });
      worker.postMessage({ name: uniqueName('vault-worker') });
      expectWorked(await answer, 'DedicatedWorkerGlobalScope');
    } finally {
      worker.terminate();
    }
  });
});
