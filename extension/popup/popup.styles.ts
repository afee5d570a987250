import { css } from 'lit';

/** The popup's layout: a column of header, scrolling content and footer, never wider than its window. */
export const popupStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    block-size: 600px;
    max-inline-size: 100%;
  }

  .pad {
    padding: var(--_space-3) var(--_space-4);
  }

  /* Grid tracks no wider than the popup: a long name or label shrinks or wraps, never pushes. */
  header.stack,
  main.stack {
    grid-template-columns: minmax(0, 1fr);
  }

  .scroll {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    align-content: start;
  }

  .bar {
    padding: var(--_space-2) var(--_space-4);
    background: var(--_subtle);
  }

  header.bar {
    border-block-end: 1px solid var(--_border);
    padding-block-end: 0;
  }

  footer.bar {
    border-block-start: 1px solid var(--_border);
  }

  /* A quiet button has no box until hovered: less side padding, so both actions fit one row at 360 px in German. */
  footer.bar .quiet {
    padding-inline: var(--_space-2);
  }

  .nowrap {
    flex-wrap: nowrap;
  }

  header button {
    flex: none;
    white-space: nowrap;
  }

  .brand {
    flex-wrap: nowrap;
    min-inline-size: 0;
  }

  /* The name wraps onto two lines rather than being cut when the header is tight (360 px, German). */
  .brand h1 {
    min-inline-size: 0;
    font-size: var(--_size-large);
    line-height: 1.15;
    overflow-wrap: anywhere;
  }

  .host-row {
    display: flex;
    align-items: center;
    gap: var(--_space-2);
    min-inline-size: 0;
  }

  .host-row select {
    flex: 1 1 auto;
    min-inline-size: 0;
    max-inline-size: 60%;
  }

  .connection {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-1);
    min-inline-size: 0;
    font-size: var(--_size-small);
    color: var(--_muted);
  }

  .connection .dot {
    flex: none;
    inline-size: 0.6rem;
    block-size: 0.6rem;
    border-radius: 50%;
    border: 1px solid currentColor;
  }

  [data-connection-state='signed-in'] .dot {
    background: var(--_success);
    border-color: var(--_success);
  }

  [data-connection-state='offline'] .dot {
    background: var(--_error);
    border-color: var(--_error);
  }

  .small {
    font-size: var(--_size-small);
  }

  .done ul {
    margin: 0;
    padding-inline-start: 1.25rem;
  }

  /* The footer buttons share the row; long German labels wrap inside their button. */
  footer button {
    min-inline-size: 0;
    white-space: normal;
  }
`;
