import type { KeyStatus } from '../model/api-key.js';
import { NasEvent } from './nas-event.js';

export interface FilterChangeDetail {
  /** Search text matched case-insensitively against name and username ('' for none). */
  search: string;
  /** Status filter, or null for every status. */
  statusFilter: KeyStatus | null;
}

/** The user changed the table's search text or status filter, or cleared both. */
export class NasFilterChangeEvent extends NasEvent<FilterChangeDetail> {
  static readonly eventName = 'nas-filter-change';

  constructor(detail: FilterChangeDetail) {
    super(NasFilterChangeEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-filter-change': NasFilterChangeEvent;
  }
}
