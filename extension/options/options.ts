// Options page entry: saved NAS hosts and vault settings.
import { defineElement } from '../../components/kit.js';
import { preparePage } from '../shared/ui/page.js';
import '../shared/ui/define.js';
import { NkmHostForm } from './host-form.js';
import { NkmOptionsApp } from './options-app.js';
import { NkmVaultPanel } from './vault-panel.js';

preparePage();
defineElement('nkm-vault-panel', NkmVaultPanel);
defineElement('nkm-host-form', NkmHostForm);
defineElement('nkm-options-app', NkmOptionsApp);

declare global {
  interface HTMLElementTagNameMap {
    'nkm-vault-panel': NkmVaultPanel;
    'nkm-host-form': NkmHostForm;
    'nkm-options-app': NkmOptionsApp;
  }
}

document.getElementById('app')?.append(document.createElement('nkm-options-app'));
