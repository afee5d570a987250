/**
 * The extension's own terms (`ext.*`), registered into the components' localization registry so
 * pages use one `LocalizeController` for component and extension strings alike. The background
 * has no elements, so it translates with {@link translate} in the browser's UI language.
 */
import componentsDe from '../../../components/localize/translations/de.js';
import { addLanguage, registerEnglish } from './core.js';
import de from './de.js';

export * from './core.js';

// Every shipped language at once: the background translates synchronously, at any time.
addLanguage(de, componentsDe);

let registered = false;
/** Registers component and extension terms for every language we ship (idempotent). */
export function registerExtensionTranslations(): void {
  if (registered) return;
  registered = true;
  registerEnglish();
}

/** A term reference: what errors carry so each page can show them in its own language. */
export interface TermRef {
  key: string;
  args?: Array<string | number>;
}
