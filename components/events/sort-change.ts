import type { TableSort } from '../api-key-table/table-data.js';
import { NasEvent } from './nas-event.js';

export interface SortChangeDetail {
  /** The new sort, or null for the source order. */
  sort: TableSort | null;
}

/** The user changed the table's sort column or direction. */
export class NasSortChangeEvent extends NasEvent<SortChangeDetail> {
  static readonly eventName = 'nas-sort-change';

  constructor(detail: SortChangeDetail) {
    super(NasSortChangeEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-sort-change': NasSortChangeEvent;
  }
}
