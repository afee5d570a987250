/**
 * For a page that loads only the language it shows (the popup, whose budget is tight): the UI
 * language's extension and component tables, English included, each language its own chunks.
 * English is loaded instead only when the UI language's chunks fail to load. No table, nor the
 * localizer, is imported here: the popup starts this before its main bundle runs (startup.ts).
 */
import type { TermTable, Translation } from '../../../components/localize/localize.js';
import type { PopupTranslation } from './core.js';
import { uiLanguage } from './language.js';

/** A language's terms for the popup: its extension terms (en-popup.ts) and the components' base terms. */
export type Tables = [PopupTranslation, Translation | TermTable];

async function english(): Promise<Tables> {
  const [ext, components] = await Promise.all([import('./en-popup.js'), import('../../../components/localize/translations/en-base.js')]);
  return [ext.default, components.default];
}

const LOADERS: Record<string, () => Promise<Tables>> = {
  en: english,
  de: async () => {
    const [ext, components] = await Promise.all([import('./de-popup.js'), import('../../../components/localize/translations/de-base.js')]);
    return [ext.default, components.default];
  },
};

/**
 * Loads the UI language's tables (`loader` stands in for the chunk loads in tests). If they fail
 * to load, English; if English fails too, the error.
 */
export async function loadUiTables(lang = uiLanguage(), loader: (lang: string) => Promise<Tables> = (l) => (LOADERS[l] ?? english)()): Promise<Tables> {
  try {
    return await loader(lang);
  } catch (error) {
    if (lang === 'en') throw error;
    return loader('en');
  }
}
