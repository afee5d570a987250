/**
 * The extension's terms with no table loaded: types, the language choice and `translate`.
 * index.ts adds every language at once (background, options, full view); the popup loads only
 * the one it shows (lazy.ts), English included, so German users do not also load English.
 */
import { registerTranslation, type TermTable, type Translation } from '../../../components/localize/localize.js';
import type en from './en.js';
import type enPopup from './en-popup.js';

export { SHIPPED_LANGUAGES, uiLanguage } from './language.js';
import { uiLanguage } from './language.js';

type Widen<T> = T extends string ? string : T extends (...args: infer A) => string ? (...args: A) => string : T;

/** Every extension term, with English's argument signatures. */
export type ExtTerms = { -readonly [K in Exclude<keyof typeof en, '$code' | '$name' | '$dir'>]: Widen<(typeof en)[K]> };
export type ExtTermKey = keyof ExtTerms;
export type ExtTermArgs<K extends ExtTermKey> = ExtTerms[K] extends (...args: infer A) => string ? A : [];

/** A complete translation of the extension terms. */
export type ExtTranslation = { $code: string; $name: string; $dir: 'ltr' | 'rtl' } & ExtTerms;

/** A translation of the terms the popup uses (en-popup.ts): all the popup loads. */
export type PopupTranslation = Pick<ExtTranslation, keyof typeof enPopup>;

const tables: Record<string, ExtTranslation | PopupTranslation> = {};

/** Makes a language's extension terms available to `translate` (not to elements). */
export function addTable(ext: ExtTranslation | PopupTranslation): void {
  tables[ext.$code] = ext;
}

/** Makes a language's extension and component terms available to `translate` and to elements. */
export function addLanguage(ext: ExtTranslation | PopupTranslation, components: Translation | TermTable): void {
  addTable(ext);
  registerTranslation(components, ext);
}

/**
 * Translates an extension term outside an element (background, error messages): in the UI
 * language, else English, else whichever language is loaded (the popup loads only one).
 */
export function translate<K extends ExtTermKey>(key: K, ...args: ExtTermArgs<K>): string {
  const table = tables[uiLanguage()] ?? tables['en'] ?? Object.values(tables)[0];
  // The popup's table holds only its own terms: another key reads as missing.
  const value: unknown = table ? Reflect.get(table, key) : undefined;
  if (typeof value === 'function') return (value as (...a: unknown[]) => string)(...args);
  return typeof value === 'string' ? value : key;
}
