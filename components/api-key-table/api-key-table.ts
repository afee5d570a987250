import { html, nothing, svg, type PropertyValues, type TemplateResult, type CSSResultGroup } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { NasElement } from '../internal/nas-element.js';
import { tokens } from '../internal/controls.styles.js';
import { displayText, isBlank, isolate } from '../internal/display-text.js';
import { nasText } from '../internal/nas-text.js';
import {
  EXPIRING_SOON_DAYS,
  keyStatus,
  type ApiKeyRow,
  type HostCapabilities,
  type KeyAccess,
  type KeySessionsReport,
  type KeyStatus,
  type KeyUsageReport,
} from '../model/api-key.js';
import { KEY_ACTIONS, NasKeyActionEvent, type KeyAction } from '../events/key-action.js';
import { NasRetryEvent } from '../events/retry.js';
import { NasColumnsChangeEvent } from '../events/columns-change.js';
import { NasSortChangeEvent } from '../events/sort-change.js';
import { NasFilterChangeEvent } from '../events/filter-change.js';
import { NasSelectionChangeEvent } from '../events/selection-change.js';
import {
  COLUMN_SORT,
  DEFAULT_COLUMNS,
  KeyIndex,
  allowlistText,
  normalizeColumns,
  rowKey,
  type ColumnId,
  type ColumnSetting,
  type TableSort,
  type ViewQuery,
} from './table-data.js';
import { fitColumns, type Fit } from './column-fit.js';
import { KeyPagingController, type KeyDataProvider, type RowItem } from './key-paging.js';
import { RowWindowController } from './row-window.js';
import { ColumnFitController } from './column-fit-controller.js';
import { RowMenuController } from './row-menu.js';
import { GridFocusController } from './grid-focus-controller.js';
import { loadColumns, saveColumns } from './column-store.js';
import { ColumnOrganizer } from '../column-organizer/column-organizer.js';
import { defineElement } from '../internal/define.js';
import styles from './api-key-table.styles.js';
import { layered } from '../internal/layer.js';

export { DEFAULT_COLUMNS, normalizeColumns, rowKey };
export type { ColumnId, ColumnSetting, KeyAction, TableSort };

export type { KeyDataProvider };

const STATUSES: readonly KeyStatus[] = ['active', 'expiring', 'expired', 'revoked'];

const ICONS: Readonly<Record<KeyAction, TemplateResult>> = {
  details: svg`<path d="M8 1.8A6.2 6.2 0 1 0 8 14.2 6.2 6.2 0 1 0 8 1.8Z M8 7.2V11.4 M8 4.6V4.7"/>`,
  edit: svg`<path d="M3 13.2 3.6 10.4 10.6 3.4 12.6 5.4 5.6 12.4Z M9.4 4.6 11.4 6.6"/>`,
  reset: svg`<path d="M12.8 8.6A4.9 4.9 0 1 1 11.3 4.6 M11.6 1.8V4.9H8.5"/>`,
  'quick-reset': svg`<path d="M9.2 1.6 3.6 9H7.6L6.8 14.4 12.4 7H8.4Z"/>`,
  delete: svg`<path d="M2.8 4.2H13.2 M6.2 4.2V2.6H9.8V4.2 M4.2 4.2 5 13.4H11L11.8 4.2"/>`,
};

const DAY_MS = 86_400_000;

const KEBAB = svg`<path class="dots" d="M8 3.4h0 M8 8h0 M8 12.6h0"/>`;

/** The column organizer's parts, which the table passes on (and `<api-key-manager>` after it). */
export const ORGANIZER_PARTS: readonly string[] = ['', '-body', '-title', '-list', '-item', '-checkbox', '-move-up', '-move-down', '-footer', '-reset', '-close'].map(
  (p) => `organizer${p}`,
);

/** How long `highlight()` marks a row. */
const HIGHLIGHT_MS = 3000;


/**
 * @summary The list of API keys: sortable, searchable, filterable, virtualized for large lists,
 * with row actions as events. It never talks to a NAS: data comes in through `keys` (local) or a
 * `dataProvider` (server-side paging), and intent goes out as events.
 *
 * Colours follow the `color-scheme` the page gives (light and dark defaults): `light dark` on the
 * page follows `prefers-color-scheme`, `light` or `dark` (on the page or the element) forces one. Everything is restyleable through the `--nas-*` properties
 * below and `::part()`; the component's own CSS sits in the `nas-component` cascade layer.
 * Keyboard: one tab stop; arrows, Home/End, Ctrl+Home/End, PageUp/PageDown move between cells
 * (ARIA grid pattern); Enter or F2 moves into a row's actions (arrows between them, Escape back);
 * Space selects a row when `selectable`; Tab leaves the grid for the next control after it.
 * Narrow (a container too small for every column): columns give way by need (Local and Created
 * first) and the row actions fold into a menu button (Enter, Space or the arrows open it; arrows,
 * Home, End move; Esc closes and returns focus). Headers are never cut.
 * @status stable
 * @since 0.1
 *
 * @slot toolbar - Extra toolbar content after the filters, e.g. an "Add" button.
 * @slot empty - Replaces the "no keys yet" message.
 *
 * @event {NasKeyActionEvent} nas-key-action - A row action was chosen; `detail.action` is `details`, `edit`, `reset`, `quick-reset` or `delete`, `detail.key` the row.
 * @event {NasRetryEvent} nas-retry - Retry was pressed in the error state.
 * @event {NasColumnsChangeEvent} nas-columns-change - The column organizer changed the layout; `detail.columns` restores it.
 * @event {NasSortChangeEvent} nas-sort-change - The sort changed; `detail.sort`.
 * @event {NasFilterChangeEvent} nas-filter-change - The search text or status filter changed; `detail.search`, `detail.statusFilter`.
 * @event {NasSelectionChangeEvent} nas-selection-change - The selection of a `selectable` table changed; `detail.selected` (row keys).
 *
 * @csspart base - Wrapper of everything.
 * @csspart toolbar - The row of search, filter and organizer controls.
 * @csspart search-label - The label around the search input.
 * @csspart search - The search input.
 * @csspart status-filter-label - The label around the status filter.
 * @csspart status-filter - The status `<select>`.
 * @csspart columns-button - Opens the column organizer.
 * @csspart summary - "N keys" / "N of M keys".
 * @csspart error - The error banner.
 * @csspart error-message - Its text.
 * @csspart retry-button - Retry.
 * @csspart grid - The `role="grid"` element.
 * @csspart header - The header row group (outside the scroller).
 * @csspart header-row - The header row.
 * @csspart header-cell - Each column header.
 * @csspart sort-button - The sort button inside a sortable header.
 * @csspart sort-indicator - The arrow in a sort button.
 * @csspart body - The scrolling row group.
 * @csspart row - Each body row (`row placeholder-row` while a provider page loads, `row selected-row` when selected, `row row-highlight` for a few seconds after `highlight()`).
 * @csspart cell - Each body cell; also `cell-<column>` (e.g. `cell-name`, `cell-status`).
 * @csspart status - Status wrapper; also `status-active`, `status-expiring`, `status-expired`, `status-revoked`.
 * @csspart status-badge - The status word.
 * @csspart status-reason - A revoked key's reason.
 * @csspart expires - The relative expiry text (`<time>`).
 * @csspart created - The creation date (`<time>`).
 * @csspart access - A key's access summary (its blast radius); also `access-<summary>` (`access-full-admin`, `access-read-only`, `access-custom`, `access-full`, `access-restricted`, …) and `access-wide` when the key may manage every user's keys.
 * @csspart access-flag - The warning mark of a key that may manage every user's keys.
 * @csspart last-used - A key's last use (`<time>` and the client address), or "Not seen in N days".
 * @csspart sessions-count - A key's open session count.
 * @csspart insight-note - Why Last used or Sessions is not shown (no permission, or the NAS failed to answer).
 * @csspart action-button - Each row action button; also `action-details`, `action-edit`, `action-reset`, `action-quick-reset`, `action-delete`.
 * @csspart row-menu-button - A narrow table's row-actions menu button (`button[name="row-menu"]`, also `action-button`).
 * @csspart row-menu - The row-actions menu (`role="menu"`, a popover).
 * @csspart row-menu-item - Each menu item; also `row-menu-details`, `row-menu-edit`, `row-menu-reset`, `row-menu-quick-reset`, `row-menu-delete`.
 * @csspart message - The loading / empty / no-results message.
 * @csspart clear-filters-button - "Clear filters" in the no-results state.
 * @csspart organizer - The column organizer's `<dialog>` (`<nas-column-organizer>`, its parts exported under these names).
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
 *
 * @cssproperty [--nas-font-family=system-ui] - Font.
 * @cssproperty [--nas-font-size=0.9375rem] - Base font size.
 * @cssproperty [--nas-color-text] - Text colour (light/dark defaults).
 * @cssproperty [--nas-color-text-muted] - Secondary text.
 * @cssproperty [--nas-color-surface] - Background of the grid and controls.
 * @cssproperty [--nas-color-surface-raised] - Background of the organizer dialog.
 * @cssproperty [--nas-color-surface-subtle] - Hover and row separators.
 * @cssproperty [--nas-color-border] - Borders.
 * @cssproperty [--nas-color-accent] - Accent (checkboxes).
 * @cssproperty [--nas-color-focus] - Focus ring.
 * @cssproperty [--nas-color-success] - "Active" badge.
 * @cssproperty [--nas-color-warning] - "Expiring soon" badge.
 * @cssproperty [--nas-color-danger] - "Expired"/"Revoked" badges and Delete.
 * @cssproperty [--nas-color-error] - Error banner.
 * @cssproperty [--nas-radius=6px] - Corner radius.
 * @cssproperty [--nas-space=0.5rem] - Spacing unit.
 * @cssproperty [--nas-table-row-height=2.75rem] - Height of each row (rows are fixed-height so large lists can be windowed).
 * @cssproperty [--nas-table-body-height=26rem] - Height of the scrolling body (its maximum when not virtualized).
 * @cssproperty [--nas-table-header-surface] - Header background.
 * @cssproperty [--nas-table-row-hover] - Hovered row background.
 * @cssproperty [--nas-table-row-selected] - Selected row background.
 * @cssproperty [--nas-table-row-highlight] - Background of a row marked by `highlight()`.
 *
 * @cssstate loading - Data is loading.
 * @cssstate empty - There are no keys at all.
 * @cssstate no-results - The search or filter matched nothing.
 * @cssstate error - The error state is shown.
 * @cssstate virtualized - Rows are windowed (large list): only the rows in view are in the DOM.
 */
export class ApiKeyTable extends NasElement {
  static override styles: CSSResultGroup = layered(tokens, styles);

  /** The keys to show (local mode: sort, search and filter happen here). Ignored when `dataProvider` is set. Replace the array to update; rows are never copied. */
  @property({ attribute: false }) keys: ApiKeyRow[] = [];

  /** Server-side mode: called for each page of rows as they scroll into view, with the current sort, search and filter. */
  @property({ attribute: false }) dataProvider?: KeyDataProvider;

  /** Capabilities of the host the keys belong to; legacy hosts (allowlist) get the Allowlist column and lose owner/expiry columns. */
  @property({ attribute: false }) capabilities: HostCapabilities | null = null;

  /**
   * Last use per key, from one audit query of the host (`ApiKeyService.keyUsage()`): an `ok`
   * report shows the Last used column; `not-permitted` or `failed` shows a note instead;
   * `unsupported` or null hides it.
   */
  @property({ attribute: false }) usage: KeyUsageReport | null = null;

  /**
   * Open sessions per key, from one call (`ApiKeyService.allKeySessions()`): an `ok` report shows
   * the Sessions column; `not-permitted` or `failed` shows a note instead; `unsupported` or null hides it.
   */
  @property({ attribute: false }) sessions: KeySessionsReport | null = null;

  /** Show the Host column (keys of several hosts; give rows `hostId`/`hostName`). */
  @property({ type: Boolean, attribute: 'multi-host' }) multiHost = false;

  /** The host is loading data: shows the loading state (or a busy grid when rows are already shown). */
  @property({ type: Boolean }) loading = false;

  /** A human error message: shows the error state with a Retry button (`nas-retry`). */
  @property() error: string | null = null;

  /**
   * Column order and visibility; restore a saved layout by setting it. Unknown ids are dropped,
   * missing ones appended. A narrow table shows fewer of the visible columns (Local and Created
   * go first) and folds the row actions into a menu. The default is the frozen `DEFAULT_COLUMNS`;
   * the table always assigns a new array.
   */
  @property({ attribute: false }) columns: ColumnSetting[] = DEFAULT_COLUMNS as ColumnSetting[];

  /**
   * When set, the column layout is loaded from `localStorage` under this key and saved there on
   * every change. A host page that sets `columns` itself, or calls `preventDefault()` on
   * `nas-columns-change`, keeps the layout in its own hands.
   */
  @property({ attribute: 'columns-key' }) columnsKey: string | null = null;

  /** Sort field and direction, or null for the source order. */
  @property({ attribute: false }) sort: TableSort | null = null;

  /**
   * The order `keys` already come in (e.g. by creation), marked on its header while `sort` is
   * null; a first click on that header then reverses it. Null: the source order is no column's.
   */
  @property({ attribute: false }) defaultSort: TableSort | null = null;

  /** Search text, matched case-insensitively against name and username. */
  @property() search = '';

  /** Show only keys with this status (`expiring` means within `expiringWithinDays`). */
  @property({ attribute: 'status-filter' }) statusFilter: KeyStatus | null = null;

  /** Days before expiry at which a key counts as "expiring soon". */
  @property({ type: Number, attribute: 'expiring-within-days' }) expiringWithinDays = EXPIRING_SOON_DAYS;

  /** Row actions to offer, in order. The extension adds `quick-reset`. An empty list hides the Actions column. */
  @property({ attribute: false }) actions: KeyAction[] = ['edit', 'reset', 'delete'];

  /** The clock (epoch ms) for statuses and relative dates; unset means the real time, refreshed every minute. */
  @property({ attribute: false }) now?: number;

  /** Accessible name of the grid; defaults to the translated "API keys". */
  @property() label = '';

  /** Rows can be selected (click or Space); see `selected` and `nas-selection-change`. */
  @property({ type: Boolean }) selectable = false;

  /** Row keys (`rowKey(row)`) of the selected rows. */
  @property({ attribute: false }) selected: string[] = [];

  /** Above this many rows, rendering is windowed: only the rows in view (plus a few) are in the DOM. */
  @property({ type: Number, attribute: 'virtualize-threshold' }) virtualizeThreshold = 300;

  /** Rows per data-provider request (`api_key.query` limit; 25.10+ caps it at 10,000). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 100;

  @state() private clock = Date.now();
  @state() private announcement = '';

  @query('.body') private body?: HTMLElement;
  @query('.header') private header?: HTMLElement;
  @query('nas-column-organizer') private organizer?: ColumnOrganizer;

  readonly #fit = new ColumnFitController(
    this,
    () => this.header,
    () => `${this.localize.lang()}|${this.#visibleColumns.join()}`,
    () => {
      const fit = this.#computeFit();
      if (fit.columns.join() !== this.#visibleColumns.join() || fit.kebab !== this.#kebab || fitStyle(fit) !== this.#gridStyle) this.requestUpdate();
    },
  );
  readonly #menu = new RowMenuController(this, () => this.renderRoot.querySelector<HTMLElement>('.row-menu'));
  /** Row actions are folded into a menu button (narrow table). */
  #kebab = false;
  #gridStyle = '';
  /** Visible columns as chosen (the organizer's view); `#visibleColumns` is what fits. */
  #chosenColumns: ColumnId[] = [];
  /** The last `columns` array the table assigned itself; any other (but the default) came from the host. */
  #ownColumns: ColumnSetting[] | undefined;
  #hostColumns = false;
  #highlightKey: string | null = null;
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;

  #index = new KeyIndex([]);
  #view: ApiKeyRow[] = [];
  #lastQuery: ViewQuery | undefined;
  readonly #dateFormats = new Map<string, Intl.DateTimeFormat>();
  #cancelWarmUp: (() => void) | undefined;
  #scrollAnchor: { key: string; index: number; offset: number } | undefined;
  /** A scroll position to apply after the render that changed the rows (live updates). */
  #pendingScrollTop: number | undefined;
  #clockTimer: ReturnType<typeof setInterval> | undefined;
  readonly #internals: ElementInternals | undefined = this.attachInternals?.();
  readonly #paging = new KeyPagingController(this, {
    provider: () => this.dataProvider,
    query: () => ({
      sort: this.sort && this.sort.field !== 'allowlist' ? { field: this.sort.field, direction: this.sort.direction } : null,
      search: this.search.trim(),
      status: this.statusFilter,
      expiringWithinDays: this.expiringWithinDays,
    }),
    pageSize: () => this.pageSize,
    failedText: () => this.localize.term('table.state.error'),
    restarted: () => {
      this.#grid.toHeader();
      if (this.body) this.body.scrollTop = 0;
      this.#window.scrollTop = 0;
    },
  });
  readonly #window = new RowWindowController(
    this,
    () => this.body,
    () => this.#rowCount,
    () => this.#virtualized,
  );
  readonly #grid = new GridFocusController<ColumnId>(this, 'name', {
    header: () => this.header,
    body: () => this.body,
    columns: () => this.#visibleColumns,
    rowCount: () => this.#rowCount,
    keyAt: (row) => {
      const item = this.#rowAt(row);
      return item ? rowKey(item) : null;
    },
    indexOfKey: (key) => this.#indexOfKey(key),
    isRendered: (row) => this.#window.isRendered(row),
    scrollIntoView: (row) => this.#window.scrollIntoView(row),
    rowHeight: () => this.#window.rowHeight(),
    rtl: () => this.localize.dir() === 'rtl',
    select: (row) => {
      if (!this.selectable) return false;
      const item = this.#rowAt(row);
      if (item) this.#toggleSelected(item);
      return true;
    },
  });

  constructor() {
    super();
    // The organizer is part of the table: registered with it (skipped if already defined).
    defineElement('nas-column-organizer', ColumnOrganizer);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Relative dates and "expiring"/"expired" move with time.
    this.#clockTimer = setInterval(() => {
      if (this.now === undefined) this.clock = Date.now();
    }, 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clockTimer);
    clearTimeout(this.#highlightTimer);
    this.#highlightKey = null;
    this.#cancelWarmUp?.();
  }

  /** Server-side mode: drops loaded pages and loads the visible rows again, keeping the scroll position. */
  refresh(): void {
    if (this.dataProvider) this.#paging.refresh();
    else this.requestUpdate();
  }

  /** Moves keyboard focus into the grid (the current cell). */
  override focus(options?: FocusOptions): void {
    void this.#grid.focus(options);
  }

  /**
   * Scrolls the key with this id into view and marks its row for about 3 s (`row-highlight` part,
   * `data-highlight` attribute), e.g. after a create or reset. Announces nothing: the caller says
   * what happened. In a multi-host table the first row with the id is marked.
   */
  async highlight(id: number): Promise<void> {
    await this.updateComplete;
    const index = this.#items.findIndex((item) => typeof item === 'object' && item.id === id);
    const row = this.#rowAt(index);
    if (!row) return;
    this.#highlightKey = rowKey(row);
    clearTimeout(this.#highlightTimer);
    this.#highlightTimer = setTimeout(() => {
      this.#highlightKey = null;
      this.requestUpdate();
    }, HIGHLIGHT_MS);
    this.#window.scrollIntoView(index);
    this.requestUpdate();
    await this.updateComplete;
    this.body?.querySelector(`[data-row="${index}"]`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  /** The rows currently shown, in display order (local mode; loaded rows only in provider mode). */
  get visibleRows(): readonly ApiKeyRow[] {
    if (!this.dataProvider) return this.#view;
    return this.#paging.items.filter((item): item is ApiKeyRow => typeof item !== 'number');
  }

  // ---- derived data -------------------------------------------------------------------------

  get #effectiveNow(): number {
    return this.now ?? this.clock;
  }

  get #legacy(): boolean {
    return this.capabilities !== null && !this.capabilities.userLinkedKeys;
  }

  /** Whether a column exists for the current data at all (the organizer lists only these). */
  #available(id: ColumnId): boolean {
    switch (id) {
      case 'allowlist':
        return this.capabilities?.allowlist === true;
      case 'host':
        return this.multiHost;
      case 'username':
      case 'local':
      case 'expiresAt':
        return !this.#legacy;
      case 'actions':
        return this.actions.length > 0;
      case 'access':
        return this.#hasAccess;
      case 'lastUsed':
        return this.usage?.status === 'ok' && this.capabilities?.keyUsage !== false;
      case 'sessions':
        return this.sessions?.status === 'ok' && this.capabilities?.keySessions !== false;
      default:
        return true;
    }
  }

  /** Some row carries its access summary (the service read the owners' roles or the allowlists). */
  #hasAccess = false;

  #findAccess(): boolean {
    const rows = this.dataProvider ? this.#paging.items : this.keys;
    return rows.some((row) => typeof row === 'object' && row.access !== undefined);
  }

  #normalized: ColumnSetting[] = normalizeColumns(this.columns);
  #visibleColumns: ColumnId[] = [];

  get #rowCount(): number {
    return this.dataProvider ? (this.#paging.total ?? 0) : this.#view.length;
  }

  get #items(): readonly RowItem[] {
    return this.dataProvider ? this.#paging.items : this.#view;
  }

  get #virtualized(): boolean {
    return this.#rowCount > this.virtualizeThreshold;
  }

  #rowAt(index: number): ApiKeyRow | undefined {
    const item = this.#items[index];
    return typeof item === 'object' ? item : undefined;
  }

  #sortable(id: ColumnId): boolean {
    const field = COLUMN_SORT[id];
    // Servers cannot order by the allowlist.
    return field !== null && !(this.dataProvider && field === 'allowlist');
  }

  #term(column: ColumnId): string {
    return this.localize.term(`table.column.${column}`);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues): void {
    this.#checkInputs(changed);
    if (changed.has('columns') && this.columns !== DEFAULT_COLUMNS && this.columns !== this.#ownColumns) this.#hostColumns = true;
    const saved = changed.has('columnsKey') && this.columnsKey && !this.#hostColumns ? loadColumns(this.columnsKey) : null;
    if (saved) this.columns = this.#ownColumns = saved;
    const hasAccess = changed.has('keys') || changed.has('dataProvider') || !this.#hasAccess ? this.#findAccess() : this.#hasAccess;
    const accessChanged = hasAccess !== this.#hasAccess;
    this.#hasAccess = hasAccess;
    if (saved || accessChanged || changed.has('columns') || changed.has('capabilities') || changed.has('multiHost') || changed.has('actions') || changed.has('usage') || changed.has('sessions')) {
      this.#normalized = normalizeColumns(this.columns);
      this.#chosenColumns = this.#normalized.filter((c) => c.visible && this.#available(c.id)).map((c) => c.id);
    }
    const fit = this.#computeFit();
    this.#visibleColumns = fit.columns;
    this.#kebab = fit.kebab;
    this.#gridStyle = fitStyle(fit);
    if (this.dataProvider) this.#updateProvider(changed);
    else this.#updateView(changed);
    this.#window.sync();
  }

  #computeFit(): Fit {
    return fitColumns({ columns: this.#chosenColumns, width: this.#fit.width, em: this.#fit.em, actionCount: this.actions.length, labelPx: this.#fit.labelPx });
  }

  #updateView(changed: PropertyValues): void {
    if (changed.has('dataProvider')) this.#paging.drop();
    const keysChanged = changed.has('keys') || changed.has('dataProvider');
    if (keysChanged) {
      this.#rememberScrollAnchor();
      this.#index = new KeyIndex(this.keys);
      this.#scheduleWarmUp();
    }
    this.#index.allowlistEverything = this.localize.term('table.allowlist.everything');
    const query: ViewQuery = {
      sort: this.sort,
      search: this.search,
      status: this.statusFilter,
      now: this.#effectiveNow,
      soonDays: this.expiringWithinDays,
      lang: this.localize.lang(),
    };
    if (keysChanged || !this.#lastQuery || !sameQuery(query, this.#lastQuery)) {
      this.#view = this.#index.view(query);
      this.#lastQuery = query;
      this.#grid.follow();
      if (keysChanged) this.#pruneSelection();
    }
    if (this.#scrollAnchor) this.#resolveScrollAnchor(this.#scrollAnchor);
    this.#scrollAnchor = undefined;
  }

  protected override updated(): void {
    this.#syncStates();
    const body = this.body;
    if (body && this.#pendingScrollTop !== undefined) body.scrollTop = this.#pendingScrollTop;
    this.#pendingScrollTop = undefined;
    // Server-side mode: load the pages of the rows now in the DOM.
    if (this.dataProvider) this.#paging.ensure(this.#window.range.first, this.#window.range.last);
  }

  /** The body scrolled: the header follows sideways, the window follows down. */
  #onBodyScroll(): void {
    if (this.header && this.body) this.header.scrollLeft = this.body.scrollLeft;
    this.#window.onScroll();
  }

  #syncStates(): void {
    const states = this.#internals?.states;
    if (!states) return;
    const state = this.#viewState();
    const set = (name: string, on: boolean) => {
      try {
        if (on) states.add(name);
        else states.delete(name);
      } catch {
        // Older engines accept only `--name` custom states; the states are an extra, not a need.
      }
    };
    set('loading', this.#busy);
    set('empty', state === 'empty');
    set('no-results', state === 'no-results');
    set('error', this.#errorText !== null);
    set('virtualized', this.#virtualized);
  }

  get #busy(): boolean {
    return this.loading || (this.dataProvider !== undefined && this.#paging.busy);
  }

  get #errorText(): string | null {
    return this.error || (this.dataProvider ? this.#paging.error : null);
  }

  get #filtered(): boolean {
    return this.search.trim() !== '' || this.statusFilter !== null;
  }

  #viewState(): 'error' | 'loading' | 'empty' | 'no-results' | 'rows' {
    if (this.#rowCount > 0) return 'rows';
    if (this.#errorText !== null) return 'error';
    if (this.#busy || (this.dataProvider && this.#paging.total === null)) return 'loading';
    if (this.#filtered) return 'no-results';
    return 'empty';
  }

  /**
   * In idle time after new keys arrive, prepares the search text and the name order (the costly
   * part of a first sort by name: a collator sort), in small steps that never block a frame.
   */
  #scheduleWarmUp(): void {
    this.#cancelWarmUp?.();
    this.#cancelWarmUp = undefined;
    if (this.keys.length < 1000) return;
    const index = this.#index;
    const lang = this.localize.lang();
    let handle: number | undefined;
    const run = (more: () => boolean) => {
      if (index !== this.#index || index.prepare('name', lang, more)) return;
      schedule();
    };
    const schedule = () => {
      if (typeof requestIdleCallback === 'function') handle = requestIdleCallback((deadline) => run(() => deadline.timeRemaining() > 2));
      else {
        // No idle callbacks (Safari): small timed slices instead.
        handle = window.setTimeout(() => {
          const end = performance.now() + 6;
          run(() => performance.now() < end);
        }, 50);
      }
    };
    this.#cancelWarmUp = () => (typeof cancelIdleCallback === 'function' ? cancelIdleCallback(handle!) : clearTimeout(handle));
    schedule();
  }

  /**
   * Bad values set by a host page: warn once with what is wrong and what is expected, and carry on
   * with the default, so one wrong attribute never breaks the table.
   */
  #checkInputs(changed: PropertyValues): void {
    const fix = <K extends 'keys' | 'statusFilter' | 'sort' | 'expiringWithinDays' | 'pageSize' | 'virtualizeThreshold' | 'actions'>(
      name: K,
      ok: boolean,
      expected: string,
      fallback: this[K],
    ) => {
      if (ok || !changed.has(name)) return;
      console.warn(`<api-key-table>: ignoring ${name} = ${describe(this[name], name === 'keys')}; expected ${expected}.`);
      this[name] = fallback;
    };
    fix('keys', Array.isArray(this.keys), 'an array of keys', []);
    fix('statusFilter', this.statusFilter === null || STATUSES.includes(this.statusFilter), `null or one of ${STATUSES.join(', ')}`, null);
    fix(
      'sort',
      this.sort === null ||
        (typeof this.sort === 'object' &&
          Object.values(COLUMN_SORT).some((field) => field !== null && field === this.sort?.field) &&
          (this.sort.direction === 'asc' || this.sort.direction === 'desc')),
      'null or { field, direction: "asc" | "desc" } with a sortable field',
      null,
    );
    fix('expiringWithinDays', Number.isFinite(this.expiringWithinDays) && this.expiringWithinDays >= 0, 'a number of days, 0 or more', EXPIRING_SOON_DAYS);
    fix('pageSize', Number.isInteger(this.pageSize) && this.pageSize >= 1 && this.pageSize <= 10_000, 'a whole number from 1 to 10000', 100);
    fix('virtualizeThreshold', !Number.isNaN(this.virtualizeThreshold) && this.virtualizeThreshold >= 0, 'a row count, 0 or more', 300);
    fix('actions', Array.isArray(this.actions) && this.actions.every((a) => KEY_ACTIONS.includes(a)), `an array of ${KEY_ACTIONS.join(', ')}`, ['edit', 'reset', 'delete']);
  }

  // ---- live updates -------------------------------------------------------------------------

  /** Remembers which row is at the top of the viewport, so a new `keys` array does not move it. */
  #rememberScrollAnchor(): void {
    const body = this.body;
    if (!body || body.scrollTop <= 0 || this.#view.length === 0) return;
    const height = this.#window.rowHeight();
    const index = Math.min(this.#view.length - 1, Math.floor(body.scrollTop / height));
    this.#scrollAnchor = { key: rowKey(this.#view[index]!), index, offset: body.scrollTop - index * height };
  }

  /** Where the anchor row went in the new view: the body scrolls there right after this render. */
  #resolveScrollAnchor(anchor: { key: string; index: number; offset: number }): void {
    const index = anchor.index < this.#view.length && rowKey(this.#view[anchor.index]!) === anchor.key ? anchor.index : this.#indexOfKey(anchor.key);
    if (index < 0 || index === anchor.index) return;
    this.#pendingScrollTop = this.#window.scrollTop = index * this.#window.rowHeight() + anchor.offset;
  }


  #indexOfKey(key: string): number {
    const view = this.#view;
    for (let i = 0; i < view.length; i++) if (rowKey(view[i]!) === key) return i;
    return -1;
  }

  #pruneSelection(): void {
    if (this.selected.length === 0) return;
    const present = new Set<string>();
    for (const row of this.keys) present.add(rowKey(row));
    const kept = this.selected.filter((key) => present.has(key));
    if (kept.length !== this.selected.length) {
      this.selected = kept;
      this.dispatchEvent(new NasSelectionChangeEvent({ selected: [...kept] }));
    }
  }

  // ---- data provider ------------------------------------------------------------------------

  #updateProvider(changed: PropertyValues): void {
    if (changed.has('dataProvider') || changed.has('sort') || changed.has('statusFilter') || changed.has('expiringWithinDays') || changed.has('pageSize')) {
      this.#paging.restart();
    } else if (changed.has('search')) {
      // Typing should not send a request per keystroke.
      this.#paging.restart(true);
    }
    this.#paging.sync();
  }

  // ---- rendering ----------------------------------------------------------------------------

  override render(): TemplateResult {
    const state = this.#viewState();
    const errorText = this.#errorText;
    return html`<div part="base" class="base">
      ${this.#renderToolbar()}
      ${errorText !== null
        ? html`<div part="error" class="error" role="alert">
            <span part="error-message" class="text">${errorText}</span>
            <button part="retry-button" type="button" @click=${this.#retry}>${this.localize.term('common.retry')}</button>
          </div>`
        : nothing}
      ${this.#renderNotes()}
      ${this.#renderGrid()}
      ${state === 'loading'
        ? html`<div part="message" class="message" role="status">${this.localize.term('table.state.loading')}</div>`
        : state === 'empty'
          ? html`<div part="message" class="message" role="status"><slot name="empty">${this.localize.term('table.state.empty')}</slot></div>`
          : state === 'no-results'
            ? html`<div part="message" class="message" role="status">
                <span>${this.localize.term('table.state.noResults')}</span>
                <button part="clear-filters-button" type="button" @click=${this.#clearFilters}>${this.localize.term('table.state.clearFilters')}</button>
              </div>`
            : nothing}
      <div class="sr-only" role="status" aria-live="polite">${this.announcement}</div>
      ${this.#renderRowMenu()} ${this.#renderOrganizer()}
    </div>`;
  }

  #renderToolbar(): TemplateResult {
    const total = this.dataProvider ? this.#paging.total : this.keys.length;
    const summary =
      total === null
        ? ''
        : this.dataProvider || !this.#filtered
          ? this.localize.term('table.summary.all', total)
          : this.localize.term('table.summary.filtered', this.#view.length, total);
    return html`<div part="toolbar" class="toolbar">
      <label part="search-label" class="search">
        <span class="sr-only">${this.localize.term('table.search.label')}</span>
        <input
          part="search"
          type="search"
          autocomplete="off"
          spellcheck="false"
          .value=${this.search}
          placeholder=${this.localize.term('table.search.placeholder')}
          @input=${this.#onSearchInput}
        />
      </label>
      ${this.#legacy ? nothing : this.#renderStatusFilter()}
      <button part="columns-button" type="button" aria-haspopup="dialog" @click=${this.#openOrganizer}>${this.localize.term('table.columns.button')}</button>
      <slot name="toolbar"></slot>
      <span part="summary" class="summary" role="status">${summary}</span>
    </div>`;
  }

  /** Legacy hosts (22.02-24.10) have no expiry or revocation: every key is active, so no filter. */
  #renderStatusFilter(): TemplateResult {
    return html`<label part="status-filter-label" class="filter">
        <span>${this.localize.term('table.filter.label')}</span>
        <select part="status-filter" @change=${this.#onStatusChange}>
          <option value="" ?selected=${this.statusFilter === null}>${this.localize.term('table.filter.all')}</option>
          ${STATUSES.map(
            (status) =>
              html`<option value=${status} ?selected=${this.statusFilter === status}>
                ${status === 'expiring' ? this.localize.term('table.filter.expiring', this.expiringWithinDays) : this.localize.term(`common.status.${status}`)}
              </option>`,
          )}
        </select>
      </label>`;
  }

  /** Why Last used or Sessions is missing, when the host has them but could not give them. */
  #renderNotes(): TemplateResult | typeof nothing {
    const notes: string[] = [];
    const usage = this.usage;
    if (usage?.status === 'not-permitted') notes.push(this.localize.term('table.usage.notPermitted'));
    else if (usage?.status === 'failed') notes.push(this.localize.term('table.usage.failed', isolate(usage.reason)));
    const sessions = this.sessions;
    if (sessions?.status === 'not-permitted') notes.push(this.localize.term('table.sessions.notPermitted'));
    else if (sessions?.status === 'failed') notes.push(this.localize.term('table.sessions.failed', isolate(sessions.reason)));
    if (notes.length === 0) return nothing;
    return html`${notes.map((text) => html`<p part="insight-note" class="note">${text}</p>`)}`;
  }

  // The grid's inline custom properties are bound as `.style` (it sets `style.cssText`, a CSSOM
  // write that a strict page CSP allows, unlike a `style` attribute).

  #renderGrid(): TemplateResult {
    const count = this.#rowCount;
    const { first, last } = this.#window.range;
    const columns = this.#visibleColumns;
    const label = this.label || this.localize.term('table.label');
    return html`<div
      part="grid"
      class="grid"
      role="grid"
      aria-label=${label}
      aria-rowcount=${this.dataProvider && this.#paging.total === null ? -1 : count + 1}
      aria-colcount=${columns.length}
      aria-busy=${this.#busy ? 'true' : 'false'}
      aria-multiselectable=${this.selectable ? 'true' : nothing}
      .style=${this.#gridStyle}
      @keydown=${this.#onKeydown}
      @focusin=${this.#grid.onFocusin}
      @focusout=${this.#grid.onFocusout}
      @click=${this.#onGridClick}
    >
      <div part="header" class="header" role="rowgroup">
        <div part="header-row" class="row" role="row" aria-rowindex="1" data-row="-1">${columns.map((id) => this.#renderHeaderCell(id))}</div>
      </div>
      ${count === 0
        ? nothing
        : html`<div part="body" class=${this.#virtualized ? 'body virtual' : 'body'} role="rowgroup" tabindex="-1" @scroll=${this.#onBodyScroll}>
            <div class="rows" .style=${`--_rows:${count};--_first:${first}`}>
              ${repeat(this.#items.slice(first, last + 1), this.#itemKey, this.#renderRow)}
            </div>
          </div>`}
    </div>`;
  }

  #renderHeaderCell(id: ColumnId): TemplateResult {
    const tabbable = this.#grid.isTabStop(-1, id);
    // While unsorted, the order the host says its rows come in is marked as the sort.
    const order = this.sort ?? this.defaultSort;
    const sorted = order && COLUMN_SORT[id] === order.field ? order.direction : null;
    const ariaSort = sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : nothing;
    if (!this.#sortable(id)) {
      return html`<div part="header-cell" class="cell" role="columnheader" data-col=${id} tabindex=${tabbable ? 0 : -1}>
        <span class=${id === 'actions' ? 'sr-only' : 'label'}>${this.#term(id)}</span>
      </div>`;
    }
    return html`<div part="header-cell" class="cell" role="columnheader" data-col=${id} aria-sort=${ariaSort}>
      <button part="sort-button" class="sort" type="button" tabindex=${tabbable ? 0 : -1} @click=${() => this.#toggleSort(id)}>
        <span class="sort-label">${this.#term(id)}</span>
        <span part="sort-indicator" class="sort-indicator" aria-hidden="true">${sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
      </button>
    </div>`;
  }

  /** `repeat()` sees only the rendered slice: its indexes are offsets from the range's first row. */
  readonly #itemKey = (item: RowItem, offset: number): unknown => (this.dataProvider ? this.#window.range.first + offset : rowKey(item as ApiKeyRow));

  readonly #renderRow = (item: RowItem, offset: number): TemplateResult => {
    const index = this.#window.range.first + offset;
    const columns = this.#visibleColumns;
    if (typeof item === 'number') {
      return html`<div part="row placeholder-row" class="row placeholder" role="row" aria-rowindex=${index + 2} data-row=${index}>
        ${columns.map(
          (id, i) =>
            html`<div part="cell" class="cell" role=${id === 'name' ? 'rowheader' : 'gridcell'} data-col=${id} tabindex=${this.#grid.isTabStop(index, id) ? 0 : -1}>
              ${i === 0 ? this.localize.term('common.loading') : nothing}
            </div>`,
        )}
      </div>`;
    }
    const selected = this.selectable && this.selected.includes(rowKey(item));
    const highlighted = this.#highlightKey !== null && rowKey(item) === this.#highlightKey;
    return html`<div
      part=${selected ? (highlighted ? 'row selected-row row-highlight' : 'row selected-row') : highlighted ? 'row row-highlight' : 'row'}
      class="row"
      role="row"
      aria-rowindex=${index + 2}
      aria-selected=${this.selectable ? String(selected) : nothing}
      data-row=${index}
      ?data-highlight=${highlighted}
    >
      ${columns.map(
        (id) =>
          html`<div part="cell cell-${id}" class="cell${id === 'actions' ? ' actions' : ''}" role=${id === 'name' ? 'rowheader' : 'gridcell'} data-col=${id} tabindex=${this.#grid.isTabStop(index, id) ? 0 : -1}>
            ${this.#renderValue(id, item)}
          </div>`,
      )}
    </div>`;
  };

  #renderValue(id: ColumnId, row: ApiKeyRow): TemplateResult | string {
    switch (id) {
      case 'name':
        return isBlank(row.name) ? html`<span class="truncate muted">${this.localize.term('common.unnamed', row.id)}</span>` : this.#nasText(row.name);
      case 'username':
        return row.username === null ? this.#none() : this.#nasText(row.username);
      case 'local':
        return row.local === null ? this.#none() : this.localize.term(row.local ? 'table.value.yes' : 'table.value.no');
      case 'status':
        return this.#renderStatus(row);
      case 'createdAt':
        return row.createdAt === null
          ? this.#none()
          : html`<time part="created" class="truncate" datetime=${new Date(row.createdAt).toISOString()} title=${this.#formatDate(row.createdAt, 'long')}
              ><bdi>${this.#formatDate(row.createdAt, 'short')}</bdi></time
            >`;
      case 'expiresAt': {
        if (row.expiresAt === null) return this.localize.term('common.never');
        const relative = this.localize.relativeTime(row.expiresAt, this.#effectiveNow);
        const absolute = this.#formatDate(row.expiresAt, 'long');
        return html`<time part="expires" class="truncate" datetime=${new Date(row.expiresAt).toISOString()} title=${absolute}
          ><bdi aria-hidden="true">${relative}</bdi><span class="sr-only">${this.localize.term('table.expires.full', relative, absolute)}</span></time
        >`;
      }
      case 'allowlist': {
        const text = allowlistText(row.allowlist, this.localize.term('table.allowlist.everything'));
        if (text === null) return this.#none();
        return html`<span class="truncate" title=${text || nothing}>${text || this.localize.term('table.allowlist.empty')}</span>`;
      }
      case 'access':
        return row.access ? this.#renderAccess(row.access) : this.#none();
      case 'lastUsed':
        return this.#renderLastUsed(row);
      case 'sessions': {
        const report = this.sessions;
        if (report?.status !== 'ok') return this.#none();
        const count = report.byKey.get(row.id)?.length ?? 0;
        return html`<span part="sessions-count" class=${count === 0 ? 'muted' : 'count'} aria-hidden="true">${this.localize.number(count)}</span
          ><span class="sr-only">${this.localize.term('table.sessions.count', count)}</span>`;
      }
      case 'host': {
        const host = row.hostName ?? row.hostId;
        return host === undefined ? this.#none() : this.#nasText(host);
      }
      case 'actions':
        return this.#kebab ? this.#renderMenuButton(row) : html`${this.actions.map((action) => this.#renderAction(action, row))}`;
    }
  }

  /**
   * Absolute dates in the element's language. Same output as `localize.date()`, but the formatter is
   * built once per language instead of once per cell (building one costs ~65 µs; a plain-rendered
   * table has thousands of date cells).
   */
  #formatDate(value: number, style: 'short' | 'long'): string {
    const lang = this.localize.lang();
    const id = `${lang}|${style}`;
    let format = this.#dateFormats.get(id);
    if (!format) {
      format = new Intl.DateTimeFormat(lang, style === 'long' ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'medium' });
      this.#dateFormats.set(id, format);
    }
    return format.format(value);
  }

  /** NAS text in a cell: isolated, hidden characters marked, cut with an ellipsis (the full text in its title). */
  #nasText(text: string): TemplateResult {
    return html`<span class="truncate" title=${displayText(text)}>${nasText(text)}</span>`;
  }

  #none(): TemplateResult {
    return html`<span class="muted" aria-hidden="true">${this.localize.term('table.value.missing')}</span><span class="sr-only">${this.localize.term('table.value.none')}</span>`;
  }

  #renderStatus(row: ApiKeyRow): TemplateResult {
    const status = keyStatus(row, this.#effectiveNow, this.expiringWithinDays);
    const reason = status === 'revoked' ? row.revokedReason : null;
    return html`<span part="status status-${status}" class="status ${status}">
      <span part="status-badge" class="badge">${this.localize.term(`common.status.${status}`)}</span>
      ${reason
        ? html`<span part="status-reason" class="truncate muted" title=${displayText(reason)}
            ><span aria-hidden="true">${nasText(reason)}</span><span class="sr-only">${this.localize.term('table.status.reason', isolate(reason))}</span></span
          >`
        : nothing}
    </span>`;
  }

  /** The compact blast radius; the roles (or why it is flagged) in the tooltip and for screen readers. */
  #renderAccess(access: KeyAccess): TemplateResult {
    const label = access.summary === 'custom' ? this.localize.term('table.access.custom', access.roles.length) : this.localize.term(`table.access.${access.summary}`);
    const roles = access.roles.join(', ');
    const wide = access.managesKeys ? this.localize.term('table.access.managesKeys') : '';
    const title = [roles, wide].filter(Boolean).join(' — ');
    return html`<span part=${`access access-${access.summary}${access.managesKeys ? ' access-wide' : ''}`} class="access truncate${access.managesKeys ? ' wide' : ''}" title=${title || nothing}
      >${access.managesKeys ? html`<span part="access-flag" class="flag" aria-hidden="true">!</span>` : nothing}<span aria-hidden=${title ? 'true' : nothing}>${label}</span
      >${title ? html`<span class="sr-only">${[label, roles && this.localize.term('table.access.roles', roles), wide].filter(Boolean).join('. ')}</span>` : nothing}</span
    >`;
  }

  #renderLastUsed(row: ApiKeyRow): TemplateResult {
    const usage = this.usage;
    if (usage?.status !== 'ok') return this.#none();
    const use = usage.lastUse.get(row.id);
    if (!use) {
      const days = usageWindowDays(usage, this.#effectiveNow);
      return html`<span part="last-used" class="truncate muted" title=${this.localize.term('table.lastUsed.notSeenWhy', days)}>${this.localize.term('table.lastUsed.notSeen', days)}</span>`;
    }
    const relative = this.localize.relativeTime(use.at, this.#effectiveNow);
    const absolute = this.#formatDate(use.at, 'long');
    const full = use.address ? this.localize.term('table.lastUsed.from', absolute, use.address) : absolute;
    return html`<span part="last-used" class="truncate" title=${full}
      ><time datetime=${new Date(use.at).toISOString()} aria-hidden="true"><bdi>${relative}</bdi></time>${use.address
        ? html`<span class="muted" aria-hidden="true"> · <bdi>${use.address}</bdi></span>`
        : nothing}<span class="sr-only">${relative} (${full})</span></span
    >`;
  }

  /** A row action's name; Reset reads differently on a revoked key. */
  #actionLabel(action: KeyAction, row: ApiKeyRow): string {
    return this.localize.term(action === 'reset' && row.revoked ? 'table.action.resetRevoked' : `table.action.${action}`);
  }

  #renderAction(action: KeyAction, row: ApiKeyRow): TemplateResult {
    const label = this.#actionLabel(action, row);
    return html`<button
      part="action-button action-${action}"
      class="action${action === 'delete' ? ' danger' : ''}"
      type="button"
      tabindex="-1"
      data-action=${action}
      title=${label}
    >
      <svg data-icon viewBox="0 0 16 16" aria-hidden="true">${ICONS[action]}</svg>
      <span class="sr-only">${this.localize.term('table.action.onKey', label, this.keyName(row))}</span>
    </button>`;
  }

  /** The narrow table's row actions: a menu button (ARIA menu button pattern, see RowMenuController). */
  #renderMenuButton(row: ApiKeyRow): TemplateResult {
    const open = this.#menu.row !== null && rowKey(this.#menu.row) === rowKey(row);
    return html`<button
      part="action-button row-menu-button"
      class="action"
      name="row-menu"
      type="button"
      tabindex="-1"
      aria-haspopup="menu"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="row-menu"
      title=${this.localize.term('table.column.actions')}
    >
      <svg data-icon viewBox="0 0 16 16" aria-hidden="true">${KEBAB}</svg>
      <span class="sr-only">${this.localize.term('table.menu.button', this.keyName(row))}</span>
    </button>`;
  }

  /** One menu for the whole table, filled with the actions of the row it is open for. */
  #renderRowMenu(): TemplateResult {
    const row = this.#menu.row;
    return html`<div
      part="row-menu"
      class="row-menu"
      id="row-menu"
      role="menu"
      popover="auto"
      aria-label=${row ? this.localize.term('table.menu.button', this.keyName(row)) : nothing}
      @keydown=${this.#menu.onKeydown}
      @toggle=${this.#menu.onToggle}
      @click=${this.#onMenuClick}
    >
      ${row
        ? this.actions.map((action) => {
            const label = this.#actionLabel(action, row);
            return html`<button part="row-menu-item row-menu-${action}" class="item${action === 'delete' ? ' danger' : ''}" role="menuitem" type="button" tabindex="-1" data-action=${action}>
              <svg data-icon viewBox="0 0 16 16" aria-hidden="true">${ICONS[action]}</svg><span>${label}</span>
            </button>`;
          })
        : nothing}
    </div>`;
  }

  #onMenuClick(event: MouseEvent): void {
    const item = (event.target as Element).closest<HTMLElement>('[data-action]');
    const row = this.#menu.row;
    if (!item || !row) return;
    // Focus goes back to the menu button first, so a dialog the action opens returns there.
    this.#menu.close(true);
    this.dispatchEvent(new NasKeyActionEvent({ action: item.dataset['action'] as KeyAction, key: row }));
  }

  /** The organizer's parts (`organizer-*`) are the table's too, as before it was an element of its own. */
  #renderOrganizer(): TemplateResult {
    return html`<nas-column-organizer
      exportparts=${ORGANIZER_PARTS.join(', ')}
      .columns=${this.#normalized}
      .available=${this.#normalized.map((c) => c.id).filter((id) => this.#available(id))}
      @nas-columns-change=${this.#onOrganizerChange}
    ></nas-column-organizer>`;
  }

  // ---- toolbar, sort, organizer -------------------------------------------------------------

  #emitFilter(): void {
    this.dispatchEvent(new NasFilterChangeEvent({ search: this.search, statusFilter: this.statusFilter }));
  }

  #onSearchInput(event: Event): void {
    this.search = (event.target as HTMLInputElement).value;
    this.#emitFilter();
  }

  #onStatusChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.statusFilter = (STATUSES as readonly string[]).includes(value) ? (value as KeyStatus) : null;
    this.#emitFilter();
  }

  async #clearFilters(): Promise<void> {
    this.search = '';
    this.statusFilter = null;
    this.#emitFilter();
    // The button disappears with the state; keep focus somewhere useful.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
  }

  #retry(): void {
    if (this.dataProvider && this.#paging.error) {
      if (this.#paging.total === null) this.#paging.restart();
      else this.#paging.refresh();
    }
    this.dispatchEvent(new NasRetryEvent());
  }

  #toggleSort(id: ColumnId): void {
    const field = COLUMN_SORT[id];
    if (!field) return;
    const current = this.sort ?? this.defaultSort;
    const direction = current?.field === field && current.direction === 'asc' ? 'desc' : 'asc';
    this.sort = { field, direction };
    this.announcement = this.localize.term('table.sort.announce', this.#term(id), direction === 'asc');
    this.dispatchEvent(new NasSortChangeEvent({ sort: { ...this.sort } }));
  }

  #openOrganizer(event: Event): void {
    void this.organizer?.show(event.currentTarget as HTMLElement);
  }

  /** The organizer's change becomes the table's own `nas-columns-change` (which the host may cancel). */
  #onOrganizerChange(event: NasColumnsChangeEvent): void {
    event.stopPropagation();
    this.#commitColumns(normalizeColumns(event.detail.columns));
  }

  #commitColumns(columns: ColumnSetting[]): void {
    this.columns = this.#ownColumns = columns;
    const event = new NasColumnsChangeEvent({ columns: columns.map((c) => ({ ...c })) });
    this.dispatchEvent(event);
    if (this.columnsKey && !this.#hostColumns && !event.defaultPrevented) saveColumns(this.columnsKey, columns);
  }

  // ---- grid events --------------------------------------------------------------------------

  #onGridClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const button = target.closest<HTMLButtonElement>('button[data-action]');
    const rowEl = target.closest<HTMLElement>('.body [data-row]');
    if (!rowEl) return;
    const row = this.#rowAt(Number(rowEl.dataset['row']));
    if (!row) return;
    const menuButton = target.closest<HTMLButtonElement>('button[name="row-menu"]');
    if (menuButton) {
      if (this.#menu.row !== null && this.#menu.trigger === menuButton) this.#menu.close(true);
      else void this.#menu.open(menuButton, row, 'first');
    } else if (button) {
      this.dispatchEvent(new NasKeyActionEvent({ action: button.dataset['action'] as KeyAction, key: row }));
    } else if (this.selectable) {
      this.#toggleSelected(row);
    }
  }

  #toggleSelected(row: ApiKeyRow): void {
    const key = rowKey(row);
    const selected = this.selected.includes(key) ? this.selected.filter((k) => k !== key) : [...this.selected, key];
    this.selected = selected;
    this.dispatchEvent(new NasSelectionChangeEvent({ selected: [...selected] }));
  }

  /** The grid's keys go to the focus controller, but for opening a narrow row's menu from its button. */
  #onKeydown(event: KeyboardEvent): void {
    const target = event.composedPath()[0];
    const button = target instanceof Element ? target.closest<HTMLButtonElement>('button[name="row-menu"]') : null;
    if (button && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      event.stopPropagation();
      const row = this.#rowAt(Number(button.closest<HTMLElement>('[data-row]')?.dataset['row']));
      if (row) void this.#menu.open(button, row, event.key === 'ArrowDown' ? 'first' : 'last');
      return;
    }
    this.#grid.onKeydown(event);
  }
}

/**
 * A bad input value for a warning: short, and for `keys` only its type (a host that passes the
 * wrong object could be passing a key with its secret, which must never reach the console).
 */
function describe(value: unknown, typeOnly: boolean): string {
  if (typeOnly && value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** How many days back the usage report reaches: the audit retention, or less when the answer was cut. */
export function usageWindowDays(usage: Extract<KeyUsageReport, { status: 'ok' }>, now: number): number {
  if (usage.complete && usage.retentionKnown) return usage.retentionDays;
  return Math.max(1, Math.floor((now - usage.since) / DAY_MS));
}

/** The rows' tracks and minimum width as the grid's inline custom properties. */
function fitStyle(fit: Fit): string {
  return `--_columns:${fit.tracks};--_min-width:${fit.minPx}px`;
}

function sameQuery(a: ViewQuery, b: ViewQuery): boolean {
  const timeMatters = a.status !== null || a.sort?.field === 'status';
  return (
    a.sort?.field === b.sort?.field &&
    a.sort?.direction === b.sort?.direction &&
    a.search === b.search &&
    a.status === b.status &&
    a.soonDays === b.soonDays &&
    a.lang === b.lang &&
    (!timeMatters || a.now === b.now)
  );
}
