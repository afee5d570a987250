/**
 * Which columns fit the table's width: pure arithmetic, no DOM, so it is easy to test. The table
 * measures its width and its header labels; this decides what to show. Rows are separate grids
 * (they are windowed), so tracks cannot size to content: each column has a minimum instead, the
 * larger of a base width and what its header label needs, so no header is ever cut.
 */
import type { ColumnId } from './table-data.js';

/** Base minimum (em) and flex share of each data column. */
export const COLUMN_TRACKS: Readonly<Record<Exclude<ColumnId, 'actions'>, readonly [minEm: number, fr: number]>> = {
  // The bases cover the English headers (label, sort indicator, padding), so at the default font
  // measuring them changes nothing and costs no second render, and the usual content in English
  // and German ("Nov 23, 2026", "in 12 Monaten", "truenas_admin"): a column that would cut its
  // dates gives way instead.
  name: [10.5, 2],
  username: [8.6, 1],
  local: [5.2, 0.5],
  status: [7.5, 1.6],
  access: [8.6, 1.2],
  createdAt: [7.8, 1],
  expiresAt: [8.4, 1],
  lastUsed: [9, 1.2],
  sessions: [6.4, 0.5],
  allowlist: [8.2, 1.6],
  host: [6, 1],
};

/** Width (em) of one row-action button and of the kebab that replaces them. */
export const ACTION_EM = 2.5;
export const KEBAB_EM = 3.3;

/**
 * What gives way, in order, when the width runs out: the least needed columns first (Local and
 * Created, then Sessions, Last used and Access, which the manager's Details also show), then the
 * row actions fold into a menu, then the columns a narrow list can live without.
 * Name and the actions are never dropped.
 */
const DROP_ORDER: readonly (ColumnId | 'kebab')[] = [
  'local', 'createdAt', 'sessions', 'lastUsed', 'allowlist', 'host', 'access', 'kebab', 'username', 'expiresAt', 'status',
];

export interface FitInput {
  /** Visible columns in display order. */
  columns: readonly ColumnId[];
  /** Width available to the rows, px (0: not measured yet, everything fits). */
  width: number;
  /** px per em in the grid. */
  em: number;
  /** Row actions offered. */
  actionCount: number;
  /** Measured header needs, px, by column (missing: the base minimum alone). */
  labelPx: ReadonlyMap<ColumnId, number>;
}

export interface Fit {
  columns: ColumnId[];
  /** Row actions are folded into a menu button. */
  kebab: boolean;
  /** `grid-template-columns` of every row. */
  tracks: string;
  /** Sum of the minimums, px: the rows' own minimum width (a last resort below ~17em). */
  minPx: number;
}

function minPx(id: ColumnId, input: FitInput, kebab: boolean): number {
  if (id === 'actions') return (kebab ? KEBAB_EM : input.actionCount * ACTION_EM + 1) * input.em;
  return Math.max(COLUMN_TRACKS[id][0] * input.em, input.labelPx.get(id) ?? 0);
}

export function fitColumns(input: FitInput): Fit {
  let columns = [...input.columns];
  let kebab = false;
  const total = () => columns.reduce((sum, id) => sum + minPx(id, input, kebab), 0);
  for (const step of DROP_ORDER) {
    if (input.width <= 0 || total() <= input.width) break;
    if (step === 'kebab') kebab = input.actionCount > 1 && columns.includes('actions');
    else columns = columns.filter((id) => id !== step);
  }
  const tracks = columns.map((id) => {
    const min = Math.ceil(minPx(id, input, kebab));
    return id === 'actions' ? `${min}px` : `minmax(${min}px, ${COLUMN_TRACKS[id][1]}fr)`;
  });
  return { columns, kebab, tracks: tracks.join(' '), minPx: Math.ceil(total()) };
}
