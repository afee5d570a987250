import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { controls, tokens, displayText, isBlank, isolate, icon, nasText } from '../../components/kit.js';
import { keyStatus, type ApiKeyRow, type KeyStatus } from '../../components/model/api-key.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import { ExtEvent } from '../shared/ui/events.js';
import { pageStyles } from '../shared/ui/styles.js';
import { type RowAction, type RowMenuItem } from './row-menu.js';

/** A row action for the app: which key (its host in `row.hostId`) and what to do. */
export interface KeyAction {
  action: RowAction;
  row: ApiKeyRow;
}
export const KEY_ACTION = 'nkm-key-action';

const STATUSES: readonly KeyStatus[] = ['revoked', 'expired', 'expiring', 'active'];
/** Rows rendered at first; the rest on request (a NAS may hold thousands of keys). */
const PAGE = 100;

/**
 * The popup's search-first key list: a search field (focused when the list first shows), a status
 * filter with counts, and one compact row per key (name, host, status, expiry, row menu). The app
 * owns the data; this element only filters and renders it.
 */
export class NkmKeyList extends ExtElement {
  static override styles = [
    tokens,
    controls,
    pageStyles,
    css`
      :host {
        display: grid;
        gap: var(--_space-2);
        min-inline-size: 0;
      }
      .filters {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: var(--_space-2);
      }
      .search {
        position: relative;
        display: flex;
        align-items: center;
        min-inline-size: 0;
      }
      .search svg {
        position: absolute;
        inset-inline-start: var(--_space-2);
        color: var(--_muted);
        pointer-events: none;
      }
      .search input {
        inline-size: 100%;
        min-inline-size: 0;
        padding-inline-start: calc(var(--_space-2) * 2 + var(--_icon));
      }
      /* The search gets the room (its placeholder fits at 320 px); the filter shows its choice and count ("All (10)"). */
      select {
        max-inline-size: 6.5rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto auto;
        align-items: center;
        gap: var(--_space-2);
        padding: var(--_space-1) 0 var(--_space-1) var(--_space-1);
        border-block-end: 1px solid color-mix(in srgb, var(--_border), transparent 60%);
      }
      .text {
        display: grid;
        min-inline-size: 0;
      }
      .name {
        font-weight: var(--_weight-strong);
      }
      /* Host and expiry wrap rather than cut ("Abgelaufen vor 5 Tagen" at 360 px); a long host name breaks anywhere. */
      .meta {
        color: var(--_muted);
        font-size: var(--_size-small);
        overflow-wrap: anywhere;
      }
      .badge {
        padding: 0 var(--_space-2);
        border-radius: 999px;
        border: 1px solid currentColor;
        font-size: var(--_size-small);
        white-space: nowrap;
      }
      .badge[data-status='active'] {
        color: var(--_success);
      }
      .badge[data-status='revoked'],
      .badge[data-status='expired'] {
        color: var(--_error);
      }
      .badge[data-status='expiring'] {
        color: var(--_warning-text);
        background: var(--_warning-surface);
      }
    `,
  ];

  @property({ attribute: false }) rows: ApiKeyRow[] | null = null;
  @property({ type: Number }) expiringDays = 14;
  /** Keys with a vault entry, as `hostId#keyId` ("Copy from vault" needs one). */
  @property({ attribute: false }) stored: ReadonlySet<string> = new Set();
  @state() private search = '';
  @state() private status: KeyStatus | '' = '';
  @state() private shown = PAGE;
  @query('input[name="search"]') private searchInput?: HTMLInputElement;

  /** Whether it shows the list as a new opening would: no search, no filter, the first page. */
  get unfiltered(): boolean {
    return this.search.trim() === '' && this.status === '' && this.shown === PAGE;
  }

  /** Puts the cursor in the search field (on open, after unlock). */
  async focusSearch(): Promise<void> {
    await this.updateComplete;
    this.searchInput?.focus();
  }

  private keep(row: ApiKeyRow, needle: string, now: number): boolean {
    if (this.status && keyStatus(row, now, this.expiringDays) !== this.status) return false;
    if (!needle) return true;
    return [row.name, row.username ?? '', row.hostName ?? ''].some((text) => text.toLowerCase().includes(needle));
  }

  private expiry(row: ApiKeyRow, now: number): string {
    if (row.expiresAt === null) return this.t.term('ext.popup.neverExpires');
    const relative = this.t.relativeTime(row.expiresAt, now);
    return this.t.term(row.expiresAt <= now ? 'ext.popup.expired' : 'ext.popup.expires', relative);
  }

  private items(row: ApiKeyRow): RowMenuItem[] {
    const inVault = this.stored.has(`${row.hostId ?? ''}#${row.id}`);
    return [
      { action: 'quick-reset', icon: 'quick-reset', label: this.t.term('ext.popup.quickReset'), hint: this.t.term('ext.popup.quickResetHint') },
      { action: 'copy', icon: 'copy', label: this.t.term('ext.popup.copyFromVault'), hint: this.t.term(inVault ? 'ext.popup.copyFromVaultHint' : 'ext.popup.notInVault'), disabled: !inVault },
      { action: 'edit', icon: 'edit', label: this.t.term('ext.popup.edit'), hint: this.t.term('ext.popup.inFullView') },
      { action: 'reset', icon: 'reset', label: this.t.term('ext.popup.reset'), hint: this.t.term('ext.popup.resetHint') },
      { action: 'delete', icon: 'delete', label: this.t.term('ext.popup.delete'), hint: this.t.term('ext.popup.inFullView') },
    ];
  }

  /** Arrow keys move between rows' menu buttons (and from the search field to the first one). */
  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const path = event.composedPath();
    const buttons = [...this.renderRoot.querySelectorAll('nkm-row-menu')];
    const fromSearch = path[0] === this.searchInput;
    const current = buttons.findIndex((menu) => path.includes(menu));
    // Inside an open menu the menu handles the keys itself.
    if (!fromSearch && (current < 0 || buttons[current]?.shadowRoot?.querySelector('[role="menu"]'))) return;
    const next = fromSearch ? (event.key === 'ArrowDown' ? 0 : -1) : current + (event.key === 'ArrowDown' ? 1 : -1);
    if (fromSearch && next < 0) return;
    const target = next < 0 ? this.searchInput : buttons[next]?.shadowRoot?.querySelector<HTMLButtonElement>('button[name="row-menu"]');
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    target.focus();
  }

  override render() {
    const now = Date.now();
    const rows = this.rows ?? [];
    const needle = this.search.trim().toLowerCase();
    const counts = new Map<KeyStatus, number>();
    for (const row of rows) {
      const status = keyStatus(row, now, this.expiringDays);
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    const visible = rows.filter((row) => this.keep(row, needle, now));
    return html`<div class="filters" @keydown=${this.onKey}>
        <label class="search">
          ${icon('search')}
          <input
            type="search"
            name="search"
            autocomplete="off"
            spellcheck="false"
            aria-label=${this.t.term('ext.popup.search')}
            placeholder=${this.t.term('ext.popup.searchPlaceholder')}
            .value=${this.search}
            @input=${(e: Event) => {
              this.search = (e.target as HTMLInputElement).value;
              this.shown = PAGE;
            }}
          />
        </label>
        <select name="status" aria-label=${this.t.term('ext.popup.statusFilter')} @change=${(e: Event) => (this.status = (e.target as HTMLSelectElement).value as KeyStatus | '')}>
          <option value="" ?selected=${this.status === ''}>${this.t.term('ext.popup.statusAll', rows.length)}</option>
          ${STATUSES.filter((s) => counts.has(s) || s === this.status).map(
            (s) => html`<option value=${s} ?selected=${this.status === s}>${this.t.term('ext.popup.statusCount', this.t.term(`common.status.${s}` as const), counts.get(s) ?? 0)}</option>`,
          )}
        </select>
      </div>
      ${this.rows === null
        ? html`<p class="muted" role="status">${this.t.term('ext.popup.loading')}</p>`
        : rows.length === 0
          ? html`<p class="muted" data-empty>${this.t.term('ext.popup.noKeys')}</p>`
          : visible.length === 0
            ? html`<p class="muted" role="status" data-no-match>${this.t.term('ext.popup.noMatch')}</p>`
            : nothing}
      <ul aria-label=${this.t.term('ext.popup.keyList')} @keydown=${this.onKey} @nkm-row-action=${(e: ExtEvent<RowAction>) => this.act(e)}>
        ${repeat(
          visible.slice(0, this.shown),
          (row) => `${row.hostId ?? ''}#${row.id}`,
          (row) => this.renderRow(row, now),
        )}
      </ul>
      ${visible.length > this.shown
        ? html`<button type="button" name="show-more" @click=${() => (this.shown += PAGE * 5)}>${this.t.term('ext.popup.showMore', visible.length - this.shown)}</button>`
        : nothing}`;
  }

  private renderRow(row: ApiKeyRow, now: number) {
    const status = keyStatus(row, now, this.expiringDays);
    const name = isBlank(row.name) ? this.t.term('ext.name.unnamed', row.id) : displayText(row.name);
    return html`<li data-key-row data-key-id=${row.id} data-host-id=${row.hostId ?? ''} data-row-id=${`${row.hostId ?? ''}#${row.id}`}>
      <div class="text">
        <span class="name truncate" data-col="name" title=${name}>${this.storedName(row.name, row.id)}</span>
        <span class="meta">
          <span data-col="host">${row.hostName ? nasText(row.hostName) : nothing}</span>${row.hostName ? ' · ' : nothing}<span data-col="expires">${this.expiry(row, now)}</span>
        </span>
      </div>
      <span class="badge" data-col="status" data-status=${status} part="status-badge">${this.t.term(`common.status.${status}` as const)}</span>
      <nkm-row-menu .label=${this.t.term('ext.popup.rowMenu', isolate(name))} .items=${this.items(row)}></nkm-row-menu>
    </li>`;
  }

  private act(event: ExtEvent<RowAction>): void {
    event.stopPropagation();
    const li = event.composedPath().find((node): node is HTMLLIElement => node instanceof HTMLLIElement && node.hasAttribute('data-row-id'));
    const row = (this.rows ?? []).find((r) => `${r.hostId ?? ''}#${r.id}` === li?.dataset['rowId']);
    if (row) this.dispatchEvent(new ExtEvent<KeyAction>(KEY_ACTION, { action: event.detail, row }));
  }
}
