/**
 * The extension's own terms (`ext.*`), registered into the components' localization registry so
 * pages use one `LocalizeController` for component and extension strings alike. The background
 * has no elements, so it translates with {@link translate} in the browser's UI language.
 */
import { registerTranslation } from '../../../components/localize/localize.js';
import componentsDe from '../../../components/localize/translations/de.js';
import en from './en.js';
import de from './de.js';

type Widen<T> = T extends string ? string : T extends (...args: infer A) => string ? (...args: A) => string : T;

/** Every extension term, with English's argument signatures. */
export type ExtTerms = { -readonly [K in Exclude<keyof typeof en, '$code' | '$name' | '$dir'>]: Widen<(typeof en)[K]> };
export type ExtTermKey = keyof ExtTerms;
export type ExtTermArgs<K extends ExtTermKey> = ExtTerms[K] extends (...args: infer A) => string ? A : [];

/** A complete translation of the extension terms. */
export type ExtTranslation = { $code: string; $name: string; $dir: 'ltr' | 'rtl' } & ExtTerms;

const tables: Record<string, ExtTranslation> = { en, de };

let registered = false;
/** Registers component and extension terms for every language we ship (idempotent). */
export function registerExtensionTranslations(): void {
  if (registered) return;
  registered = true;
  registerTranslation(componentsDe, en, de);
}

/**
 * The language to use: the first of the user's preferred languages (`navigator.languages`, the
 * browser's language settings) that we ship, else the browser's UI language, else English.
 */
export function uiLanguage(): string {
  const wanted: string[] = [];
  try {
    wanted.push(...(globalThis.navigator?.languages ?? []), globalThis.chrome?.i18n?.getUILanguage?.() ?? '');
  } catch {
    // keep English
  }
  for (const tag of wanted.map((l) => l.toLowerCase()).filter(Boolean)) {
    if (tables[tag]) return tag;
    const base = tag.split('-')[0] ?? '';
    if (tables[base]) return base;
  }
  return 'en';
}

/** Translates an extension term outside an element (background, error messages). */
export function translate<K extends ExtTermKey>(key: K, ...args: ExtTermArgs<K>): string {
  const value = (tables[uiLanguage()] ?? en)[key] as unknown;
  if (typeof value === 'function') return (value as (...a: unknown[]) => string)(...args);
  return typeof value === 'string' ? value : key;
}

/** A term reference: what errors carry so each page can show them in its own language. */
export interface TermRef {
  key: string;
  args?: Array<string | number>;
}

/** True when `key` names an extension term. */
export function isExtTerm(key: string): key is ExtTermKey {
  return Object.hasOwn(en, key) && !key.startsWith('$');
}
