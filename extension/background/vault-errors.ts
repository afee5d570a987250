/**
 * Vault errors as pages see them: a stable wire code and a message in the browser's language
 * (the vault's own messages are English, for logs and other hosts of the module). Never a secret.
 */
import { PASSPHRASE_MAX, PASSPHRASE_MIN } from '../vault/crypto.js';
import { ImportFormatError, UnlockThrottledError, VaultError, VaultInputError, VaultTamperedError, VaultVersionError, WrongPassphraseError } from '../vault/errors.js';
import { translate } from '../shared/i18n/index.js';
import type { WireError } from '../shared/protocol.js';

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

function message(error: VaultError): string {
  if (error instanceof WrongPassphraseError) {
    // Attempts on the vault are counted; a wrong export-file passphrase is not (failures 0).
    if (error.failures === 0) return translate('ext.vault.error.wrongFilePassphrase');
    return error.retryAfterMs > 0 ? translate('ext.vault.error.wrongPassphraseWait', seconds(error.retryAfterMs)) : translate('ext.vault.error.wrongPassphrase');
  }
  if (error instanceof UnlockThrottledError) return translate('ext.vault.error.throttled', seconds(error.retryAfterMs));
  if (error instanceof VaultTamperedError) return translate(error.part === 'record' || error.part === 'blob' ? 'ext.vault.error.damagedEntry' : 'ext.vault.error.damagedVault');
  if (error instanceof VaultVersionError) return translate('ext.vault.error.newerVersion');
  if (error instanceof ImportFormatError) return translate(`ext.vault.import.${error.problem}`);
  if (error instanceof VaultInputError) {
    return /passphrase|current|next/i.test(error.field) ? translate('ext.vault.error.passphraseRules', PASSPHRASE_MIN, PASSPHRASE_MAX) : translate('ext.error.badRequest', error.field);
  }
  switch (error.code) {
    case 'locked':
      return translate('ext.vault.error.locked');
    case 'not-found':
      return translate('ext.vault.error.none');
    case 'exists':
      return translate('ext.vault.error.exists');
    case 'kdf-policy':
      return translate('ext.vault.error.kdfPolicy');
    case 'quota':
      return translate('ext.vault.error.quota');
    case 'blocked':
      return translate('ext.vault.error.blocked');
    case 'conflict':
      return translate('ext.vault.error.conflict');
    case 'confirmation-required':
      return translate('ext.vault.error.confirmation');
    default:
      return translate('ext.vault.error.storage');
  }
}

const CODES: Partial<Record<VaultError['code'], WireError['code']>> = {
  locked: 'locked',
  'not-found': 'no-vault',
  'wrong-passphrase': 'wrong-passphrase',
  throttled: 'wrong-passphrase',
  input: 'bad-request',
  'import-format': 'bad-request',
  'confirmation-required': 'bad-request',
};

export function mapVaultError(error: unknown): WireError | undefined {
  if (!(error instanceof VaultError)) return undefined;
  const text = message(error);
  const wire: WireError = { code: CODES[error.code] ?? 'internal', message: text };
  if (error instanceof VaultInputError) wire.fieldErrors = [{ path: error.field, field: error.field, message: text, errno: null }];
  return wire;
}
