import { NasEvent } from './nas-event.js';

export interface DialogCloseDetail {
  /** `confirm` after the dialog's main action succeeded, otherwise `dismiss`. */
  reason: 'confirm' | 'dismiss';
}

/** A dialog closed (after `nas-request-close`, if any, was not vetoed). */
export class NasDialogCloseEvent extends NasEvent<DialogCloseDetail> {
  static readonly eventName = 'nas-close';

  constructor(detail: DialogCloseDetail) {
    super(NasDialogCloseEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-close': NasDialogCloseEvent;
  }
}
