import { css } from 'lit';

/** Styles of `<nas-column-organizer>`, in the `nas-component` layer; colours from the shared tokens. */
export default css`
  :host {
    display: contents;
  }

  * {
    box-sizing: border-box;
  }

  .dialog {
    inline-size: min(24rem, calc(100vw - 2rem));
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_raised);
    color: var(--_text);
  }

  .dialog::backdrop {
    background: var(--_backdrop);
  }

  .body {
    display: grid;
    gap: var(--_space);
    padding: calc(var(--_space) * 2);
  }

  h2 {
    margin: 0;
    font-size: 1.1em;
  }

  ul {
    display: grid;
    gap: calc(var(--_space) / 2);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  li {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
  }

  label {
    display: inline-flex;
    flex: 1;
    align-items: center;
    gap: var(--_space);
    min-inline-size: 0;
  }

  button {
    padding-inline: calc(var(--_space) * 1.5);
  }

  .move {
    inline-size: 2.25rem;
    padding: 0;
  }

  /* Icons take the shared svg.icon rule from controls. */

  .footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space);
  }
`;
