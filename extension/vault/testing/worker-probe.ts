/**
 * Runs the vault inside a worker global (service worker or dedicated worker: no DOM) and reports
 * what happened. Loaded by worker.test.ts.
 */
import { MemorySessionStore, Vault, VaultLockedError } from '../index.js';

/** What the probe reports back to worker.test.ts. */
export interface ProbeResult {
  ok: boolean;
  scope: string;
  hasDocument: boolean;
  secretRoundTrip: boolean;
  restored: boolean;
  lockedError: string | null;
  error: string | null;
}

async function probe(name: string): Promise<ProbeResult> {
  const result: ProbeResult = { ok: false, scope: (globalThis as { constructor: { name: string } }).constructor.name, hasDocument: 'document' in globalThis, secretRoundTrip: false, restored: false, lockedError: null, error: null };
  try {
    const store = new MemorySessionStore();
    const vault = new Vault({ name, kdfIterations: 1_000, insecureTestOnlyAllowWeakKdf: true, sessionStore: store });
    await vault.create('worker passphrase 123');
    const secret = `12-${'k'.repeat(64)}`;
    const saved = await vault.saveKey({ host: 'https://nas.lan', name: 'worker key', secret, source: 'create' });
    vault.close();
    const restarted = new Vault({ name, kdfIterations: 1_000, insecureTestOnlyAllowWeakKdf: true, sessionStore: store });
    result.restored = await restarted.resume();
    result.secretRoundTrip = (await restarted.getKey(saved.id))?.secret === secret;
    await restarted.lock();
    try {
      await restarted.getKey(saved.id);
    } catch (error) {
      result.lockedError = error instanceof VaultLockedError ? error.code : String(error);
    }
    await restarted.destroy();
    result.ok = true;
  } catch (error) {
    result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return result;
}

self.addEventListener('message', (event: Event) => {
  const { data, source } = event as MessageEvent<{ name: string }>;
  void probe(data.name).then((result) => {
    // A service worker answers the client that asked; a dedicated worker posts back to its owner.
    if (source && 'postMessage' in source) (source as { postMessage(message: unknown): void }).postMessage(result);
    else (self as unknown as Worker).postMessage(result);
  });
});
