import { css } from 'lit';

/** Layout shared by the extension's pages (popup and options), on top of the components' tokens. */
export const pageStyles = css`
  :host {
    display: block;
    background: var(--_surface);
  }

  h1,
  h2,
  h3 {
    margin: 0;
  }

  /* The type scale of controls.styles.ts: title, large, base. Balanced lines keep a quoted key
     name whole on the next line rather than split at its hyphen. */
  h1,
  h2,
  h3 {
    line-height: 1.25;
    text-wrap: balance;
  }

  h1 {
    font-size: var(--_size-title);
  }

  h2 {
    font-size: var(--_size-large);
  }

  h3 {
    font-size: 1em;
    font-weight: var(--_weight-strong);
  }

  p {
    margin: 0;
  }

  /*
   * Sentences keep the direction of their own text: English shown in a right-to-left page (no
   * translation for its language yet) ends with its full stop, quote or ellipsis, not starts with it.
   */
  p,
  h1,
  h2,
  h3,
  li,
  label,
  legend,
  button,
  .hint {
    unicode-bidi: plaintext;
  }

  /* Names and other NAS text can be any length: long text wraps anywhere, or is cut with an ellipsis. */
  h1,
  h2,
  h3,
  p,
  li {
    overflow-wrap: anywhere;
  }

  .truncate {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    max-inline-size: 100%;
  }

  .stack {
    display: grid;
    gap: var(--_space);
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }

  .spacer {
    flex: 1;
  }

  .card {
    display: grid;
    gap: var(--_space);
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_raised);
    box-shadow: var(--_shadow);
  }

  label.field {
    display: grid;
    gap: calc(var(--_space) / 2);
  }

  fieldset {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  label.check {
    display: flex;
    align-items: center;
    gap: var(--_space);
  }

  .ok {
    color: var(--_success);
  }

  .status {
    padding: var(--_space);
    border-radius: var(--_radius);
    background: var(--_subtle);
  }

  .muted {
    color: var(--_muted);
  }

  progress {
    inline-size: 100%;
  }

  /* A small count or state label next to a heading or in a row. */
  .badge {
    display: inline-flex;
    align-items: center;
    gap: var(--_space-1);
    padding: 0 var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: var(--_size-small);
    white-space: nowrap;
  }

  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_space);
  }
`;
