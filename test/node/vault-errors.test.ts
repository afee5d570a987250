/** Vault errors reach pages with a stable code and a message from the translation tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapVaultError } from '../../extension/background/vault-errors.js';
import en from '../../extension/shared/i18n/en.js';
import {
  ConfirmationRequiredError,
  ImportFormatError,
  KdfPolicyError,
  QuotaError,
  UnlockThrottledError,
  VaultBlockedError,
  VaultConflictError,
  VaultExistsError,
  VaultInputError,
  VaultLockedError,
  VaultNotFoundError,
  VaultStorageError,
  VaultTamperedError,
  VaultVersionError,
  WrongPassphraseError,
} from '../../extension/vault/errors.js';

const terms = new Set<string>(Object.values(en).flatMap((v) => (typeof v === 'string' ? [v] : [])));

test('every vault error maps to a wire code and a translated message', () => {
  const cases: Array<[Error, string, RegExp | null]> = [
    [new VaultLockedError('idle'), 'locked', null],
    [new VaultNotFoundError(), 'no-vault', null],
    [new VaultExistsError(), 'internal', null],
    [new WrongPassphraseError(2, 0), 'wrong-passphrase', null],
    [new WrongPassphraseError(5, 4000), 'wrong-passphrase', /in 4 s/],
    [new WrongPassphraseError(0, 0, 'file'), 'wrong-passphrase', /export file/],
    [new UnlockThrottledError(29_500, 9), 'wrong-passphrase', /in 30 s/],
    [new VaultTamperedError('record', 'abc', 'keys'), 'internal', /damaged entries/],
    [new VaultTamperedError('header'), 'internal', /Restore it from an export/],
    [new KdfPolicyError(1000, 600_000), 'internal', null],
    [new QuotaError(), 'internal', null],
    [new VaultBlockedError(), 'internal', null],
    [new VaultVersionError(9, 2), 'internal', null],
    [new ImportFormatError('future-timestamp'), 'bad-request', /future/],
    [new VaultConflictError(), 'internal', null],
    [new VaultInputError('passphrase', 'The passphrase is too short: use at least 8 characters.'), 'bad-request', /8 to 1024/],
    [new ConfirmationRequiredError('x'), 'bad-request', null],
    [new VaultStorageError(), 'internal', null],
  ];
  for (const [error, code, pattern] of cases) {
    const wire = mapVaultError(error);
    assert.ok(wire, `${error.name} is mapped`);
    assert.equal(wire.code, code, `${error.name} code`);
    if (pattern) assert.match(wire.message, pattern, `${error.name} message`);
    else assert.ok(terms.has(wire.message), `${error.name}: "${wire.message}" comes from the tables`);
  }
  assert.equal(mapVaultError(new Error('other')), undefined);
});
