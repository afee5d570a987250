/**
 * The extension's terms without any language but English loaded: types, the language choice and
 * `translate`. index.ts adds every other language at once (background, options, full view); the
 * popup loads only the one it shows (lazy.ts), so it does not carry German for English users.
 */
import { registerTranslation, type Translation } from '../../../components/localize/localize.js';
import en from './en.js';

type Widen<T> = T extends string ? string : T extends (...args: infer A) => string ? (...args: A) => string : T;

/** Every extension term, with English's argument signatures. */
export type ExtTerms = { -readonly [K in Exclude<keyof typeof en, '$code' | '$name' | '$dir'>]: Widen<(typeof en)[K]> };
export type ExtTermKey = keyof ExtTerms;
export type ExtTermArgs<K extends ExtTermKey> = ExtTerms[K] extends (...args: infer A) => string ? A : [];

/** A complete translation of the extension terms. */
export type ExtTranslation = { $code: string; $name: string; $dir: 'ltr' | 'rtl' } & ExtTerms;

/** Every language we ship, loaded or not (the choice must not depend on what is loaded yet). */
export const SHIPPED_LANGUAGES: readonly string[] = ['en', 'de'];

const tables: Record<string, ExtTranslation> = { en };

/** Makes a language's extension and component terms available to `translate` and to elements. */
export function addLanguage(ext: ExtTranslation, components: Translation): void {
  tables[ext.$code] = ext;
  registerTranslation(components, ext);
}

/** Registers the English extension terms for elements (idempotent). */
export function registerEnglish(): void {
  registerTranslation(en);
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
    if (SHIPPED_LANGUAGES.includes(tag)) return tag;
    const base = tag.split('-')[0] ?? '';
    if (SHIPPED_LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/** Translates an extension term outside an element (background, error messages). */
export function translate<K extends ExtTermKey>(key: K, ...args: ExtTermArgs<K>): string {
  const value = (tables[uiLanguage()] ?? en)[key] as unknown;
  if (typeof value === 'function') return (value as (...a: unknown[]) => string)(...args);
  return typeof value === 'string' ? value : key;
}

/** True when `key` names an extension term. */
export function isExtTerm(key: string): key is ExtTermKey {
  return Object.hasOwn(en, key) && !key.startsWith('$');
}
