/**
 * Registers every component: `<api-key-table>`, `<api-key-form>`, `<key-reveal-dialog>`,
 * `<delete-key-dialog>`, `<scoped-key-form>` and `<api-key-manager>`. Import this once (or only the define files you need).
 */
export { ApiKeyTable } from './api-key-table.js';
export { ApiKeyForm } from './api-key-form.js';
export { KeyRevealDialog } from './key-reveal-dialog.js';
export { DeleteKeyDialog } from './delete-key-dialog.js';
export { ApiKeyManager } from './api-key-manager.js';
export { ColumnOrganizer } from './column-organizer.js';
export { ScopedKeyForm } from './scoped-key-form.js';
