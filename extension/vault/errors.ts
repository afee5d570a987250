/**
 * Every failure the vault reports is one of these classes, each with a stable `code` (for the UI's
 * translation tables) and a human English `message`. No message ever contains a secret, a host name
 * or a key name: they are safe to log and to send to an extension page.
 */

/** Stable machine-readable codes, one per error class. */
export type VaultErrorCode =
  | 'locked'
  | 'not-found'
  | 'exists'
  | 'wrong-passphrase'
  | 'throttled'
  | 'tampered'
  | 'kdf-policy'
  | 'quota'
  | 'blocked'
  | 'version'
  | 'import-format'
  | 'conflict'
  | 'input'
  | 'confirmation-required'
  | 'storage';

/** Base class of every vault error. */
export abstract class VaultError extends Error {
  abstract readonly code: VaultErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why the vault is locked. */
export type LockReason = 'locked' | 'idle' | 'elsewhere';

/** The operation needs the data key, but the vault is locked (never unlocked, locked, or auto-locked). */
export class VaultLockedError extends VaultError {
  readonly code = 'locked';
  constructor(readonly reason: LockReason = 'locked') {
    super(
      reason === 'idle'
        ? 'The vault locked itself after a period of inactivity. Unlock it with your passphrase to continue.'
        : reason === 'elsewhere'
          ? 'The vault was locked from another window. Unlock it with your passphrase to continue.'
          : 'The vault is locked. Unlock it with your passphrase to continue.',
    );
  }
}

/** No vault has been created in this database yet. */
export class VaultNotFoundError extends VaultError {
  readonly code = 'not-found';
  constructor() {
    super('There is no vault yet. Create one by choosing a passphrase.');
  }
}

/** `create()` was called but a vault already exists; nothing was overwritten. */
export class VaultExistsError extends VaultError {
  readonly code = 'exists';
  constructor() {
    super('A vault already exists. Unlock it with its passphrase; it was not overwritten.');
  }
}

/** The passphrase does not open the vault (or the import file). Nothing was changed. */
export class WrongPassphraseError extends VaultError {
  readonly code = 'wrong-passphrase';
  /**
   * @param failures consecutive failed attempts so far (0 when not counted, e.g. for an import file)
   * @param retryAfterMs how long the next attempt is refused, 0 if it may be made at once
   */
  constructor(
    readonly failures: number,
    readonly retryAfterMs: number,
    what: 'vault' | 'file' = 'vault',
  ) {
    super(
      what === 'file'
        ? 'That passphrase does not open this export file. Nothing was imported.'
        : retryAfterMs > 0
          ? `That passphrase is not correct. After ${failures} failed attempts, the next one is possible in ${Math.ceil(retryAfterMs / 1000)} s.`
          : 'That passphrase is not correct. Nothing was changed.',
    );
  }
}

/** Too many wrong passphrases: this attempt was refused without checking it. */
export class UnlockThrottledError extends VaultError {
  readonly code = 'throttled';
  constructor(
    readonly retryAfterMs: number,
    readonly failures: number,
  ) {
    super(`Too many wrong passphrases. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`);
  }
}

/** Which stored part failed its integrity check. */
export type TamperedPart = 'header' | 'wrapped-key' | 'record' | 'blob';

/**
 * Stored data failed its integrity check (a changed or damaged byte, or a record moved to another
 * slot). It is never used; other records stay readable.
 */
export class VaultTamperedError extends VaultError {
  readonly code = 'tampered';
  constructor(
    readonly part: TamperedPart,
    /** The damaged record's id (opaque, not secret), for `part === 'record'`. */
    readonly recordId: string | null = null,
    readonly store: 'keys' | 'hosts' | null = null,
  ) {
    super(
      part === 'record'
        ? `A stored ${store === 'hosts' ? 'host credential' : 'key'} (entry ${recordId ?? '?'}) is damaged or was modified; it cannot be read. Other entries are unaffected.`
        : part === 'blob'
          ? 'Sealed extension data is damaged, was modified or belongs to another label; it cannot be read.'
          : part === 'wrapped-key'
            ? 'The vault\'s stored key is damaged or was modified, so the vault cannot be opened. Restore it from an export.'
            : 'The vault header is damaged or was modified, so the vault cannot be opened. Restore it from an export.',
    );
  }
}

/** Stored or requested KDF parameters are below the security floor (a downgrade); refused, not used. */
export class KdfPolicyError extends VaultError {
  readonly code = 'kdf-policy';
  constructor(
    readonly iterations: number,
    readonly floor: number,
  ) {
    super(`The key derivation uses ${iterations} PBKDF2 iterations, below the minimum of ${floor}; it was refused.`);
  }
}

/** The browser's storage quota is exhausted; the change was not saved (nothing was half-written). */
export class QuotaError extends VaultError {
  readonly code = 'quota';
  constructor(options?: { cause?: unknown }) {
    super('The browser has no storage space left for the vault. Nothing was saved; free some space and try again.', options);
  }
}

/** Another tab or window still has the vault open with an older version, so it cannot be upgraded. */
export class VaultBlockedError extends VaultError {
  readonly code = 'blocked';
  constructor() {
    super('The vault is open in another tab or window with an older version. Close it (or reload it) and try again; nothing was changed.');
  }
}

/** The stored vault was written by a newer version of the extension. */
export class VaultVersionError extends VaultError {
  readonly code = 'version';
  constructor(
    readonly found: number | null,
    readonly supported: number,
  ) {
    super(`The vault was written by a newer version of the extension (schema ${found ?? 'unknown'}); this version reads up to schema ${supported}. Update the extension; nothing was changed.`);
  }
}

/** Why an import file was refused. */
export type ImportProblem = 'empty' | 'too-large' | 'not-json' | 'wrong-format' | 'plaintext' | 'newer-version' | 'truncated' | 'corrupt' | 'future-timestamp';

const IMPORT_MESSAGES: Record<ImportProblem, string> = {
  empty: 'The file is empty.',
  'too-large': 'The file is too large to be a vault export.',
  'not-json': 'The file is not a vault export (it is not JSON).',
  'wrong-format': 'The file is not a vault export.',
  plaintext: 'The file is an unencrypted export; only encrypted vault exports can be imported.',
  'newer-version': 'The file was exported by a newer version of the extension; update the extension to import it.',
  truncated: 'The file is incomplete (it was cut off); export it again.',
  corrupt: 'The file is damaged or was modified; its contents cannot be trusted.',
  'future-timestamp': 'The file has dates in the future (more than 5 minutes ahead of this computer\'s clock), so it cannot be merged safely. Check the clock of the computer that wrote it, and this one.',
};

/** An import file was refused; the vault was left unchanged. */
export class ImportFormatError extends VaultError {
  readonly code = 'import-format';
  constructor(readonly problem: ImportProblem) {
    super(`${IMPORT_MESSAGES[problem]} Nothing was imported.`);
  }
}

/** A change kept colliding with changes made at the same time elsewhere; it was not applied. */
export class VaultConflictError extends VaultError {
  readonly code = 'conflict';
  constructor() {
    super('The vault was changed elsewhere at the same time; your change was not applied. Try again.');
  }
}

/** An argument is invalid; `field` names it. Nothing was changed. */
export class VaultInputError extends VaultError {
  readonly code = 'input';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A dangerous operation (plaintext export) was called without its explicit confirmation. */
export class ConfirmationRequiredError extends VaultError {
  readonly code = 'confirmation-required';
  constructor(expected: string) {
    super(`An unencrypted export writes every secret in clear text. Pass the confirmation "${expected}" to proceed.`);
  }
}

/** IndexedDB failed for another reason (disk error, database closed by the browser, …). */
export class VaultStorageError extends VaultError {
  readonly code = 'storage';
  constructor(options?: { cause?: unknown }) {
    const name = options?.cause instanceof DOMException ? ` (${options.cause.name})` : '';
    super(`The browser's database failed${name}; nothing was changed. Try again.`, options);
  }
}
