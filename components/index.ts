/**
 * NAS Key Manager components: classes, events, the key model, the service interface and
 * localization. Importing this module registers nothing; use `define/index.js` (or one
 * `define/<tag>.js`) to register the tags, or call `customElements.define` with your own names.
 */
export { ApiKeyTable, DEFAULT_COLUMNS, normalizeColumns, rowKey } from './api-key-table/api-key-table.js';
export type { ColumnId, ColumnSetting, KeyDataProvider, TableSort } from './api-key-table/api-key-table.js';
export { ApiKeyForm } from './api-key-form/api-key-form.js';
export { KeyRevealDialog, type RevealOptions } from './key-reveal-dialog/key-reveal-dialog.js';
export { formatKey, KEY_EXPORT_FORMATS } from './key-reveal-dialog/key-formats.js';
export { DeleteKeyDialog } from './delete-key-dialog/delete-key-dialog.js';
export { ApiKeyManager } from './api-key-manager/api-key-manager.js';
export { ScopedKeyForm } from './scoped-key-form/scoped-key-form.js';

export { NasEvent } from './events/nas-event.js';
export { NasAsyncEvent } from './events/nas-async-event.js';
export * from './events/key-action.js';
export * from './events/retry.js';
export * from './events/columns-change.js';
export * from './events/sort-change.js';
export * from './events/filter-change.js';
export * from './events/selection-change.js';
export * from './events/key-submit.js';
export * from './events/form-cancel.js';
export * from './events/key-copy.js';
export * from './events/key-save.js';
export * from './events/delete-confirm.js';
export * from './events/request-close.js';
export * from './events/dialog-close.js';
export * from './events/scoped-key-create.js';

export * from './model/api-key.js';
export type { ApiKeyService } from './service/api-key-service.js';
export { scopedKeyFailureOf, SCOPED_PURPOSES, REFUSED_ROLES, LEGACY_ALLOWLIST_PRESETS } from './model/scoped-key.js';
export type { RoleInfo, ScopedKeyFailure, ScopedKeyInput, ScopedKeyPlan, ScopedKeyResult, ScopedKeyStep, ScopedPurpose } from './model/scoped-key.js';

export { registerTranslation, setFallbackLanguage, LocalizeController } from './localize/localize.js';
export type { Translation, TermTable, TermKey, Terms } from './localize/localize.js';
export { default as en } from './localize/translations/en.js';
export { default as de } from './localize/translations/de.js';
