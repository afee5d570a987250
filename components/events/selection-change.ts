import { NasEvent } from './nas-event.js';

export interface SelectionChangeDetail {
  /** Row keys (see `rowKey()` in api-key-table) of the selected rows. */
  selected: string[];
}

/** The selection of a `selectable` table changed (by the user, or because selected rows disappeared). */
export class NasSelectionChangeEvent extends NasEvent<SelectionChangeDetail> {
  static readonly eventName = 'nas-selection-change';

  constructor(detail: SelectionChangeDetail) {
    super(NasSelectionChangeEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-selection-change': NasSelectionChangeEvent;
  }
}
