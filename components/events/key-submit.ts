import type { CreateKeyInput, UpdateKeyInput } from '../model/api-key.js';
import { NasAsyncEvent } from './nas-async-event.js';

export type KeySubmitDetail =
  | { mode: 'create'; input: CreateKeyInput }
  /** `endSessions`: with a reset of a key that has open sessions, whether to end them afterwards (absent: not offered). */
  | { mode: 'edit'; id: number; input: UpdateKeyInput; endSessions?: boolean };

/**
 * `<api-key-form>` was submitted with valid input. Call `event.waitUntil(promise)` to keep the
 * form busy while the NAS works; a rejection with field errors (`HasFieldErrors`) is shown on the
 * fields, any other rejection above the form.
 */
export class NasKeySubmitEvent extends NasAsyncEvent<KeySubmitDetail> {
  static readonly eventName = 'nas-key-submit';

  constructor(detail: KeySubmitDetail) {
    super(NasKeySubmitEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-key-submit': NasKeySubmitEvent;
  }
}
