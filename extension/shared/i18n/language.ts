/**
 * Which language a page shows, with no translation table loaded: the popup decides before its
 * tables arrive (it loads only that language's, see lazy.ts), everything else through core.ts.
 */

/** Every language we ship, loaded or not (the choice must not depend on what is loaded yet). */
export const SHIPPED_LANGUAGES: readonly string[] = ['en', 'de'];

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
