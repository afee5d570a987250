/**
 * The data side of `<api-key-table>`: column settings, row identity and the client-side
 * sort/search/filter engine. Pure functions and data, no Lit, so it is easy to test and benchmark.
 */
import { keyStatus, type AllowlistEntry, type ApiKeyRow, type KeySortField, type KeyStatus, type SortDirection } from '../model/api-key.js';

/** Every column the table can show. `allowlist` appears for legacy hosts, `host` in multi-host tables. */
export type ColumnId = 'name' | 'username' | 'local' | 'status' | 'createdAt' | 'expiresAt' | 'allowlist' | 'host' | 'actions';

/** One column's place and visibility; an array of these in display order is the table's layout. */
export interface ColumnSetting {
  id: ColumnId;
  visible: boolean;
}

/** A sortable field: the server's fields plus `allowlist` (client-side only). */
export type TableSortField = KeySortField | 'allowlist';

export interface TableSort {
  field: TableSortField;
  direction: SortDirection;
}

/** The default layout: every column visible, in TrueNAS's order, with our extras after it. */
export const DEFAULT_COLUMNS: readonly ColumnSetting[] = Object.freeze(
  (['name', 'username', 'local', 'status', 'createdAt', 'expiresAt', 'allowlist', 'host', 'actions'] as const).map((id) =>
    Object.freeze({ id, visible: true }),
  ),
);

/** Columns that cannot be hidden: the row header and the only way to reach row actions. */
export const FIXED_COLUMNS: ReadonlySet<ColumnId> = new Set<ColumnId>(['name', 'actions']);

const COLUMN_IDS: ReadonlySet<string> = new Set(DEFAULT_COLUMNS.map((c) => c.id));

/** The sort field of each column, or null when it cannot be sorted. */
export const COLUMN_SORT: Readonly<Record<ColumnId, TableSortField | null>> = {
  name: 'name',
  username: 'username',
  local: 'local',
  status: 'status',
  createdAt: 'createdAt',
  expiresAt: 'expiresAt',
  allowlist: 'allowlist',
  host: 'host',
  actions: null,
};

/**
 * Makes any (possibly stale or hand-edited) saved layout usable: drops unknown and duplicate ids,
 * appends columns it lacks (visible), and keeps the fixed columns visible.
 */
export function normalizeColumns(settings: readonly ColumnSetting[] | null | undefined): ColumnSetting[] {
  const seen = new Set<ColumnId>();
  const out: ColumnSetting[] = [];
  for (const setting of settings ?? []) {
    if (!setting || !COLUMN_IDS.has(setting.id) || seen.has(setting.id)) continue;
    seen.add(setting.id);
    out.push({ id: setting.id, visible: FIXED_COLUMNS.has(setting.id) || setting.visible !== false });
  }
  for (const setting of DEFAULT_COLUMNS) {
    if (!seen.has(setting.id)) out.push({ ...setting });
  }
  return out;
}

/**
 * A row's identity in the table: the key id, prefixed by its host in multi-host tables (ids repeat
 * across hosts). Used for focus, selection and DOM reuse.
 */
export function rowKey(row: Pick<ApiKeyRow, 'id' | 'hostId'>): string {
  return row.hostId === undefined ? String(row.id) : `${row.hostId}#${row.id}`;
}

/** `GET *` style text of an allowlist, '' for an empty one; `null` when the key has none. */
export function allowlistText(allowlist: readonly AllowlistEntry[] | null, everything: string): string | null {
  if (allowlist === null) return null;
  return allowlist.map((e) => (e.method === '*' && e.resource === '*' ? everything : `${e.method} ${e.resource}`)).join(', ');
}

export interface ViewQuery {
  sort: TableSort | null;
  /** Matched case-insensitively against name and username. */
  search: string;
  status: KeyStatus | null;
  /** Clock for status derivation (epoch ms). */
  now: number;
  /** Days before expiry at which a key counts as expiring. */
  soonDays: number;
  /** Language for string collation. */
  lang: string;
}

/** Status as a small number, in the order the Status column sorts: healthy first. */
const STATUS_CODE: Readonly<Record<KeyStatus, number>> = { active: 0, expiring: 1, expired: 2, revoked: 3 };

const collators = new Map<string, Intl.Collator>();
function collator(lang: string): Intl.Collator {
  let c = collators.get(lang);
  if (!c) {
    // Default options on purpose: V8 has a fast path for them (about 2x faster than `numeric`).
    c = new Intl.Collator(lang || undefined);
    collators.set(lang, c);
  }
  return c;
}

/**
 * Sort/search/filter over one `keys` array. Built once per array; everything expensive (lower-cased
 * search text, per-field sort orders) is computed on first use and cached, so a direction flip, a
 * new search or a filter costs one linear pass. Sorts are stable: ties keep the source order.
 */
export class KeyIndex {
  private haystack: string[] | undefined;
  private readonly orders = new Map<string, Uint32Array>();
  private readonly ranks = new Map<string, { rank: Uint32Array; distinct: number }>();
  private readonly sorting = new Map<string, { values: Array<string | null>; sort: StepSort }>();
  /** Text of the allowlist column, computed with the caller's word for "everything". */
  allowlistEverything = '*';

  constructor(readonly rows: readonly ApiKeyRow[]) {}

  /** The rows matching `query`, in its sort order. Returns the row objects themselves, never copies. */
  view(query: ViewQuery): ApiKeyRow[] {
    const { rows } = this;
    const n = rows.length;
    const needle = query.search.trim().toLowerCase();
    const byStatus = query.sort?.field === 'status';
    const codes = query.status !== null || byStatus ? this.statusCodes(query.now, query.soonDays) : undefined;
    const order = query.sort ? (byStatus ? rankOrder(codes!, 4, query.sort.direction) : this.order(query.sort, query.lang)) : undefined;
    if (!order && !needle && query.status === null) return rows.slice();
    const hay = needle ? this.searchText() : undefined;
    const want = query.status === null ? -1 : STATUS_CODE[query.status];
    const out: ApiKeyRow[] = [];
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      if (want >= 0 && codes![i] !== want) continue;
      if (hay && !hay[i]!.includes(needle)) continue;
      out.push(rows[i]!);
    }
    return out;
  }

  /**
   * Does some of the expensive preparation (search text, the collation order of `field`) while
   * `more()` says there is time; returns true when nothing is left. Lets the table spend idle time
   * so the first sort by name after new keys arrive costs a linear pass instead of a full sort.
   */
  prepare(field: 'name' | 'username' | 'host' | 'allowlist', lang: string, more: () => boolean): boolean {
    if (!this.haystack) {
      this.searchText();
      if (!more()) return false;
    }
    const id = `${field}|${lang}`;
    if (this.ranks.has(id)) return true;
    const job = this.sortJob(field, lang);
    if (!job.sort.step(more)) return false;
    this.finishRanks(id, job);
    return true;
  }

  private searchText(): string[] {
    // A NUL between the fields so a search cannot match across name and username.
    this.haystack ??= this.rows.map((r) => `${r.name}\u0000${r.username ?? ''}`.toLowerCase());
    return this.haystack;
  }

  private statusCodes(now: number, soonDays: number): Uint8Array {
    const codes = new Uint8Array(this.rows.length);
    for (let i = 0; i < codes.length; i++) codes[i] = STATUS_CODE[keyStatus(this.rows[i]!, now, soonDays)];
    return codes;
  }

  private order(sort: TableSort, lang: string): Uint32Array {
    const id = `${sort.field}|${sort.direction}|${sort.field === 'local' ? '' : lang}`;
    let order = this.orders.get(id);
    if (!order) {
      order = this.computeOrder(sort, lang);
      this.orders.set(id, order);
    }
    return order;
  }

  private computeOrder(sort: TableSort, lang: string): Uint32Array {
    const { rows } = this;
    const n = rows.length;
    const desc = sort.direction === 'desc';
    switch (sort.field) {
      case 'local': {
        // false, true, unknown.
        const codes = new Uint8Array(n);
        for (let i = 0; i < n; i++) codes[i] = rows[i]!.local === null ? 2 : rows[i]!.local ? 1 : 0;
        return rankOrder(codes, 3, sort.direction);
      }
      case 'createdAt':
      case 'expiresAt': {
        const field = sort.field;
        // A missing date sorts after every date (for expiry: "never" is the latest).
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = rows[i]![field] ?? Infinity;
        return sortIndices(n, desc ? (a, b) => values[b]! - values[a]! || a - b : (a, b) => values[a]! - values[b]! || a - b);
      }
      case 'status':
        throw new Error('status order depends on the clock; view() sorts it');
      default: {
        // String fields: one collation rank per distinct value, then a linear counting sort by rank.
        const { rank, distinct } = this.stringRanks(sort.field, lang);
        return rankOrder(rank, distinct + 1, sort.direction);
      }
    }
  }

  /**
   * Collation rank of each row's value for a string field (missing values rank last). Only the
   * distinct values are sorted with the collator, which is the expensive part.
   */
  private stringRanks(field: 'name' | 'username' | 'host' | 'allowlist', lang: string): { rank: Uint32Array; distinct: number } {
    const id = `${field}|${lang}`;
    return this.ranks.get(id) ?? this.finishRanks(id, this.sortJob(field, lang));
  }

  private sortJob(field: 'name' | 'username' | 'host' | 'allowlist', lang: string): { values: Array<string | null>; sort: StepSort } {
    const id = `${field}|${lang}`;
    let job = this.sorting.get(id);
    if (!job) {
      const n = this.rows.length;
      const values: Array<string | null> = new Array(n);
      const unique = new Set<string>();
      for (let i = 0; i < n; i++) {
        const value = this.stringValue(this.rows[i]!, field);
        values[i] = value;
        if (value !== null) unique.add(value);
      }
      job = { values, sort: new StepSort([...unique], collator(lang).compare) };
      this.sorting.set(id, job);
    }
    return job;
  }

  private finishRanks(id: string, job: { values: Array<string | null>; sort: StepSort }): { rank: Uint32Array; distinct: number } {
    // Default collation equates only canonically equivalent strings, so giving distinct strings
    // distinct (adjacent) ranks keeps the collator's order.
    const sorted = job.sort.result();
    const rankOf = new Map<string, number>();
    for (let r = 0; r < sorted.length; r++) rankOf.set(sorted[r]!, r);
    const { values } = job;
    const rank = new Uint32Array(values.length);
    for (let i = 0; i < values.length; i++) rank[i] = values[i] === null ? sorted.length : rankOf.get(values[i]!)!;
    const result = { rank, distinct: sorted.length };
    this.ranks.set(id, result);
    this.sorting.delete(id);
    return result;
  }

  private stringValue(row: ApiKeyRow, field: 'name' | 'username' | 'host' | 'allowlist'): string | null {
    switch (field) {
      case 'name':
        return row.name;
      case 'username':
        return row.username;
      case 'host':
        return row.hostName ?? row.hostId ?? null;
      case 'allowlist':
        return allowlistText(row.allowlist, this.allowlistEverything);
    }
  }
}

/**
 * A merge sort that can stop and resume: sorts small chunks, then merges runs a slice at a time.
 * Same comparisons as one big sort, but spread over as many idle periods as needed.
 */
export class StepSort {
  private static readonly CHUNK = 512;
  private static readonly SLICE = 2048;
  private next = 0;
  private runs: string[][] = [];
  private merge: { a: string[]; b: string[]; i: number; j: number; out: string[] } | null = null;

  constructor(
    private readonly values: string[],
    private readonly compare: (a: string, b: string) => number,
  ) {}

  /** Works while `more()` is true; returns true once sorted. */
  step(more: () => boolean): boolean {
    const { compare } = this;
    for (;;) {
      if (this.next < this.values.length) {
        const end = Math.min(this.values.length, this.next + StepSort.CHUNK);
        this.runs.push(this.values.slice(this.next, end).sort(compare));
        this.next = end;
      } else if (this.merge) {
        const m = this.merge;
        const stop = m.out.length + StepSort.SLICE;
        while (m.out.length < stop && m.i < m.a.length && m.j < m.b.length) m.out.push(compare(m.a[m.i]!, m.b[m.j]!) <= 0 ? m.a[m.i++]! : m.b[m.j++]!);
        if (m.i === m.a.length || m.j === m.b.length) {
          for (; m.i < m.a.length; m.i++) m.out.push(m.a[m.i]!);
          for (; m.j < m.b.length; m.j++) m.out.push(m.b[m.j]!);
          this.runs.push(m.out);
          this.merge = null;
        }
      } else if (this.runs.length > 1) {
        // Queue order (merge the two oldest runs, append the result) keeps merges balanced.
        this.merge = { a: this.runs.shift()!, b: this.runs.shift()!, i: 0, j: 0, out: [] };
      } else {
        return true;
      }
      if (!more()) return false;
    }
  }

  /** Finishes any remaining work at once and returns the sorted values. */
  result(): string[] {
    this.step(() => true);
    return this.runs[0] ?? [];
  }
}

function sortIndices(n: number, compare: (a: number, b: number) => number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort(compare);
}

/**
 * Stable counting sort of row indices by rank (0..ranks-1): O(n + ranks), no comparisons.
 * `desc` reverses the rank order but keeps equal ranks in source order.
 */
function rankOrder(rank: ArrayLike<number>, ranks: number, direction: SortDirection): Uint32Array {
  const n = rank.length;
  const desc = direction === 'desc';
  const starts = new Uint32Array(ranks + 1);
  for (let i = 0; i < n; i++) starts[(desc ? ranks - 1 - rank[i]! : rank[i]!) + 1]!++;
  for (let b = 1; b <= ranks; b++) starts[b]! += starts[b - 1]!;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[starts[desc ? ranks - 1 - rank[i]! : rank[i]!]!++] = i;
  return out;
}
