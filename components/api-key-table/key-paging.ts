import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorMessage } from '../internal/errors.js';
import type { ApiKeyRow, KeyPage, KeyPageRequest } from '../model/api-key.js';

/** Loads one page of keys (server-side sort, search, filter and paging, as `api_key.query` offers). */
export type KeyDataProvider = (request: KeyPageRequest) => Promise<KeyPage>;

/** A rendered item: a row, or the index of a row the data provider has not delivered yet. */
export type RowItem = ApiKeyRow | number;

export interface KeyPagingOptions {
  provider(): KeyDataProvider | undefined;
  /** Sort, search and filter of the next request. */
  query(): Omit<KeyPageRequest, 'offset' | 'limit'>;
  pageSize(): number;
  /** The user-facing text for a page that could not be loaded without a message of its own. */
  failedText(): string;
  /** Called as a restart takes effect (the host scrolls to the top). */
  restarted(): void;
}

/**
 * The table's server-side mode: loads pages of rows through the data provider as they come into
 * view, keeps them by page, and turns them into one item per row (a row, or its index while its
 * page loads). Answers to superseded requests (new sort, search, filter or provider) are dropped.
 */
export class KeyPagingController implements ReactiveController {
  /** Rows the provider reports; null until the first page arrives (or after a restart). */
  total: number | null = null;
  error: string | null = null;
  items: RowItem[] = [];

  readonly #host: ReactiveControllerHost;
  readonly #options: KeyPagingOptions;
  readonly #pages = new Map<number, readonly ApiKeyRow[]>();
  readonly #pending = new Set<number>();
  #generation = 0;
  /** The items need rebuilding from the pages (at the host's next update). */
  #stale = true;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: KeyPagingOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#searchTimer);
  }

  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Call from the host's willUpdate: rebuilds the items when pages or the total changed. */
  sync(): void {
    if (!this.#stale) return;
    this.#stale = false;
    const total = this.total ?? 0;
    const size = this.#options.pageSize();
    const items = new Array<RowItem>(total);
    for (let i = 0; i < total; i++) items[i] = this.#pages.get(Math.floor(i / size))?.[i % size] ?? i;
    this.items = items;
  }

  /** Forgets everything in flight (the provider went away). */
  drop(): void {
    this.#generation++;
    clearTimeout(this.#searchTimer);
    this.items = [];
  }

  /** The query changed: start again from the first page; `debounced` waits for typing to pause. */
  restart(debounced = false): void {
    clearTimeout(this.#searchTimer);
    if (debounced) this.#searchTimer = setTimeout(() => this.#reset(true), 250);
    else this.#reset(true);
  }

  /** Drops the loaded pages but keeps the total, so the rows in view load again in place. */
  refresh(): void {
    this.#reset(false);
  }

  /** Loads the pages of the rows first..last (the rows in the DOM). */
  ensure(first: number, last: number): void {
    if (!this.#options.provider() || this.error !== null) return;
    const size = this.#options.pageSize();
    const end = this.total === null ? first : Math.min(last, this.total - 1);
    for (let page = Math.floor(Math.max(0, first) / size); page <= Math.floor(Math.max(0, end) / size); page++) void this.#load(page);
  }

  #reset(toTop: boolean): void {
    this.#generation++;
    this.#pages.clear();
    this.#pending.clear();
    this.error = null;
    this.#stale = true;
    if (toTop) {
      this.total = null;
      this.#options.restarted();
      void this.#load(0);
    }
    // Otherwise the next render shows placeholders and the host asks for the pages in view again.
    this.#host.requestUpdate();
  }

  async #load(page: number): Promise<void> {
    const provider = this.#options.provider();
    if (!provider || this.#pages.has(page) || this.#pending.has(page)) return;
    const generation = this.#generation;
    const size = this.#options.pageSize();
    const request: KeyPageRequest = { offset: page * size, limit: size, ...this.#options.query() };
    this.#pending.add(page);
    this.#host.requestUpdate();
    try {
      const result = await provider(request);
      if (generation !== this.#generation) return;
      if (!Array.isArray(result?.rows) || !Number.isInteger(result.total) || result.total < 0) {
        // A bug in the host's provider: say exactly what is wrong to its developer, show users the usual error.
        console.warn('<api-key-table>: the dataProvider returned an invalid page; expected { rows: ApiKeyRow[], total: whole number >= 0 }.');
        throw new Error(this.#options.failedText());
      }
      this.#pages.set(page, result.rows);
      this.total = result.total;
      this.error = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = errorMessage(error, this.#options.failedText());
    } finally {
      // The update this triggers asks for any further pages in view.
      if (generation === this.#generation) {
        this.#pending.delete(page);
        this.#stale = true;
        this.#host.requestUpdate();
      }
    }
  }
}
