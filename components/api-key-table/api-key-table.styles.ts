import { css } from 'lit';

/**
 * Styles of `<api-key-table>`, in the `nas-component` cascade layer (internal/layer.ts) with the
 * shared sheets. Colours come from the shared `--nas-*` tokens (controls.styles.ts);
 * sizes from `--nas-table-*`. Only logical properties, so `dir="rtl"` mirrors the layout.
 */
export default css`
  :host {
    display: block;
    --_row-height: var(--nas-table-row-height, 2.75rem);
    --_body-height: var(--nas-table-body-height, 26rem);
    --_header-surface: var(--nas-table-header-surface, var(--_subtle));
    --_row-hover: var(--nas-table-row-hover, light-dark(#f2f6fb, #262b31));
    --_row-selected: var(--nas-table-row-selected, light-dark(#dcebfb, #1d3550));
    --_row-highlight: var(--nas-table-row-highlight, light-dark(#fff4ce, #3d3300));
    --_warning: var(--nas-color-warning, light-dark(#7a5300, #ffd479)); /* The Expiring soon badge */
    line-height: 1.4;
  }

  /* A surface of its own, so the toolbar stays readable whatever the page behind it. */
  .base {
    background: var(--_surface);
    color: var(--_text);
  }

  :host([hidden]) {
    display: none;
  }

  * {
    box-sizing: border-box;
  }

  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: calc(var(--_space) / 2);
    min-block-size: 2.25rem;
    padding-block: 0;
    padding-inline: calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }

  button:hover:not(:disabled) {
    background: var(--_subtle);
  }

  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }

  input,
  select {
    min-block-size: 2.25rem;
    padding-block: calc(var(--_space) / 2);
    padding-inline: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  input[type='checkbox'] {
    min-block-size: 0;
    inline-size: 1.1rem;
    block-size: 1.1rem;
    margin: 0;
    accent-color: var(--_accent);
  }

  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* The container for the narrow-toolbar query; min-inline-size 0 so no content can widen it. */
  .base {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    min-inline-size: 0;
    container: nas-table / inline-size;
  }

  /* Toolbar */
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }

  .search input {
    inline-size: min(18rem, 100%);
  }

  .filter {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
  }

  .filter select {
    min-inline-size: 0;
    max-inline-size: 100%;
  }

  /* "10 keys" keeps its own direction in a mirrored layout (English text in a right-to-left page). */
  .summary {
    color: var(--_muted);
    margin-inline-start: auto;
    unicode-bidi: plaintext;
  }

  /* Narrow: the search gets a line of its own, the filter shrinks with its select. */
  @container nas-table (max-width: 30rem) {
    .search,
    .search input {
      flex: 1 1 100%;
      inline-size: 100%;
    }

    .filter {
      min-inline-size: 0;
      max-inline-size: 100%;
    }
  }

  /* Grid */
  .grid {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow: hidden;
  }

  .header {
    overflow: hidden;
    scrollbar-gutter: stable;
    background: var(--_header-surface);
    border-block-end: 1px solid var(--_border);
    font-weight: 600;
  }

  .body {
    max-block-size: var(--_body-height);
    overflow: auto;
    scrollbar-gutter: stable;
    outline: none;
  }

  .body.virtual {
    block-size: var(--_body-height);
  }

  /* The spacer: as tall as all rows, with the rendered ones pushed down to where they belong. */
  .rows {
    block-size: calc(var(--_rows) * var(--_row-height));
    padding-block-start: calc(var(--_first) * var(--_row-height));
  }

  .row {
    display: grid;
    grid-template-columns: var(--_columns);
    inline-size: max(100%, var(--_min-width));
    min-block-size: var(--_row-height);
    align-items: stretch;
  }

  .body .row {
    block-size: var(--_row-height);
    border-block-end: 1px solid var(--_subtle);
  }

  /* Plain (non-virtualized) rendering: the browser skips style and layout of rows out of view. */
  .body:not(.virtual) .row {
    content-visibility: auto;
    contain-intrinsic-size: auto var(--_row-height);
  }

  .body .row:hover {
    background: var(--_row-hover);
  }

  .body .row[aria-selected='true'] {
    background: var(--_row-selected);
  }

  /* highlight(): a changed or new row, for a few seconds. */
  .body .row[data-highlight] {
    background: var(--_row-highlight);
    box-shadow: inset 0 0 0 2px var(--_accent);
  }

  .cell {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
    min-inline-size: 0;
    padding-inline: var(--_space);
    overflow: hidden;
    white-space: nowrap;
  }

  .cell:focus-visible,
  .header .sort:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }

  /* Cut text keeps its own direction: an English name in a right-to-left page loses its end, not its start. */
  .truncate {
    overflow: hidden;
    text-overflow: ellipsis;
    unicode-bidi: plaintext;
  }

  .muted {
    color: var(--_muted);
  }

  .header .cell {
    padding-inline: 0;
  }

  .header .label {
    padding-inline: var(--_space);
    white-space: nowrap;
  }

  .sort {
    inline-size: 100%;
    block-size: 100%;
    justify-content: flex-start;
    border: 0;
    border-radius: 0;
    background: transparent;
    font-weight: inherit;
    padding-inline: var(--_space);
  }

  /* ▲/▼ on the sorted column only; the others keep the space so a sort does not shift labels. */
  .sort-indicator {
    flex: none;
    inline-size: 1em;
    font-size: 0.75em;
  }

  /* Last use and access take a second line (a row has room for two) rather than be cut. */
  [part~='last-used'],
  .access {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    white-space: normal;
    overflow-wrap: anywhere;
    line-height: 1.25;
  }

  /* Access: a key that may manage every user's keys is marked (shape and colour, not colour alone). */
  .access.wide {
    color: var(--_danger);
    font-weight: 600;
  }

  .access .flag {
    display: inline-grid;
    place-items: center;
    inline-size: 1.2em;
    block-size: 1.2em;
    margin-inline-end: 0.3em;
    border: 1px solid currentColor;
    border-radius: 2px;
    font-size: 0.8em;
    line-height: 1;
  }

  .note {
    margin: 0;
    padding: calc(var(--_space) / 2) var(--_space);
    border-inline-start: 3px solid var(--_warning);
    color: var(--_muted);
    font-size: 0.9em;
  }

  /* Status */
  /* A revoked key's reason sits beside its badge, or below it when the cell is narrow. */
  .status {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    column-gap: calc(var(--_space) / 2);
    min-inline-size: 0;
  }

  .status > [part~='status-reason'] {
    flex: 1 1 5em;
    font-size: 0.85em;
    line-height: 1.25;
  }

  .badge {
    flex: none;
    padding-inline: calc(var(--_space) * 0.75);
    border: 1px solid currentColor;
    border-radius: 999px;
    font-size: 0.85em;
    line-height: 1.5;
  }

  .status.active .badge {
    color: var(--_success);
  }

  .status.expiring .badge {
    color: var(--_warning);
  }

  .status.expired .badge,
  .status.revoked .badge {
    color: var(--_danger);
  }

  /* Actions */
  .actions {
    gap: calc(var(--_space) / 2);
    justify-content: flex-end;
  }

  .action {
    inline-size: 2rem;
    min-block-size: 2rem;
    block-size: 2rem;
    padding: 0;
    flex: none;
  }

  .action.danger {
    color: var(--_danger);
  }

  .action svg,
  .row-menu svg,
  .icon {
    inline-size: 1rem;
    block-size: 1rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.6;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  .action .dots {
    stroke-width: 2.6;
  }

  /* The row-actions menu (a popover in the top layer), placed by RowMenuController. */
  .row-menu {
    position: fixed;
    inset: auto;
    margin: 0;
    min-inline-size: 10rem;
    padding: calc(var(--_space) / 2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_raised);
    color: var(--_text);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.25);
  }

  .row-menu:popover-open {
    display: grid;
  }

  .row-menu .item {
    justify-content: flex-start;
    gap: var(--_space);
    border: 0;
    background: transparent;
    text-align: start;
    white-space: nowrap;
  }

  .row-menu .item:hover,
  .row-menu .item:focus-visible {
    background: var(--_subtle);
  }

  .row-menu .item.danger {
    color: var(--_danger);
  }


  .placeholder .cell {
    color: var(--_muted);
  }

  /* States */
  .message {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 3) var(--_space);
    color: var(--_muted);
    text-align: center;
  }

  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space);
    border: 1px solid var(--_error);
    border-radius: var(--_radius);
    color: var(--_error);
  }

  .error .text {
    flex: 1 1 12rem;
  }
`;
