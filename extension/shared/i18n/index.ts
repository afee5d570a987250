/**
 * The extension's own terms (`ext.*`), registered into the components' localization registry so
 * pages use one `LocalizeController` for component and extension strings alike. The background
 * has no elements, so it translates with {@link translate} in the browser's UI language.
 */
import { registerTranslation } from '../../../components/localize/localize.js';
import componentsDe from '../../../components/localize/translations/de.js';
import { addLanguage, addTable, type ExtTermKey } from './core.js';
import de from './de.js';
import en from './en.js';

export * from './core.js';

// Every shipped language at once: the background translates synchronously, at any time.
// (The components' English registers itself, see components/localize/localize.ts.)
addTable(en);
addLanguage(de, componentsDe);

let registered = false;
/** Registers component and extension terms for every language we ship (idempotent). */
export function registerExtensionTranslations(): void {
  if (registered) return;
  registered = true;
  registerTranslation(en);
}

/** True when `key` names an extension term. */
export function isExtTerm(key: string): key is ExtTermKey {
  return Object.hasOwn(en, key) && !key.startsWith('$');
}

/** A term reference: what errors carry so each page can show them in its own language. */
export interface TermRef {
  key: string;
  args?: Array<string | number>;
}
