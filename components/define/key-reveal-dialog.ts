import { KeyRevealDialog } from '../key-reveal-dialog/key-reveal-dialog.js';
import { defineElement } from '../internal/define.js';

export { KeyRevealDialog };

defineElement('key-reveal-dialog', KeyRevealDialog);

declare global {
  interface HTMLElementTagNameMap {
    'key-reveal-dialog': KeyRevealDialog;
  }
}
