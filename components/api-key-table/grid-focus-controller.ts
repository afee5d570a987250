import type { ReactiveController, ReactiveElement } from 'lit';

/** What the grid focus needs to know of its table; rows are view indexes, -1 is the header row. */
export interface GridFocusOptions<C extends string> {
  header: () => HTMLElement | null | undefined;
  body: () => HTMLElement | null | undefined;
  /** Columns in display order. */
  columns: () => readonly C[];
  rowCount: () => number;
  /** The key of a loaded row, or null (placeholder or out of range). */
  keyAt: (row: number) => string | null;
  /** The row now showing this key, or -1. */
  indexOfKey: (key: string) => number;
  isRendered: (row: number) => boolean;
  /** Scrolls a windowed-out row into the DOM. */
  scrollIntoView: (row: number) => void;
  rowHeight: () => number;
  rtl: () => boolean;
  /** Space on a row: false when rows cannot be selected (Space is then left alone). */
  select: (row: number) => boolean;
}

/**
 * The ARIA grid pattern's keyboard focus: one tab stop (roving tabindex), arrows, Home/End,
 * Ctrl+Home/End and PageUp/PageDown between cells, Enter/F2 into a row's action buttons, and the
 * focused cell kept across re-renders (by row key) so windowing or a live update never drops it.
 */
export class GridFocusController<C extends string> implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #options: GridFocusOptions<C>;
  #row = -1;
  #column: C;
  /** The focused row's key, so the focus follows its row when the view changes. */
  #key: string | null = null;
  /** Focus is (or was, until a render dropped it) in the grid. */
  #hasFocus = false;

  constructor(host: ReactiveElement, column: C, options: GridFocusOptions<C>) {
    this.#host = host;
    this.#column = column;
    this.#options = options;
    host.addController(this);
  }

  get row(): number {
    return this.#row;
  }

  get column(): C {
    return this.#column;
  }

  /** A new data set: the focus goes back to the header (it does not follow the old rows). */
  toHeader(): void {
    this.#set(Math.min(this.#row, -1), this.#column);
  }

  /** True for the one cell (or header button) that holds the grid's tab stop. */
  isTabStop(row: number, column: C): boolean {
    const columns = this.#options.columns();
    const focusColumn = columns.includes(this.#column) ? this.#column : columns[0];
    if (column !== focusColumn) return false;
    if (row === this.#row) return row === -1 || this.#options.isRendered(row);
    // While the focused row is not in the DOM, the header cell of its column keeps the tab stop.
    return row === -1 && !this.#options.isRendered(this.#row);
  }

  /** After the view changes, the focus follows its row (by key); if the row is gone, it stays at the same position. */
  follow(): void {
    if (this.#row < 0) return;
    const key = this.#key;
    if (key !== null && this.#options.keyAt(this.#row) === key) return;
    const index = key === null ? -1 : this.#options.indexOfKey(key);
    const row = index >= 0 ? index : Math.min(this.#row, this.#options.rowCount() - 1);
    this.#set(row, this.#column);
    this.#key = this.#options.keyAt(row);
  }

  /**
   * Re-rendering can move or recycle the focused row's DOM node, which drops focus to the page.
   * If focus was in the grid and nothing else took it, put it back on the focused cell.
   */
  hostUpdated(): void {
    if (!this.#hasFocus || this.#focusInGrid()) return;
    const active = document.activeElement;
    if (active !== document.body && active !== null && active !== this.#host) return;
    this.#cell(this.#row, this.#column)?.focus({ preventScroll: true });
  }

  /** Moves keyboard focus into the grid (the current cell). */
  focus(options?: FocusOptions): Promise<void> {
    return this.moveTo(this.#row, this.#column, options);
  }

  /** Focuses a cell by row index and column, scrolling a windowed-out row into the DOM first. */
  async moveTo(row: number, column: C, options?: FocusOptions): Promise<void> {
    const columns = this.#options.columns();
    const first = columns[0];
    if (!columns.includes(column) && first !== undefined) column = first;
    row = Math.max(-1, Math.min(row, this.#options.rowCount() - 1));
    this.#set(row, column);
    this.#key = this.#options.keyAt(row);
    await this.#host.updateComplete;
    let cell = this.#cell(row, column);
    if (!cell && row >= 0) {
      this.#options.scrollIntoView(row);
      await this.#host.updateComplete;
      cell = this.#cell(row, column);
    }
    if (!cell) return;
    cell.focus({ preventScroll: true, ...options });
    if (!options?.preventScroll) cell.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  readonly onFocusin = (event: FocusEvent): void => {
    this.#hasFocus = true;
    if (!(event.target instanceof Element)) return;
    const cell = event.target.closest<HTMLElement>('[data-col]');
    const rowEl = event.target.closest<HTMLElement>('[data-row]');
    const column = this.#options.columns().find((c) => c === cell?.dataset['col']);
    if (!cell || !rowEl || column === undefined) return;
    const index = Number(rowEl.dataset['row']);
    if (index !== this.#row) this.#key = this.#options.keyAt(index);
    this.#set(index, column);
  };

  readonly onFocusout = (event: FocusEvent): void => {
    const next = event.relatedTarget;
    if (next instanceof Element && this.#host.shadowRoot?.contains(next) === true && next.closest('[role="grid"]')) return;
    // Focus also "leaves" when a render moves or drops the focused row; that is not the user leaving.
    if (next === null && this.#host.isUpdatePending) return;
    const target = event.target;
    queueMicrotask(() => {
      if (next !== null || (target instanceof Node && target.isConnected)) this.#hasFocus = false;
    });
  };

  /** The grid's keydown: between cells, or between a row's action buttons once inside them. */
  readonly onKeydown = (event: KeyboardEvent): void => {
    const target = event.composedPath()[0];
    if (!(target instanceof HTMLElement)) return;
    const button = target.closest<HTMLButtonElement>('button[data-action], button[name="row-menu"]');
    if (button) {
      this.#onActionKeydown(event, button);
      return;
    }
    const columns = this.#options.columns();
    if (columns.length === 0) return;
    const rtl = this.#options.rtl();
    const last = this.#options.rowCount() - 1;
    let row = Math.min(this.#row, last);
    let col = Math.max(0, columns.indexOf(this.#column));
    const ctrl = event.ctrlKey || event.metaKey;
    switch (event.key) {
      case 'ArrowDown':
        row = Math.min(row + 1, last);
        break;
      case 'ArrowUp':
        row = Math.max(row - 1, -1);
        break;
      case 'ArrowRight':
        col += rtl ? -1 : 1;
        break;
      case 'ArrowLeft':
        col += rtl ? 1 : -1;
        break;
      case 'Home':
        if (ctrl) row = -1;
        col = 0;
        break;
      case 'End':
        if (ctrl) row = last;
        col = columns.length - 1;
        break;
      case 'PageDown':
        row = Math.min(row + this.#pageRows(), last);
        break;
      case 'PageUp':
        row = row <= 0 ? -1 : Math.max(row - this.#pageRows(), 0);
        break;
      case 'Enter':
      case 'F2':
        // On a header, Enter belongs to the sort button.
        if (row < 0) return;
        event.preventDefault();
        this.#host.shadowRoot?.querySelector<HTMLButtonElement>(`.body [data-row="${row}"] :is(button[data-action], button[name="row-menu"])`)?.focus();
        return;
      case ' ':
        if (row < 0) return;
        if (this.#options.select(row)) event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    col = Math.max(0, Math.min(col, columns.length - 1));
    const column = columns[col];
    if (column !== undefined) void this.moveTo(row, column);
  };

  /** Inside a row's actions (after Enter/F2): arrows move between buttons, Escape/F2 go back to the cell. */
  #onActionKeydown(event: KeyboardEvent, button: HTMLButtonElement): void {
    if (event.key === 'Tab') {
      // Leave from the cell, the grid's tab stop: from a button Chromium's next stop is the
      // component's first control (search) rather than what follows the grid.
      button.closest<HTMLElement>('[data-col]')?.focus({ preventScroll: true });
      return;
    }
    const buttons = [...(button.parentElement?.querySelectorAll<HTMLButtonElement>('button[data-action], button[name="row-menu"]') ?? [])];
    const at = buttons.indexOf(button);
    const step = (by: number) => buttons[Math.min(buttons.length - 1, Math.max(0, at + by))];
    const rtl = this.#options.rtl();
    let next: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowRight':
        next = step(rtl ? -1 : 1);
        break;
      case 'ArrowLeft':
        next = step(rtl ? 1 : -1);
        break;
      case 'Home':
        next = buttons[0];
        break;
      case 'End':
        next = buttons[buttons.length - 1];
        break;
      case 'Escape':
      case 'F2':
        next = button.closest<HTMLElement>('[data-col]') ?? undefined;
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    next?.focus();
  }

  /** The tab stop moved: the host re-renders its tabindexes (what `@state` did in the table). */
  #set(row: number, column: C): void {
    if (row === this.#row && column === this.#column) return;
    this.#row = row;
    this.#column = column;
    this.#host.requestUpdate();
  }

  #cell(row: number, column: C): HTMLElement | null {
    const scope = row < 0 ? this.#options.header() : this.#options.body();
    const cell = scope?.querySelector<HTMLElement>(`[data-row="${row}"] > [data-col="${column}"]`) ?? null;
    if (row < 0 && cell) return cell.querySelector<HTMLElement>('button.sort') ?? cell;
    return cell;
  }

  #focusInGrid(): boolean {
    const active = this.#host.shadowRoot?.activeElement ?? null;
    return active !== null && active.closest('[role="grid"]') !== null;
  }

  /** Rows that fit in the scroller: the PageUp/PageDown step. */
  #pageRows(): number {
    const height = this.#options.body()?.clientHeight ?? 0;
    return Math.max(1, Math.floor(height / this.#options.rowHeight()) - 1);
  }
}
