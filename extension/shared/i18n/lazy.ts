/**
 * For a page that loads only the language it shows (the popup, whose budget is tight): English is
 * built in, any other shipped language is fetched as its own chunk before the first render.
 */
import type { Translation } from '../../../components/localize/localize.js';
import { addLanguage, registerEnglish, uiLanguage, type ExtTranslation } from './core.js';

const LOADERS: Record<string, () => Promise<[ExtTranslation, Translation]>> = {
  de: async () => {
    const [ext, components] = await Promise.all([import('./de.js'), import('../../../components/localize/translations/de.js')]);
    return [ext.default, components.default];
  },
};

/** Registers English and loads the UI language's tables; returns that language's code. */
export async function loadUiLanguage(): Promise<string> {
  registerEnglish();
  const lang = uiLanguage();
  const load = LOADERS[lang];
  if (load) addLanguage(...(await load()));
  return lang;
}
