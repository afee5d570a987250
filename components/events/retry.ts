import { NasEvent } from './nas-event.js';

/** The user pressed Retry in an error state; the host should load the data again. */
export class NasRetryEvent extends NasEvent<null> {
  static readonly eventName = 'nas-retry';

  constructor() {
    super(NasRetryEvent.eventName, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-retry': NasRetryEvent;
  }
}
