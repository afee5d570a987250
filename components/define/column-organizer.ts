import { ColumnOrganizer } from '../column-organizer/column-organizer.js';
import { defineElement } from '../internal/define.js';

export { ColumnOrganizer };

defineElement('nas-column-organizer', ColumnOrganizer);

declare global {
  interface HTMLElementTagNameMap {
    'nas-column-organizer': ColumnOrganizer;
  }
}
