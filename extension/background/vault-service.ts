/**
 * What happens around the background's vault (vault-instance.ts): unlock, lock, and the one
 * clean-up path that runs however the vault locked (explicit, the auto-lock alarm, the idle
 * deadline noticed by any request, locked elsewhere, or a browser restart): sign out of every NAS
 * and drop the connections, clear the clipboard if it holds our value, forget in-memory state and
 * the popup's first-paint picture,
 * cancel the auto-lock task, and tell open pages.
 */
import type { HostAuth } from '../vault/model.js';
import type { VaultState } from '../shared/protocol.js';
import { clearNow } from './clipboard.js';
import { disconnectAll, setCredentialSource, type HostSecret } from './connections.js';
import { push } from './events.js';
import { forgetFirstPaint } from './first-paint.js';
import { listHosts } from './hosts.js';
import { storeUndelivered } from './keys.js';
import { cancel, defineTask, schedule } from './scheduler.js';
import { AUTO_LOCK_TASK, onVaultLock, requireUnlocked, vault } from './vault-instance.js';

export { requireUnlocked, vault };

export async function vaultState(): Promise<VaultState> {
  const status = await vault().status();
  return { initialized: status.exists, locked: !status.unlocked, autoLockAt: status.unlocked ? status.deadline : null };
}

async function announce(): Promise<VaultState> {
  const state = await vaultState();
  push({ type: 'vault', state });
  return state;
}

let cleaning: Promise<void> = Promise.resolve();

/**
 * Everything that must happen when the vault locks, however it locked. Each lock queues its own
 * pass (a lock that comes while an earlier clean-up still runs must clean up what was opened in
 * between); passes are idempotent, and a step that fails does not stop the others.
 */
export function afterLock(): Promise<void> {
  const pass = async (): Promise<void> => {
    await Promise.allSettled([disconnectAll(), clearNow(), cancel(AUTO_LOCK_TASK), forgetFirstPaint()]);
    await announce().catch(() => undefined);
  };
  cleaning = cleaning.then(pass, pass);
  return cleaning;
}

onVaultLock(() => void afterLock());

export async function setupVault(passphrase: string): Promise<VaultState> {
  await vault().create(passphrase);
  return announce();
}

export async function unlockVault(passphrase: string): Promise<VaultState> {
  await vault().unlock(passphrase);
  // A new secret the vault could not take earlier (locked, full, busy) goes in now.
  await storeUndelivered().catch(() => 0);
  // The host list is sealed: pages opened while locked saw none. Send it before the new state,
  // so a page that unlocks already has its hosts when it shows them.
  const hosts = await listHosts().catch(() => null);
  if (hosts) push({ type: 'hosts', hosts });
  return announce();
}

export async function lockVault(): Promise<VaultState> {
  await vault().lock();
  await afterLock();
  return vaultState();
}

/** User activity: pushes the idle deadline back (no-op while locked). */
export async function activity(): Promise<void> {
  if (!vault().unlocked) return;
  await vault().touch();
  await storeUndelivered().catch(() => 0);
}

/** Host credentials for the connection pool, from the vault (keyed by the host's origin). */
setCredentialSource({
  async get(origin: string): Promise<HostSecret | undefined> {
    const credential = await (await requireUnlocked()).getHostCredential(origin);
    if (!credential) return undefined;
    return credential.auth.kind === 'api-key' ? { kind: 'api-key', apiKey: credential.auth.apiKey } : { kind: 'password', username: credential.auth.username, password: credential.auth.password };
  },
});

export function toHostAuth(login: 'apiKey' | 'password', username: string | null, secret: string): HostAuth {
  return login === 'apiKey' ? { kind: 'api-key', apiKey: secret } : { kind: 'password', username: username ?? '', password: secret };
}

export { mapVaultError } from './vault-errors.js';

defineTask(AUTO_LOCK_TASK, async () => {
  if (await vault().checkAutoLock()) await afterLock();
  else {
    const deadline = await vault().deadline();
    if (deadline !== null) await schedule(AUTO_LOCK_TASK, deadline);
  }
});
