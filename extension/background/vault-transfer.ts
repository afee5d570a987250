/**
 * The background side of the vault's export, import (with its preview), passphrase change and
 * damaged entries. Vault errors that the options page shows are turned into translated texts here.
 */
import { ExtensionError, fieldError } from '../shared/errors.js';
import { translate, type ExtTermKey } from '../shared/i18n/index.js';
import type { VaultDamagedEntry, VaultExportResult, VaultImportPreview } from '../shared/protocol.js';
import { PASSPHRASE_MAX, PASSPHRASE_MIN } from '../vault/crypto.js';
import { ImportFormatError, UnlockThrottledError, VaultInputError, WrongPassphraseError, type ImportProblem } from '../vault/errors.js';
import type { ImportResult } from '../vault/vault.js';
import { requireUnlocked } from './vault-instance.js';

const PROBLEMS: Record<ImportProblem, ExtTermKey> = {
  empty: 'ext.transfer.problem.empty',
  'too-large': 'ext.transfer.problem.tooLarge',
  'not-json': 'ext.transfer.problem.notJson',
  'wrong-format': 'ext.transfer.problem.wrongFormat',
  plaintext: 'ext.transfer.problem.plaintext',
  'newer-version': 'ext.transfer.problem.newerVersion',
  truncated: 'ext.transfer.problem.truncated',
  corrupt: 'ext.transfer.problem.corrupt',
  'future-timestamp': 'ext.transfer.problem.futureTimestamp',
};

/** Import refusals in the user's language (the vault's own messages are English). */
function importError(error: unknown): unknown {
  if (error instanceof ImportFormatError) return new ExtensionError('bad-request', translate(PROBLEMS[error.problem] as 'ext.transfer.problem.empty'));
  if (error instanceof WrongPassphraseError) return fieldError('passphrase', translate('ext.transfer.wrongFilePassphrase'));
  return error;
}

/** Today's file name for an export. */
function exportFileName(now = new Date()): string {
  return `nas-key-manager-vault-${now.toISOString().slice(0, 10)}.json`;
}

export async function exportVault(passphrase: string): Promise<VaultExportResult> {
  const result = await (await requireUnlocked()).exportEncrypted(passphrase);
  return { fileName: exportFileName(), content: result.content, keys: result.keys, hosts: result.hosts, damaged: result.damaged.map(({ store, id }) => ({ store, id })) };
}

export async function previewImport(content: string, passphrase: string): Promise<VaultImportPreview> {
  const vault = await requireUnlocked();
  try {
    return await vault.previewImport(content, passphrase);
  } catch (error) {
    throw importError(error);
  }
}

export async function importVault(content: string, passphrase: string): Promise<ImportResult> {
  const vault = await requireUnlocked();
  try {
    return await vault.importFile(content, passphrase);
  } catch (error) {
    throw importError(error);
  }
}

/**
 * Changes the vault passphrase (the vault must be unlocked: the page offers it there). A wrong
 * current passphrase counts against the unlock throttle, like a wrong unlock.
 */
export async function changePassphrase(current: string, next: string): Promise<null> {
  const vault = await requireUnlocked();
  try {
    await vault.changePassphrase(current, next);
    return null;
  } catch (error) {
    if (error instanceof WrongPassphraseError) {
      const seconds = Math.ceil(error.retryAfterMs / 1000);
      return Promise.reject(fieldError('current', seconds > 0 ? translate('ext.passphrase.wrongCurrentWait', error.failures, seconds) : translate('ext.passphrase.wrongCurrent')));
    }
    if (error instanceof UnlockThrottledError) return Promise.reject(fieldError('current', translate('ext.passphrase.throttled', Math.ceil(error.retryAfterMs / 1000))));
    // No passphrase of the wrong length can be the current one; for the new one, say what is allowed.
    if (error instanceof VaultInputError && error.field === 'passphrase') return Promise.reject(fieldError('current', translate('ext.passphrase.wrongCurrent')));
    if (error instanceof VaultInputError && error.field === 'newPassphrase') {
      const length = [...next.normalize('NFC')].length;
      return Promise.reject(fieldError('next', length > PASSPHRASE_MAX ? translate('ext.passphrase.tooLong', PASSPHRASE_MAX) : translate('ext.passphrase.tooShort', PASSPHRASE_MIN)));
    }
    throw error;
  }
}

/** Entries of either store that fail their integrity check (opaque ids only). */
export async function damagedEntries(): Promise<VaultDamagedEntry[]> {
  const vault = await requireUnlocked();
  const [keys, hosts] = [await vault.listKeys(), await vault.listHostCredentials()];
  return [...keys.damaged.map(({ id }) => ({ store: 'keys' as const, id })), ...hosts.damaged.map(({ id }) => ({ store: 'hosts' as const, id }))];
}

export async function deleteDamagedEntry(entry: VaultDamagedEntry): Promise<null> {
  if (!(await (await requireUnlocked()).deleteDamaged(entry.store, entry.id))) throw new ExtensionError('not-found', translate('ext.vault.error.notDamaged'));
  return null;
}
