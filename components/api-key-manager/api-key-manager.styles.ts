import { css } from 'lit';

export default css`
  :host {
    display: block;
  }

  .manager {
    display: grid;
    /* A track may shrink below its content's width: nothing here forces a minimum. */
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_space) * 1.5);
  }

  /* Wraps instead of overflowing: title and state on one line, the actions on the next when narrow. */
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space) calc(var(--_space) * 1.5);
  }

  .title {
    margin: 0;
    font-size: 1.25em;
    overflow-wrap: anywhere;
  }

  .toolbar-actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space) calc(var(--_space) * 1.5);
    margin-inline-start: auto;
  }

  .connection {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
    color: var(--_muted);
    font-size: 0.875em;
  }

  .connection .dot {
    inline-size: 0.6em;
    block-size: 0.6em;
    border-radius: 50%;
    border: 1px solid currentColor;
  }

  .connection[data-connection-state='signed-in'] .dot {
    background: var(--_success);
    border-color: var(--_success);
  }

  .connection[data-connection-state='offline'] {
    color: var(--_error);
  }

  .connection[data-connection-state='offline'] .dot {
    background: currentColor;
  }

  .empty {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
  }

  a {
    color: var(--_accent);
  }

  /* Toasts float over the page's corner: they never push the table down. */
  .notices {
    position: fixed;
    inset-block-end: calc(var(--_space) * 2);
    inset-inline-end: calc(var(--_space) * 2);
    z-index: 10;
    inline-size: min(26rem, calc(100vw - var(--_space) * 4));
  }

  .notices ul {
    display: grid;
    gap: calc(var(--_space) / 2);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .notice {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    background: var(--_raised);
    box-shadow: 0 6px 18px rgb(0 0 0 / 0.2);
  }

  /*
   * The text (it may hold a long NAS name) wraps anywhere; Dismiss stays whole. It keeps its own
   * direction, so an English sentence in a mirrored page ends with its full stop, not starts.
   */
  .notice > span {
    min-inline-size: 0;
    overflow-wrap: anywhere;
    unicode-bidi: plaintext;
  }

  .notice > button {
    flex: none;
  }

  .notice.success {
    color: var(--_success);
  }

  .notice.error {
    color: var(--_error);
  }

  .form-dialog,
  .scoped-dialog,
  .details-dialog {
    inline-size: min(var(--nas-dialog-width, 38rem), calc(100vw - 2rem));
  }

  /* "Edit API key "<name>"": the name comes from the NAS, a long one wraps anywhere. */
  .form-dialog .dialog-title {
    overflow-wrap: anywhere;
  }

  .details {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: calc(var(--_space) / 2) calc(var(--_space) * 2);
    margin: 0;
  }

  .details dt {
    font-weight: 600;
  }

  .details dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .details .wide {
    color: var(--_danger, var(--_error));
  }

  .details .sessions {
    margin: 0;
    padding-inline-start: 1.2em;
  }

  @container (max-width: 24rem) {
    .details {
      grid-template-columns: minmax(0, 1fr);
    }
  }

  [hidden] {
    display: none;
  }
`;
