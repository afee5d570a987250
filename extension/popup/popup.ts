// Popup entry: the toolbar popup (also opened as a tab by the end-to-end tests). It bundles no
// <api-key-manager> or form: those live in the full view (manager/manager.html).
// The vault view and the reveal dialog load when first needed (lazy-parts.ts).
// startup.ts (loaded ahead of this bundle by popup.html) has already sent the first requests and
// asked for the language's tables.
import { tables } from './startup.js';
import { defineElement } from '../../components/kit.js';
import { addLanguage } from '../shared/i18n/core.js';
import '../shared/ui/define.js';
import { NkmKeyList } from './key-list.js';
import { NkmPopupApp } from './popup-app.js';
import { NkmRowMenu } from './row-menu.js';
import type { NkmVaultView } from './vault-view.js';

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

// Only the language shown is loaded (each its own chunks), before the first render, so it is in
// that language from the start. If that language's chunks failed to load, English (see lazy.ts).
void tables.then(
  ([ext, components]) => {
    addLanguage(ext, components);
    document.documentElement.lang = ext.$code;
    document.documentElement.dir = ext.$dir;
    document.getElementById('app')?.append(document.createElement('nkm-popup-app'));
  },
  () => {
    // Not even English loaded: the extension's files are damaged; nothing readable can be shown.
    document.getElementById('app')?.append(document.createElement('nkm-popup-app'));
  },
);
