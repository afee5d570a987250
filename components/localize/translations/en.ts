import enBase from './en-base.js';
import enDelete from './en-delete.js';
import enManager from './en-manager.js';

/**
 * English terms: the canonical table. Every other language must provide every key (the type
 * checker enforces it). Keys are namespaced by component: `common.*`, `table.*`, `form.*`,
 * `reveal.*`, `delete.*`, `manager.*`. Functions take arguments for plurals and interpolation.
 *
 * The terms live in three files so that a bundle ships only the English its components use:
 * en-base.ts (common, table, form, reveal), en-delete.ts (`delete.*`) and en-manager.ts
 * (`manager.*`, except `manager.unknownError`, which every component uses). The localizer
 * registers en-base.ts; the delete dialog and the manager add theirs when imported.
 */
const en = { ...enBase, ...enDelete, ...enManager } as const;

export default en;
