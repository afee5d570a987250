import { css } from 'lit';

export default css`
  :host {
    display: block;
  }

  .manager {
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }

  /* The live region stays in the page (so announcements work) but takes no room when empty. */
  .manager > .notices:not(:has(li)) {
    margin-block-end: calc(var(--_space) * -1.5);
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }

  .title {
    margin: 0;
    font-size: 1.25em;
  }

  .toolbar-actions {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) * 1.5);
  }

  a {
    color: var(--_accent);
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
    padding: calc(var(--_space) / 2) var(--_space);
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow-wrap: anywhere;
  }

  .notice.success {
    color: var(--_success);
  }

  .notice.error {
    color: var(--_error);
  }

  .form-dialog {
    inline-size: min(var(--nas-dialog-width, 38rem), calc(100vw - 2rem));
  }

  /* "Edit API key "<name>"": the name comes from the NAS, a long one wraps anywhere. */
  .form-dialog .dialog-title {
    overflow-wrap: anywhere;
  }

  [hidden] {
    display: none;
  }
`;
