import { NasEvent } from './nas-event.js';

/** Export formats of `<key-reveal-dialog>`. */
export type KeyExportFormat = 'raw' | 'json' | 'ini' | 'env';

export interface KeyCopyDetail {
  format: KeyExportFormat;
  /** False when the browser refused the clipboard write. */
  ok: boolean;
}

/** `<key-reveal-dialog>` tried to copy the key. Carries no secret. */
export class NasKeyCopyEvent extends NasEvent<KeyCopyDetail> {
  static readonly eventName = 'nas-key-copy';

  constructor(detail: KeyCopyDetail) {
    super(NasKeyCopyEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-key-copy': NasKeyCopyEvent;
  }
}
