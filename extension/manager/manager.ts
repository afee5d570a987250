// Full view entry: the whole key manager for one saved host, in a tab.
import '../../components/define/api-key-manager.js';
import { defineElement } from '../../components/kit.js';
import { preparePage } from '../shared/ui/page.js';
import '../shared/ui/define.js';
import { NkmOtpDialog } from '../shared/ui/otp-dialog.js';
import { NkmManagerApp } from './manager-app.js';

preparePage();
defineElement('nkm-otp-dialog', NkmOtpDialog);
defineElement('nkm-manager-app', NkmManagerApp);

declare global {
  interface HTMLElementTagNameMap {
    'nkm-otp-dialog': NkmOtpDialog;
    'nkm-manager-app': NkmManagerApp;
  }
}

document.getElementById('app')?.append(document.createElement('nkm-manager-app'));
