import type { ColumnSetting } from '../api-key-table/table-data.js';
import { NasEvent } from './nas-event.js';

export interface ColumnsChangeDetail {
  /** Every column in display order with its visibility; pass it back as `columns` to restore the layout. */
  columns: ColumnSetting[];
}

/** The user showed, hid, reordered or reset the table's columns. Cancelable: `preventDefault()` keeps the table from saving it under `columnsKey`. */
export class NasColumnsChangeEvent extends NasEvent<ColumnsChangeDetail> {
  static readonly eventName = 'nas-columns-change';

  constructor(detail: ColumnsChangeDetail) {
    super(NasColumnsChangeEvent.eventName, detail, true);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-columns-change': NasColumnsChangeEvent;
  }
}
