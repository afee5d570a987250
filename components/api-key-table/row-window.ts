import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Rows rendered beyond each edge of the viewport when windowing, so small scrolls need no render. */
const OVERSCAN = 8;

export interface RowRange {
  first: number;
  last: number;
}

/**
 * Windowing of the table body. Rows have one fixed height (--nas-table-row-height), so the body
 * needs no per-row measuring: a spacer of rows x height gives the scrollbar, and only the rows in
 * view plus OVERSCAN are in the DOM, pushed down by (first row x height). The same CSS computes
 * both, so they always agree; JS needs the height in px only to know which rows are in view.
 *
 * Sizes come from a ResizeObserver: it reports after layout and before paint, so measuring there
 * forces no extra layout and a corrected row range still makes the first paint. Rendering rows
 * never resizes the body (its height is fixed while windowed), so this cannot loop.
 */
export class RowWindowController implements ReactiveController {
  /** Rows in the DOM, by view index (all of them unless windowed). */
  range: RowRange = { first: 0, last: -1 };
  /** The body's scroll position as last seen, px. */
  scrollTop = 0;

  readonly #host: ReactiveControllerHost;
  readonly #body: () => HTMLElement | null | undefined;
  readonly #count: () => number;
  readonly #windowed: () => boolean;
  #viewportPx = 0;
  #rowPx = 0;
  #observer: ResizeObserver | undefined;
  #observed: HTMLElement | null | undefined;

  constructor(host: ReactiveControllerHost, body: () => HTMLElement | null | undefined, count: () => number, windowed: () => boolean) {
    this.#host = host;
    this.#body = body;
    this.#count = count;
    this.#windowed = windowed;
    host.addController(this);
  }

  hostUpdated(): void {
    const body = this.#body();
    if (body === this.#observed) return;
    this.#observer ??= new ResizeObserver(() => {
      const current = this.#body();
      if (!current) return;
      this.#viewportPx = current.clientHeight;
      this.#rowPx = current.querySelector<HTMLElement>('.row')?.getBoundingClientRect().height || this.#rowPx;
      if (this.wanted()) this.#host.requestUpdate();
    });
    if (this.#observed) this.#observer.unobserve(this.#observed);
    this.#observed = body;
    this.scrollTop = body?.scrollTop ?? 0;
    if (body) this.#observer.observe(body);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observed = undefined;
  }

  /** Call from the host's willUpdate: moves the range to the rows now in view. */
  sync(): void {
    this.range = this.wanted() ?? this.range;
  }

  isRendered(row: number): boolean {
    return row >= this.range.first && row <= this.range.last && row < this.#count();
  }

  /** The rows the DOM should hold, or null when the rendered ones still cover the viewport. */
  wanted(): RowRange | null {
    const count = this.#count();
    const { first, last } = this.range;
    if (!this.#windowed()) return first === 0 && last === count - 1 ? null : { first: 0, last: count - 1 };
    // Until the ResizeObserver reports (before the first paint), assume the default sizes.
    const row = this.#rowPx || 44;
    const viewport = this.#viewportPx || 416;
    const top = Math.max(0, Math.min(this.scrollTop, count * row - viewport));
    const from = Math.floor(top / row);
    const to = Math.min(count - 1, Math.floor((top + viewport) / row));
    // Keep the rendered rows while they cover the viewport and are not far more than it needs.
    if (from >= first && to <= last && last < count && last - first <= to - from + 2 * OVERSCAN) return null;
    return { first: Math.max(0, from - OVERSCAN), last: Math.min(count - 1, to + OVERSCAN) };
  }

  /** The body scrolled: render other rows if the view left the rendered ones. */
  onScroll(): void {
    const body = this.#body();
    if (!body) return;
    this.scrollTop = body.scrollTop;
    if (this.wanted()) this.#host.requestUpdate();
  }

  /** Row height in px (measured, else the default 2.75rem at 16px). */
  rowHeight(): number {
    return this.#rowPx || this.#body()?.querySelector<HTMLElement>('.row')?.offsetHeight || 44;
  }

  /** Scrolls the body just enough to bring a row into view (the `block: 'nearest'` of scrollIntoView). */
  scrollIntoView(row: number): void {
    const body = this.#body();
    if (!body) return;
    const height = this.rowHeight();
    const top = row * height;
    if (top < body.scrollTop) body.scrollTop = top;
    else if (top + height > body.scrollTop + body.clientHeight) body.scrollTop = top + height - body.clientHeight;
    this.scrollTop = body.scrollTop;
    if (this.wanted()) this.#host.requestUpdate();
  }
}
