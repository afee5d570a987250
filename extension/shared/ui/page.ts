/** Page start-up shared by popup and options: language, direction, translations. */
import { registerExtensionTranslations, uiLanguage } from '../i18n/index.js';

export function preparePage(): void {
  registerExtensionTranslations();
  const lang = uiLanguage();
  document.documentElement.lang = lang;
  document.documentElement.dir = 'ltr';
}

/** Downloads text as a file (vault export). The object URL is revoked right after the click. */
export function download(fileName: string, content: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
