import type { CloseSource } from '../internal/modal.js';
import { NasEvent } from './nas-event.js';

export type { CloseSource };

export interface RequestCloseDetail {
  /** What asked to close: the Esc key, a click on the backdrop, or a close/cancel button. */
  source: CloseSource;
}

/** A dialog is about to close. Cancelable: `preventDefault()` keeps it open. */
export class NasRequestCloseEvent extends NasEvent<RequestCloseDetail> {
  static readonly eventName = 'nas-request-close';

  constructor(detail: RequestCloseDetail) {
    super(NasRequestCloseEvent.eventName, detail, true);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-request-close': NasRequestCloseEvent;
  }
}
