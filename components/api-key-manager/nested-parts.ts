/**
 * The parts of the elements `<api-key-manager>` renders, re-exported through it (`exportparts`), so
 * a page styles them from outside: `api-key-manager::part(status-badge)`. The table's parts keep
 * their names (the table is the manager's main content) except the two the manager has too; the
 * form's and the dialogs' parts get their element's prefix (`form-submit-button`,
 * `reveal-copy-button`, `delete-delete-button`), since the three share names such as `footer`.
 * The manager's tests check every part the nested elements render is in these lists.
 */
import { KEY_ACTIONS } from '../events/key-action.js';
import { DEFAULT_COLUMNS } from '../api-key-table/table-data.js';
import { ORGANIZER_PARTS } from '../api-key-table/api-key-table.js';
import type { KeyAccessSummary, KeyStatus } from '../model/api-key.js';

const STATUSES: readonly KeyStatus[] = ['active', 'expiring', 'expired', 'revoked'];
const ACCESS: readonly KeyAccessSummary[] = ['full-admin', 'read-only', 'replication', 'snapshots', 'sharing', 'custom', 'none', 'full', 'restricted', 'unknown'];

const TABLE_PARTS = [
  'base', 'toolbar', 'search-label', 'search', 'status-filter-label', 'status-filter', 'columns-button', 'summary',
  'error', 'error-message', 'retry-button', 'grid', 'header', 'header-row', 'header-cell', 'sort-button',
  'sort-indicator', 'body', 'row', 'placeholder-row', 'selected-row', 'row-highlight', 'cell',
  ...DEFAULT_COLUMNS.map((column) => `cell-${column.id}`),
  'status', ...STATUSES.map((status) => `status-${status}`), 'status-badge', 'status-reason', 'expires', 'created',
  'access', ...ACCESS.map((summary) => `access-${summary}`), 'access-wide', 'access-flag', 'last-used', 'sessions-count', 'insight-note',
  'action-button', ...KEY_ACTIONS.map((action) => `action-${action}`), 'row-menu-button', 'row-menu', 'row-menu-item',
  ...KEY_ACTIONS.map((action) => `row-menu-${action}`), 'message', 'clear-filters-button',
  ...ORGANIZER_PARTS,
];
const FORM_PARTS = [
  'form', 'errors', 'field', 'name', 'owner', 'owner-toggle', 'owner-list', 'expiry-readable', 'expiry', 'presets',
  'reset', 'end-sessions', 'allowlist', 'footer', 'cancel-button', 'submit-button',
];
const REVEAL_PARTS = [
  'dialog', 'body', 'title', 'key-name', 'warning', 'format', 'secret', 'reveal-button', 'copy-button', 'save-button',
  'close-button', 'back-button', 'discard-button', 'status', 'confirm', 'footer',
];
const SCOPED_PARTS = [
  'form', 'intro', 'purpose', 'purpose-option', 'pull', 'roles', 'role-search', 'role-list', 'role', 'role-refused', 'name', 'expiry',
  'review', 'review-steps', 'failure', 'error', 'footer', 'cancel-button', 'back-button', 'review-button', 'create-button',
];
const DELETE_PARTS = ['dialog', 'body', 'title', 'message', 'end-sessions', 'confirm', 'error', 'footer', 'cancel-button', 'delete-button'];

/** `exportparts` value: a part keeps its name, or `inner: outer` when renamed. */
function exportParts(parts: readonly string[], rename: (part: string) => string): string {
  return parts.map((part) => (rename(part) === part ? part : `${part}: ${rename(part)}`)).join(', ');
}

export const TABLE_EXPORTPARTS = exportParts(TABLE_PARTS, (part) => (part === 'base' || part === 'toolbar' ? `table-${part}` : part));
export const FORM_EXPORTPARTS = exportParts(FORM_PARTS, (part) => `form-${part}`);
export const REVEAL_EXPORTPARTS = exportParts(REVEAL_PARTS, (part) => `reveal-${part}`);
export const SCOPED_EXPORTPARTS = exportParts(SCOPED_PARTS, (part) => `scoped-${part}`);
export const DELETE_EXPORTPARTS = exportParts(DELETE_PARTS, (part) => `delete-${part}`);
