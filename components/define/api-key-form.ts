import { ApiKeyForm } from '../api-key-form/api-key-form.js';
import { defineElement } from '../internal/define.js';

export { ApiKeyForm };

defineElement('api-key-form', ApiKeyForm);

declare global {
  interface HTMLElementTagNameMap {
    'api-key-form': ApiKeyForm;
  }
}
