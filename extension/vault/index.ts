/**
 * The encrypted key vault (issue 5): envelope encryption over IndexedDB, for the extension
 * background. See docs/vault.md for the format, threat model and lock semantics.
 */
export {
  Vault,
  DEFAULT_AUTO_LOCK_MS,
  AUTO_LOCK_MIN_MS,
  AUTO_LOCK_MAX_MS,
  PLAINTEXT_EXPORT_CONFIRMATION,
  THROTTLE_FREE_ATTEMPTS,
  THROTTLE_MAX_MS,
  throttleDelayMs,
  SEAL_LABEL_MAX,
  type SealedBlob,
  type VaultOptions,
  type VaultStatus,
  IMPORT_FUTURE_TOLERANCE_MS,
  type DamagedEntry,
  type ExportResult,
  type ImportResult,
  type ImportAction,
  type ImportPreview,
} from './vault.js';
export { MemorySessionStore, StorageAreaSessionStore, type SessionStore, type SessionSnapshot, type SessionStorageArea } from './session-store.js';
export { KDF_FLOOR, KDF_DEFAULT_ITERATIONS, PASSPHRASE_MIN, PASSPHRASE_MAX } from './crypto.js';
export { SCHEMA_VERSION } from './db.js';
export { EXPORT_FORMAT, EXPORT_VERSION, PLAINTEXT_FORMAT } from './export-format.js';
export {
  HISTORY_LIMIT,
  KEY_SOURCES,
  NOTES_MAX,
  type KeySource,
  type SupersededSecret,
  type StoredApiKey,
  type SaveKeyInput,
  type KeyPatch,
  type HostAuth,
  type HostCredential,
  type VaultList,
} from './model.js';
export * from './errors.js';
