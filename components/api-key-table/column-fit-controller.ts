import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ColumnId } from './table-data.js';

/**
 * Measures what `fitColumns` needs: the width the rows have (the header's client width), px per em,
 * and the width each header label needs. A ResizeObserver reports after layout and before paint,
 * so a narrower layout still makes the first paint; a language or column change re-measures the
 * labels right after the render that showed them.
 */
export class ColumnFitController implements ReactiveController {
  /** px available to the rows; 0 until measured. */
  width = 0;
  em = 15;
  /** What each rendered header label needs, px (kept for columns that are dropped now). */
  readonly labelPx = new Map<ColumnId, number>();

  readonly #changed: () => void;
  readonly #header: () => HTMLElement | null | undefined;
  readonly #signature: () => string;
  #observer: ResizeObserver | undefined;
  #observed: HTMLElement | null | undefined;
  #measuredFor = '';
  #lang = '';

  /**
   * `signature` changes whenever the labels may need measuring again (language, columns shown);
   * `changed` is called after a measurement that differs, and updates the host only if the fit
   * changes (a re-render of a large plain table costs far more than comparing).
   */
  constructor(host: ReactiveControllerHost, header: () => HTMLElement | null | undefined, signature: () => string, changed: () => void) {
    this.#changed = changed;
    this.#header = header;
    this.#signature = signature;
    host.addController(this);
  }

  hostUpdated(): void {
    const header = this.#header();
    if (header !== this.#observed) {
      this.#observer ??= new ResizeObserver(() => this.#measure());
      if (this.#observed) this.#observer.unobserve(this.#observed);
      this.#observed = header;
      // The first report measures; no layout is forced here.
      if (header) this.#observer.observe(header);
      return;
    }
    if (header && this.#signature() !== this.#measuredFor) this.#measure();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observed = undefined;
  }

  #measure(): void {
    const header = this.#observed;
    if (!header?.isConnected) return;
    this.#measuredFor = this.#signature();
    let changed = false;
    const width = header.clientWidth;
    const em = parseFloat(getComputedStyle(header).fontSize) || this.em;
    if (width !== this.width || em !== this.em) changed = true;
    this.width = width;
    this.em = em;
    const lang = this.#measuredFor.split('|')[0] ?? '';
    if (lang !== this.#lang) {
      this.#lang = lang;
      this.labelPx.clear();
      changed = true;
    }
    for (const cell of header.querySelectorAll<HTMLElement>('[data-col]')) {
      const id = cell.dataset['col'] as ColumnId;
      if (id === 'actions') continue;
      const need = Math.ceil(labelNeed(cell));
      if (need > 0 && this.labelPx.get(id) !== need) {
        this.labelPx.set(id, need);
        changed = true;
      }
    }
    if (changed) this.#changed();
  }
}

/** A header's content width plus its padding: what the cell needs to show it whole. */
function labelNeed(cell: HTMLElement): number {
  const box = cell.querySelector<HTMLElement>('button') ?? cell;
  const style = getComputedStyle(box);
  let need = (parseFloat(style.paddingInlineStart) || 0) + (parseFloat(style.paddingInlineEnd) || 0);
  const parts = [...box.children] as HTMLElement[];
  for (const part of parts) need += part.getBoundingClientRect().width;
  need += Math.max(0, parts.length - 1) * (parseFloat(style.columnGap) || 0);
  return need;
}
