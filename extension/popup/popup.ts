// Popup entry: the toolbar popup (also opened as a tab by the end-to-end tests).
import '../../components/define/api-key-manager.js';
import '../../components/define/api-key-table.js';
// The popup's own reveal dialog shows a new key the vault did not take, also in All hosts.
import '../../components/define/key-reveal-dialog.js';
import { defineElement } from '../../components/internal/define.js';
import { preparePage } from '../shared/ui/page.js';
import '../shared/ui/define.js';
import { NkmPopupApp } from './popup-app.js';
import { NkmVaultView } from './vault-view.js';

preparePage();
defineElement('nkm-vault-view', NkmVaultView);
defineElement('nkm-popup-app', NkmPopupApp);

declare global {
  interface HTMLElementTagNameMap {
    'nkm-popup-app': NkmPopupApp;
    'nkm-vault-view': NkmVaultView;
  }
}

document.getElementById('app')?.append(document.createElement('nkm-popup-app'));
