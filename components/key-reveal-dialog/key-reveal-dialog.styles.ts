import { css } from 'lit';

export default css`
  :host {
    display: contents;
  }

  .key-name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  .field {
    display: grid;
    gap: calc(var(--_space) / 2);
  }

  label {
    font-weight: 600;
  }

  textarea {
    inline-size: 100%;
    resize: none;
    field-sizing: content;
    font-family: var(--nas-font-family-mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace); /* Font of the key */
    font-size: 0.875em;
    word-break: break-all;
    background: var(--_subtle);
  }

  select {
    justify-self: start;
  }

  .actions {
    justify-content: flex-start;
  }

  /* In a window too short for the dialog (German at 360 x 600) Close stays at the bottom while
     the rest scrolls; Copy has focus on open, which scrolls it into view: both on screen together. */
  .closing {
    position: sticky;
    inset-block-end: calc(var(--_space) * -2.5);
    margin-block-end: calc(var(--_space) * -2.5);
    padding-block: var(--_space) calc(var(--_space) * 2.5);
    background: var(--_raised);
  }

  .status:empty {
    margin: 0;
  }

  .status.success {
    color: var(--_success);
  }

  .status.error {
    color: var(--_error);
  }

  .confirm {
    display: grid;
    gap: calc(var(--_space) * 1.5);
  }
`;
