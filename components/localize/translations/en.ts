import enBase from './en-base.js';
import enDelete from './en-delete.js';
import enManager from './en-manager.js';
import enScoped from './en-scoped.js';

/**
 * English terms: the canonical table. Every other language must provide every key (the type
 * checker enforces it). Keys are namespaced by component: `common.*`, `table.*`, `form.*`,
 * `reveal.*`, `delete.*`, `manager.*`, `scoped.*`. Functions take arguments for plurals and interpolation.
 *
 * The terms live in four files so that a bundle ships only the English its components use:
 * en-base.ts (common, table, form, reveal), en-delete.ts (`delete.*`), en-manager.ts
 * (`manager.*`, except `manager.unknownError`, which every component uses) and en-scoped.ts
 * (`scoped.*`, the scoped-key form's). The localizer
 * registers en-base.ts; the delete dialog, the manager and the scoped-key form add theirs when imported.
 */
const en = { ...enBase, ...enDelete, ...enManager, ...enScoped } as const;

export default en;
