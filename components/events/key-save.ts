import type { ApiKey } from '../model/api-key.js';
import { NasAsyncEvent } from './nas-async-event.js';

export interface KeySaveDetail {
  key: ApiKey;
  /** The secret. Store it encrypted (e.g. the extension vault); never log or persist it in clear. */
  secret: string;
}

/**
 * The user chose "Save to vault" in `<key-reveal-dialog>` (shown only when its `vault` property
 * is set). Call `event.waitUntil(promise)` so the dialog can report success or failure.
 */
export class NasKeySaveEvent extends NasAsyncEvent<KeySaveDetail> {
  static readonly eventName = 'nas-key-save';

  constructor(detail: KeySaveDetail) {
    super(NasKeySaveEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-key-save': NasKeySaveEvent;
  }
}
