// Popup entry: the toolbar popup (also opened as a tab by the end-to-end tests). It bundles no
// <api-key-manager> or form: those live in the full view (manager/manager.html).
// The vault view and the reveal dialog load when first needed (lazy-parts.ts).
import { defineElement } from '../../components/internal/define.js';
import { loadUiLanguage } from '../shared/i18n/lazy.js';
import '../shared/ui/define.js';
import { NkmKeyList } from './key-list.js';
import { NkmPopupApp } from './popup-app.js';
import { NkmRowMenu } from './row-menu.js';
import { startEarly } from './startup.js';
import type { NkmVaultView } from './vault-view.js';

// The first requests go out before anything else runs (see startup.ts).
startEarly();
defineElement('nkm-row-menu', NkmRowMenu);
defineElement('nkm-key-list', NkmKeyList);
defineElement('nkm-popup-app', NkmPopupApp);

declare global {
  interface HTMLElementTagNameMap {
    'nkm-popup-app': NkmPopupApp;
    'nkm-key-list': NkmKeyList;
    'nkm-row-menu': NkmRowMenu;
    'nkm-vault-view': NkmVaultView;
  }
}

// Only the language shown is loaded (German is its own chunk), before the first render.
// A chunk that fails to load leaves the popup in English rather than blank.
void loadUiLanguage()
  .catch(() => 'en')
  .then((lang) => {
    document.documentElement.lang = lang;
    document.documentElement.dir = 'ltr';
    document.getElementById('app')?.append(document.createElement('nkm-popup-app'));
  });
