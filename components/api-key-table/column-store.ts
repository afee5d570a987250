/** The table's `columnsKey` persistence: a column layout in `localStorage`, read defensively. */
import { normalizeColumns, type ColumnSetting } from './table-data.js';

/** The saved layout, repaired (see normalizeColumns), or null when there is none or storage is unavailable. */
export function loadColumns(key: string): ColumnSetting[] | null {
  try {
    const raw = localStorage.getItem(key);
    const parsed: unknown = raw === null ? null : JSON.parse(raw);
    return Array.isArray(parsed) ? normalizeColumns(parsed as ColumnSetting[]) : null;
  } catch {
    // Storage blocked (sandboxed frame, privacy mode) or a value that is not JSON: the defaults.
    return null;
  }
}

export function saveColumns(key: string, columns: readonly ColumnSetting[]): void {
  try {
    localStorage.setItem(key, JSON.stringify(columns.map(({ id, visible }) => ({ id, visible }))));
  } catch {
    // Full or blocked storage: the layout simply is not remembered.
  }
}
