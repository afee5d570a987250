/**
 * The data side of `<api-key-table>`: column settings, row identity and the client-side
 * sort/search/filter engine. Pure functions and data, no Lit, so it is easy to test and benchmark.
 */
import { keyStatus, type AllowlistEntry, type ApiKeyRow, type KeySortField, type KeyStatus, type SortDirection } from '../model/api-key.js';

/**
 * Every column the table can show. `allowlist` appears for legacy hosts, `host` in multi-host
 * tables; `access` when the keys carry their access summary, `lastUsed` and `sessions` when the
 * host reports usage and sessions (`usage` / `sessions` properties).
 */
export type ColumnId =
  | 'name' | 'username' | 'local' | 'status' | 'access' | 'createdAt' | 'expiresAt' | 'lastUsed' | 'sessions' | 'allowlist' | 'host' | 'actions';

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
  (['name', 'username', 'local', 'status', 'access', 'createdAt', 'expiresAt', 'lastUsed', 'sessions', 'allowlist', 'host', 'actions'] as const).map((id) =>
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
  access: null,
  createdAt: 'createdAt',
  expiresAt: 'expiresAt',
  lastUsed: null,
  sessions: null,
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
  // Columns a saved layout lacks (added in a later version) go before the row actions, which stay last.
  for (const setting of DEFAULT_COLUMNS) {
    if (seen.has(setting.id)) continue;
    const actions = out.findIndex((c) => c.id === 'actions');
    if (setting.id !== 'actions' && actions >= 0 && actions === out.length - 1) out.splice(actions, 0, { ...setting });
    else out.push({ ...setting });
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

type StringField = 'name' | 'username' | 'host' | 'allowlist';

/** The collator of a language and one that ignores case and accents (for letter classes). */
const collators = new Map<string, [Intl.Collator, Intl.Collator]>();
function collator(lang: string): [Intl.Collator, Intl.Collator] {
  let c = collators.get(lang);
  if (!c) {
    // Default options on purpose: V8 has a fast path for them (about 2x faster than `numeric`).
    c = [new Intl.Collator(lang || undefined), new Intl.Collator(lang || undefined, { sensitivity: 'base' })];
    collators.set(lang, c);
  }
  return c;
}

/**
 * Collation ranks of a string column, computed with few collator calls: a collator comparison
 * costs ~70 ns and a comparison sort of 10,000 strings needs ~120,000 of them.
 *
 * Each UTF-16 unit in use gets a weight once: its letter class in the collator's own order of
 * those units (case and accents ignored). The rows are then sorted by weights with a multikey
 * quicksort (Bentley & Sedgewick: one unit position at a time, so shared prefixes are not compared
 * again and again); strings whose weights are all equal ("Backup", "backup") are ordered by the
 * collator. That is exact for plain letters, digits and punctuation, but contractions ("ch" in
 * Czech), expansions ("ß") and ignorable characters can fool it, so the result is checked against
 * the collator pair by pair (n - 1 calls) and, if any pair is out of order, sorted again with the
 * collator alone. The sort runs as small tasks, so it can stop and resume (idle-time warm-up).
 */
class CollationSort {
  /** Row indexes with a value, being sorted in place. */
  readonly #order: Uint32Array;
  readonly #weights: Uint16Array;
  readonly #start: Uint32Array;
  readonly #length: Uint32Array;
  /** Pending tasks, three numbers each: from, to (exclusive) and unit position. */
  readonly #tasks: number[];
  readonly #values: ReadonlyArray<string | null>;
  readonly #collators: [Intl.Collator, Intl.Collator];

  constructor(values: ReadonlyArray<string | null>, collators: [Intl.Collator, Intl.Collator]) {
    this.#values = values;
    this.#collators = collators;
    const n = values.length;
    const table = new Uint16Array(65_536);
    let total = 0;
    for (const value of values) {
      if (value === null) continue;
      total += value.length;
      for (let i = 0; i < value.length; i++) table[value.charCodeAt(i)] = 1;
    }
    const units: string[] = [];
    for (let code = 0; code < 65_536; code++) if (table[code]) units.push(String.fromCharCode(code));
    units.sort(collators[0].compare);
    // Weight 0 is the end of a string, before every unit.
    let weight = 1;
    for (let i = 0; i < units.length; i++) {
      if (i > 0 && collators[1].compare(units[i - 1]!, units[i]!) !== 0) weight++;
      table[units[i]!.charCodeAt(0)] = weight;
    }
    this.#weights = new Uint16Array(total);
    this.#start = new Uint32Array(n);
    this.#length = new Uint32Array(n);
    const order = new Uint32Array(n);
    let at = 0;
    let count = 0;
    for (let row = 0; row < n; row++) {
      const value = values[row];
      if (value === null || value === undefined) continue;
      order[count++] = row;
      this.#start[row] = at;
      this.#length[row] = value.length;
      for (let i = 0; i < value.length; i++) this.#weights[at++] = table[value.charCodeAt(i)]!;
    }
    this.#order = order.subarray(0, count);
    this.#tasks = [0, count, 0];
  }

  get sorted(): boolean {
    return this.#tasks.length === 0;
  }

  /** Sorts while `more()` is true (at least one task); returns true once sorted. */
  step(more: () => boolean): boolean {
    const order = this.#order;
    const tasks = this.#tasks;
    while (tasks.length > 0) {
      const depth = tasks.pop()!;
      const end = tasks.pop()!;
      const begin = tasks.pop()!;
      if (end - begin < 12) {
        for (let i = begin + 1; i < end; i++) {
          const row = order[i]!;
          let j = i;
          for (; j > begin && this.#compareFrom(order[j - 1]!, row, depth) > 0; j--) order[j] = order[j - 1]!;
          order[j] = row;
        }
      } else {
        // Three-way partition on the unit at `depth`: [begin, lt) below the pivot's weight,
        // [lt, gt) equal, [gt, end) above. Below and above start over at this depth.
        const pivot = this.#weightAt(order[(begin + end) >>> 1]!, depth);
        let lt = begin;
        let gt = end;
        let i = begin;
        while (i < gt) {
          const row = order[i]!;
          const weight = this.#weightAt(row, depth);
          if (weight < pivot) {
            order[i++] = order[lt]!;
            order[lt++] = row;
          } else if (weight > pivot) {
            order[i] = order[--gt]!;
            order[gt] = row;
          } else i++;
        }
        tasks.push(begin, lt, depth, gt, end, depth);
        // The equal ones go on to the next unit; if they all ended here, only case or accents differ.
        if (pivot === 0) this.#byCollator(lt, gt);
        else tasks.push(lt, gt, depth + 1);
      }
      if (!more()) return tasks.length === 0;
    }
    return true;
  }

  /** Each row's rank (equal strings share one; rows without a value rank last) and the rank count. */
  ranks(): { rank: Uint32Array; distinct: number } {
    this.step(() => true);
    const compare = this.#collators[0].compare;
    const values = this.#values;
    const order = this.#order;
    const rank = new Uint32Array(values.length);
    for (let attempt = 0; ; attempt++) {
      let r = 0;
      let k = 1;
      for (; k < order.length; k++) {
        const a = values[order[k - 1]!]!;
        const b = values[order[k]!]!;
        const c = a === b ? 0 : compare(a, b);
        if (c > 0) break;
        if (c < 0) r++;
        rank[order[k]!] = r;
      }
      if (k >= order.length) {
        const distinct = order.length === 0 ? 0 : r + 1;
        for (let row = 0; row < values.length; row++) if (values[row] === null) rank[row] = distinct;
        return { rank, distinct };
      }
      // The weights misled the sort (see above): sort again by the collator alone.
      if (attempt > 0) throw new Error('Intl.Collator gave an inconsistent order');
      order.set(Array.from(order).sort((x, y) => compare(values[x]!, values[y]!)));
    }
  }

  #weightAt(row: number, depth: number): number {
    return depth < this.#length[row]! ? this.#weights[this.#start[row]! + depth]! : 0;
  }

  /** Compares two rows whose units before `depth` have equal weights. */
  #compareFrom(a: number, b: number, depth: number): number {
    const weights = this.#weights;
    const lengthA = this.#length[a]!;
    const lengthB = this.#length[b]!;
    const startA = this.#start[a]!;
    const startB = this.#start[b]!;
    for (let d = depth; d < lengthA && d < lengthB; d++) {
      const diff = weights[startA + d]! - weights[startB + d]!;
      if (diff !== 0) return diff;
    }
    return lengthA - lengthB || this.#tie(a, b);
  }

  #tie(a: number, b: number): number {
    const x = this.#values[a]!;
    const y = this.#values[b]!;
    return x === y ? 0 : this.#collators[0].compare(x, y);
  }

  /** Orders rows whose weights are all equal (case or accent variants) by the collator. */
  #byCollator(from: number, to: number): void {
    const sorted = Array.from(this.#order.subarray(from, to)).sort((a, b) => this.#tie(a, b));
    this.#order.set(sorted, from);
  }
}

/**
 * Sort/search/filter over one `keys` array. Built once per array; everything expensive (lower-cased
 * search text, per-field sort orders) is computed on first use and cached, so a direction flip, a
 * new search or a filter costs one linear pass. Sorts are stable: ties keep the source order.
 */
export class KeyIndex {
  #haystack: string[] | undefined;
  readonly #orders = new Map<string, Uint32Array>();
  readonly #ranks = new Map<string, { rank: Uint32Array; distinct: number }>();
  readonly #sorting = new Map<string, CollationSort>();
  /** Text of the allowlist column, computed with the caller's word for "everything". */
  allowlistEverything = '*';

  constructor(readonly rows: readonly ApiKeyRow[]) {}

  /** The rows matching `query`, in its sort order. Returns the row objects themselves, never copies. */
  view(query: ViewQuery): ApiKeyRow[] {
    const { rows } = this;
    const n = rows.length;
    const needle = query.search.trim().toLowerCase();
    const byStatus = query.sort?.field === 'status';
    const codes = query.status !== null || byStatus ? this.#statusCodes(query.now, query.soonDays) : undefined;
    const order = query.sort ? (byStatus ? rankOrder(codes!, 4, query.sort.direction) : this.#order(query.sort, query.lang)) : undefined;
    if (!order && !needle && query.status === null) return rows.slice();
    const hay = needle ? this.#searchText() : undefined;
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
  prepare(field: StringField, lang: string, more: () => boolean): boolean {
    if (!this.#haystack) {
      this.#searchText();
      if (!more()) return false;
    }
    const id = `${field}|${lang}`;
    if (this.#ranks.has(id)) return true;
    // Sorting and the final check against the collator each get a slice of their own.
    const job = this.#sortJob(field, lang);
    if (!job.sorted && (!job.step(more) || !more())) return false;
    this.#stringRanks(field, lang);
    return true;
  }

  #searchText(): string[] {
    // A NUL between the fields so a search cannot match across name and username.
    this.#haystack ??= this.rows.map((r) => `${r.name}\u0000${r.username ?? ''}`.toLowerCase());
    return this.#haystack;
  }

  #statusCodes(now: number, soonDays: number): Uint8Array {
    const codes = new Uint8Array(this.rows.length);
    for (let i = 0; i < codes.length; i++) codes[i] = STATUS_CODE[keyStatus(this.rows[i]!, now, soonDays)];
    return codes;
  }

  #order(sort: TableSort, lang: string): Uint32Array {
    const id = `${sort.field}|${sort.direction}|${sort.field === 'local' ? '' : lang}`;
    let order = this.#orders.get(id);
    if (!order) {
      order = this.#computeOrder(sort, lang);
      this.#orders.set(id, order);
    }
    return order;
  }

  #computeOrder(sort: TableSort, lang: string): Uint32Array {
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
        const { rank, distinct } = this.#stringRanks(sort.field, lang);
        return rankOrder(rank, distinct + 1, sort.direction);
      }
    }
  }

  /** Collation rank of each row's value for a string field (missing values rank last). */
  #stringRanks(field: StringField, lang: string): { rank: Uint32Array; distinct: number } {
    const id = `${field}|${lang}`;
    let result = this.#ranks.get(id);
    if (!result) {
      result = this.#sortJob(field, lang).ranks();
      this.#ranks.set(id, result);
      this.#sorting.delete(id);
    }
    return result;
  }

  #sortJob(field: StringField, lang: string): CollationSort {
    const id = `${field}|${lang}`;
    let job = this.#sorting.get(id);
    if (!job) {
      job = new CollationSort(
        this.rows.map((row) => this.#stringValue(row, field)),
        collator(lang),
      );
      this.#sorting.set(id, job);
    }
    return job;
  }

  #stringValue(row: ApiKeyRow, field: StringField): string | null {
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
