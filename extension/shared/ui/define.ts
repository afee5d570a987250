/** Registers the extension's shared page elements (idempotent). */
import { defineElement } from '../../../components/kit.js';
import { NkmUnlockForm } from './unlock-form.js';

defineElement('nkm-unlock-form', NkmUnlockForm);

declare global {
  interface HTMLElementTagNameMap {
    'nkm-unlock-form': NkmUnlockForm;
  }
}
