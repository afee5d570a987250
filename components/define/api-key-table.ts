import { ApiKeyTable } from '../api-key-table/api-key-table.js';
import { defineElement } from '../internal/define.js';

export { ApiKeyTable };

defineElement('api-key-table', ApiKeyTable);

declare global {
  interface HTMLElementTagNameMap {
    'api-key-table': ApiKeyTable;
  }
}
