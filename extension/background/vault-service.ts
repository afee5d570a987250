/**
 * The background's one vault instance (extension/vault) and what happens around it: the idle
 * auto-lock deadline is armed on the scheduler (alarm + persisted deadline), a lock closes every
 * NAS connection and clears our clipboard value, and pages hear about state changes.
 */
import browser from 'webextension-polyfill';
import { StorageAreaSessionStore, type SessionStorageArea } from '../vault/session-store.js';
import { Vault } from '../vault/vault.js';
import { VaultError, VaultInputError, VaultLockedError, WrongPassphraseError, UnlockThrottledError } from '../vault/errors.js';
import type { HostAuth } from '../vault/model.js';
import { ExtensionError } from '../shared/errors.js';
import { translate } from '../shared/i18n/index.js';
import type { VaultState, WireError } from '../shared/protocol.js';
import { clearNow } from './clipboard.js';
import { disconnectAll, setCredentialSource, type HostSecret } from './connections.js';
import { push } from './events.js';
import { cancel, defineTask, schedule } from './scheduler.js';

const AUTO_LOCK_TASK = 'vault-autolock';
let instance: Vault | null = null;

export function vault(): Vault {
  if (!instance) {
    const area = (browser.storage as { session?: SessionStorageArea }).session;
    instance = new Vault({
      ...(area ? { sessionStore: new StorageAreaSessionStore(area) } : {}),
      onDeadlineChange: (deadline) => void (deadline === null ? cancel(AUTO_LOCK_TASK) : schedule(AUTO_LOCK_TASK, deadline)),
    });
  }
  return instance;
}

export async function vaultState(): Promise<VaultState> {
  const status = await vault().status();
  return { initialized: status.exists, locked: !status.unlocked, autoLockAt: status.unlocked ? status.deadline : null };
}

async function announce(): Promise<VaultState> {
  const state = await vaultState();
  push({ type: 'vault', state });
  return state;
}

/** Everything that must happen when the vault locks, however it locked. */
async function afterLock(): Promise<void> {
  disconnectAll();
  await clearNow().catch(() => undefined);
  await announce();
}

export async function setupVault(passphrase: string): Promise<VaultState> {
  await vault().create(passphrase);
  return announce();
}

export async function unlockVault(passphrase: string): Promise<VaultState> {
  await vault().unlock(passphrase);
  return announce();
}

export async function lockVault(): Promise<VaultState> {
  await vault().lock();
  await afterLock();
  return vaultState();
}

/** User activity: pushes the idle deadline back (no-op while locked). */
export async function activity(): Promise<void> {
  if (vault().unlocked) await vault().touch();
}

export async function requireUnlocked(): Promise<Vault> {
  const v = vault();
  if (!(await v.resume())) {
    throw new ExtensionError((await v.exists()) ? 'locked' : 'no-vault', translate((await v.exists()) ? 'ext.vault.error.locked' : 'ext.vault.error.none'));
  }
  return v;
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

/** Vault errors carry a human English message without secrets; codes map onto wire codes. */
export function mapVaultError(error: unknown): WireError | undefined {
  if (!(error instanceof VaultError)) return undefined;
  if (error instanceof VaultLockedError) return { code: 'locked', message: error.message };
  if (error instanceof WrongPassphraseError || error instanceof UnlockThrottledError) return { code: 'wrong-passphrase', message: error.message };
  if (error instanceof VaultInputError) {
    const field = error.field;
    return { code: 'bad-request', message: error.message, fieldErrors: [{ path: field, field, message: error.message, errno: null }] };
  }
  if (error.code === 'not-found') return { code: 'no-vault', message: error.message };
  return { code: 'internal', message: error.message };
}

defineTask(AUTO_LOCK_TASK, async () => {
  if (await vault().checkAutoLock()) await afterLock();
  else {
    const deadline = await vault().deadline();
    if (deadline !== null) await schedule(AUTO_LOCK_TASK, deadline);
  }
});
