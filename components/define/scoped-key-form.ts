import { ScopedKeyForm } from '../scoped-key-form/scoped-key-form.js';
import { defineElement } from '../internal/define.js';

export { ScopedKeyForm };

defineElement('scoped-key-form', ScopedKeyForm);

declare global {
  interface HTMLElementTagNameMap {
    'scoped-key-form': ScopedKeyForm;
  }
}
