import { html, type TemplateResult, type CSSResultGroup } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { NasElement } from '../internal/nas-element.js';
import { controls, tokens } from '../internal/controls.styles.js';
import { ModalController } from '../internal/modal.js';
import { NasColumnsChangeEvent } from '../events/columns-change.js';
import { DEFAULT_COLUMNS, FIXED_COLUMNS, type ColumnId, type ColumnSetting } from '../api-key-table/table-data.js';
import styles from './column-organizer.styles.js';
import { layered } from '../internal/layer.js';

/**
 * @summary The column organizer of `<api-key-table>`: a modal dialog to show, hide and order
 * columns. It changes nothing itself: each change goes out as `nas-columns-change` with the whole
 * layout, and the owner sets `columns` back. Its parts carry the names `<api-key-table>` exports.
 * Keyboard: Space toggles a column, the move buttons keep focus as their column moves, Esc or
 * Close returns focus to whatever opened it.
 * @status stable
 * @since 0.2
 *
 * @event {NasColumnsChangeEvent} nas-columns-change - The layout changed; `detail.columns` is every column in order.
 *
 * @csspart organizer - The `<dialog>`.
 * @csspart organizer-body - Its content wrapper.
 * @csspart organizer-title - Its heading.
 * @csspart organizer-list - The list of columns.
 * @csspart organizer-item - One column entry.
 * @csspart organizer-checkbox - Show/hide checkbox.
 * @csspart organizer-move-up - Move-up button.
 * @csspart organizer-move-down - Move-down button.
 * @csspart organizer-footer - The row of Restore defaults and Close.
 * @csspart organizer-reset - "Restore defaults".
 * @csspart organizer-close - Close.
 */
export class ColumnOrganizer extends NasElement {
  static override styles: CSSResultGroup = layered(tokens, controls, styles);

  /** Every column in display order (as `normalizeColumns` returns it). */
  @property({ attribute: false }) columns: ColumnSetting[] = [];

  /** The columns that exist for the current data; only these are listed. */
  @property({ attribute: false }) available: readonly ColumnId[] = [];

  @state() private announcement = '';

  @query('dialog') private dialog?: HTMLDialogElement;

  readonly #modal = new ModalController(this, () => this.dialog, { requestClose: () => this.close() });

  get open(): boolean {
    return this.#modal.isOpen;
  }

  /** Opens the organizer on its first enabled checkbox; focus returns to `trigger` (default: the focused element) on close. */
  async show(trigger?: Element | null): Promise<void> {
    await this.updateComplete;
    this.#modal.show(trigger);
    this.dialog?.querySelector<HTMLInputElement>('input:not(:disabled)')?.focus();
  }

  close(): void {
    this.announcement = '';
    this.#modal.close();
  }

  #term(id: ColumnId): string {
    return this.localize.term(`table.column.${id}`);
  }

  get #entries(): ColumnSetting[] {
    return this.columns.filter((c) => this.available.includes(c.id));
  }

  override render(): TemplateResult {
    const entries = this.#entries;
    return html`<dialog part="organizer" class="dialog" aria-labelledby="title" dir=${ifDefined(this.contentDir)}>
      <div part="organizer-body" class="body">
        <h2 part="organizer-title" id="title">${this.localize.term('table.columns.title')}</h2>
        <ul part="organizer-list">
          ${repeat(
            entries,
            (c) => c.id,
            (c, i) => {
              const name = this.#term(c.id);
              const fixed = FIXED_COLUMNS.has(c.id);
              return html`<li part="organizer-item" data-column=${c.id}>
                <label>
                  <input part="organizer-checkbox" type="checkbox" .checked=${c.visible} ?disabled=${fixed} @change=${(e: Event) => this.#setVisible(c.id, (e.target as HTMLInputElement).checked)} />
                  <span>${fixed ? this.localize.term('table.columns.fixed', name) : name}</span>
                </label>
                <button part="organizer-move-up" class="move" type="button" data-move="up" ?disabled=${i === 0} @click=${() => this.#move(c.id, -1)}>
                  <svg class="icon" data-icon viewBox="0 0 16 16" aria-hidden="true"><path d="M8 13V3 M4.5 6.5 8 3 11.5 6.5" /></svg>
                  <span class="visually-hidden">${this.localize.term('table.columns.moveUp', name)}</span>
                </button>
                <button part="organizer-move-down" class="move" type="button" data-move="down" ?disabled=${i === entries.length - 1} @click=${() => this.#move(c.id, 1)}>
                  <svg class="icon" data-icon viewBox="0 0 16 16" aria-hidden="true"><path d="M8 3V13 M4.5 9.5 8 13 11.5 9.5" /></svg>
                  <span class="visually-hidden">${this.localize.term('table.columns.moveDown', name)}</span>
                </button>
              </li>`;
            },
          )}
        </ul>
        <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
        <div part="organizer-footer" class="footer">
          <button part="organizer-reset" type="button" @click=${() => this.#commit(DEFAULT_COLUMNS.map((c) => ({ ...c })))}>${this.localize.term('table.columns.reset')}</button>
          <button part="organizer-close" type="button" @click=${() => this.close()}>${this.localize.term('common.close')}</button>
        </div>
      </div>
    </dialog>`;
  }

  /** Shows the change at once (so focus can follow it) and reports it. */
  #commit(columns: ColumnSetting[]): void {
    this.columns = columns;
    this.dispatchEvent(new NasColumnsChangeEvent({ columns: columns.map((c) => ({ ...c })) }));
  }

  #setVisible(id: ColumnId, visible: boolean): void {
    if (FIXED_COLUMNS.has(id)) return;
    this.#commit(this.columns.map((c) => (c.id === id ? { id, visible } : { ...c })));
  }

  /** Moves a column one place among the listed ones (swapping with its listed neighbour). */
  async #move(id: ColumnId, delta: -1 | 1): Promise<void> {
    const entries = this.#entries.map((c) => c.id);
    const from = entries.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= entries.length) return;
    const next = this.columns.map((c) => ({ ...c }));
    const a = next.findIndex((c) => c.id === id);
    const b = next.findIndex((c) => c.id === entries[to]);
    [next[a], next[b]] = [next[b]!, next[a]!];
    this.#commit(next);
    this.announcement = this.localize.term('table.columns.moved', this.#term(id), to + 1);
    // Moving re-orders the list items, which drops focus; keep it on the moved column's button.
    await this.updateComplete;
    const item = this.renderRoot.querySelector(`li[data-column="${id}"]`);
    const same = item?.querySelector<HTMLButtonElement>(`button[data-move="${delta < 0 ? 'up' : 'down'}"]`);
    const other = item?.querySelector<HTMLButtonElement>(`button[data-move="${delta < 0 ? 'down' : 'up'}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }
}
