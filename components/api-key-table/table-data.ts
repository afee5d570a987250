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
    const order = query.sort ? (byStatus ? bucketOrder(codes!, 4, query.sort.direction) : this.order(query.sort, query.lang)) : undefined;
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
        return bucketOrder(codes, 3, sort.direction);
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
        throw new Error('status order depends on the clock; use bucketOrder');
      default: {
        // String fields: rank distinct values once with the collator, then sort by integer rank.
        const rank = this.stringRanks(sort.field, lang);
        return sortIndices(n, desc ? (a, b) => rank[b]! - rank[a]! || a - b : (a, b) => rank[a]! - rank[b]! || a - b);
      }
    }
  }

  /** Collation rank of each row's value for a string field; equal values share a rank, missing ones rank last. */
  private stringRanks(field: 'name' | 'username' | 'host' | 'allowlist', lang: string): Uint32Array {
    const cacheId = `rank:${field}|${lang}`;
    const cached = this.orders.get(cacheId);
    if (cached) return cached;
    const n = this.rows.length;
    const values: Array<string | null> = new Array(n);
    for (let i = 0; i < n; i++) values[i] = this.stringValue(this.rows[i]!, field);
    const present: number[] = [];
    for (let i = 0; i < n; i++) if (values[i] !== null) present.push(i);
    const compare = collator(lang).compare;
    present.sort((a, b) => compare(values[a]!, values[b]!));
    const rank = new Uint32Array(n);
    let r = 0;
    for (let k = 0; k < present.length; k++) {
      if (k > 0 && compare(values[present[k - 1]!]!, values[present[k]!]!) !== 0) r++;
      rank[present[k]!] = r;
    }
    const missing = present.length ? r + 1 : 0;
    for (let i = 0; i < n; i++) if (values[i] === null) rank[i] = missing;
    this.orders.set(cacheId, rank);
    return rank;
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

function sortIndices(n: number, compare: (a: number, b: number) => number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx.sort(compare);
}

/** Stable counting sort of indices by a small code (0..buckets-1); `desc` reverses the buckets only. */
function bucketOrder(codes: Uint8Array, buckets: number, direction: SortDirection): Uint32Array {
  const starts = new Uint32Array(buckets + 1);
  for (let i = 0; i < codes.length; i++) starts[(direction === 'desc' ? buckets - 1 - codes[i]! : codes[i]!) + 1]!++;
  for (let b = 1; b <= buckets; b++) starts[b]! += starts[b - 1]!;
  const out = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[starts[direction === 'desc' ? buckets - 1 - codes[i]! : codes[i]!]!++] = i;
  return out;
}
