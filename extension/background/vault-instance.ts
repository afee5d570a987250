/**
 * The background's one vault instance (extension/vault) and the unlocked-vault requirement. Kept
 * apart from vault-service.ts so that modules the vault service itself uses (connections, sealed
 * storage) can require an unlocked vault without an import cycle.
 */
import browser from 'webextension-polyfill';
import { StorageAreaSessionStore, type SessionStorageArea } from '../vault/session-store.js';
import type { LockReason } from '../vault/errors.js';
import { Vault } from '../vault/vault.js';
import { ExtensionError } from '../shared/errors.js';
import { translate } from '../shared/i18n/index.js';
import { cancel, schedule } from './scheduler.js';

export const AUTO_LOCK_TASK = 'vault-autolock';
let instance: Vault | null = null;
let lockHandler: (reason: LockReason) => void = () => undefined;

/** Registers what runs whenever the vault locks, however it locked (vault-service.ts). */
export function onVaultLock(handler: (reason: LockReason) => void): void {
  lockHandler = handler;
}

export function vault(): Vault {
  if (!instance) {
    const area = (browser.storage as { session?: SessionStorageArea }).session;
    instance = new Vault({
      ...(area ? { sessionStore: new StorageAreaSessionStore(area) } : {}),
      onDeadlineChange: (deadline) => void (deadline === null ? cancel(AUTO_LOCK_TASK) : schedule(AUTO_LOCK_TASK, deadline)),
      onLock: (reason) => lockHandler(reason),
    });
  }
  return instance;
}

/** The unlocked vault, or a `locked` / `no-vault` error. Every handler that touches a NAS or a secret starts here. */
export async function requireUnlocked(): Promise<Vault> {
  const v = vault();
  if (await v.resume()) return v;
  const exists = await v.exists();
  throw new ExtensionError(exists ? 'locked' : 'no-vault', translate(exists ? 'ext.vault.error.locked' : 'ext.vault.error.none'));
}
