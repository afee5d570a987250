import type { ApiKey } from '../model/api-key.js';
import { NasAsyncEvent } from './nas-async-event.js';

export interface DeleteConfirmDetail {
  key: ApiKey;
  /** When the dialog offered to end the key's open sessions: whether the user kept it ticked (absent: not offered). */
  endSessions?: boolean;
}

/**
 * The user confirmed deletion in `<delete-key-dialog>`. Call `event.waitUntil(promise)` to keep
 * the dialog open and busy until the NAS answers; a rejection is shown in the dialog.
 */
export class NasDeleteConfirmEvent extends NasAsyncEvent<DeleteConfirmDetail> {
  static readonly eventName = 'nas-delete-confirm';

  constructor(detail: DeleteConfirmDetail) {
    super(NasDeleteConfirmEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-delete-confirm': NasDeleteConfirmEvent;
  }
}
