import type { ApiKey } from '../model/api-key.js';
import type { KeyExportFormat } from '../events/key-copy.js';

export type { KeyExportFormat };

export const KEY_EXPORT_FORMATS: readonly KeyExportFormat[] = ['raw', 'json', 'ini', 'env'];

/**
 * The key in one of the formats the official TrueNAS client (`truenas_api_client`, `midclt -K`)
 * reads from a key file: the raw `<id>-<secret>` string, JSON `{"api_key_id", "raw_key"}`, INI
 * with a `[TRUENAS_API_KEY]` section, or a `TRUENAS_API_KEY=` environment line. The NAS URL is
 * not part of these formats; clients take it separately (`--uri`).
 */
export function formatKey(format: KeyExportFormat, key: Pick<ApiKey, 'id'>, secret: string): string {
  switch (format) {
    case 'raw':
      return secret;
    case 'json':
      return JSON.stringify({ api_key_id: key.id, raw_key: secret }, null, 2);
    case 'ini':
      return `[TRUENAS_API_KEY]\napi_key_id = ${key.id}\nraw_key = ${secret}\n`;
    case 'env':
      return `TRUENAS_API_KEY=${secret}`;
  }
}
