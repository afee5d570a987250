import { DeleteKeyDialog } from '../delete-key-dialog/delete-key-dialog.js';
import { defineElement } from '../internal/define.js';

export { DeleteKeyDialog };

defineElement('delete-key-dialog', DeleteKeyDialog);

declare global {
  interface HTMLElementTagNameMap {
    'delete-key-dialog': DeleteKeyDialog;
  }
}
