import { NasEvent } from './nas-event.js';

export interface FormCancelDetail {
  /** True when the user had changed something. */
  dirty: boolean;
}

/** The user pressed Cancel in `<api-key-form>`. */
export class NasFormCancelEvent extends NasEvent<FormCancelDetail> {
  static readonly eventName = 'nas-form-cancel';

  constructor(detail: FormCancelDetail) {
    super(NasFormCancelEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-form-cancel': NasFormCancelEvent;
  }
}
