import { ApiKeyManager } from '../api-key-manager/api-key-manager.js';
import { defineElement } from '../internal/define.js';

export { ApiKeyManager };

defineElement('api-key-manager', ApiKeyManager);

declare global {
  interface HTMLElementTagNameMap {
    'api-key-manager': ApiKeyManager;
  }
}
