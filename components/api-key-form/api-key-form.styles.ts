import { css } from 'lit';

export default css`
  :host {
    display: block;
  }

  /* No track or fieldset forces a minimum width (fieldsets default to min-content). */
  form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_space) * 2);
  }

  fieldset,
  input,
  select {
    min-inline-size: 0;
  }

  .field {
    display: grid;
    gap: calc(var(--_space) / 2);
  }

  label,
  legend,
  .label {
    font-weight: 600;
  }

  /* The owner of a key being edited: text, not a field. */
  .fixed {
    overflow-wrap: anywhere;
  }

  .choice {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    font-weight: normal;
    cursor: pointer;
  }

  fieldset {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .presets {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }

  .combo {
    position: relative;
  }

  .combo input {
    inline-size: 100%;
    padding-inline-end: 2.25rem;
  }

  /* The dropdown arrow sits inside the field's end, like a native select's. */
  .combo .toggle {
    position: absolute;
    inset-block: 1px;
    inset-inline-end: 1px;
    min-height: 0;
    padding: 0 calc(var(--_space) * 0.75);
    border: 0;
    background: transparent;
  }

  .combo .toggle[aria-expanded='true'] svg {
    rotate: 180deg;
  }

  [role='listbox'] {
    position: absolute;
    inset-inline: 0;
    z-index: 1;
    max-block-size: 15rem;
    overflow: auto;
    margin: 2px 0 0;
    padding: calc(var(--_space) / 2) 0;
    list-style: none;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_raised);
    box-shadow: 0 6px 18px rgb(0 0 0 / 0.2);
  }

  [role='listbox'][hidden] {
    display: none;
  }

  [role='option'] {
    display: flex;
    justify-content: space-between;
    gap: var(--_space);
    padding: calc(var(--_space) / 2) var(--_space);
    cursor: pointer;
  }

  [role='option'].active,
  [role='option']:hover {
    background: var(--_subtle);
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }

  .entries {
    display: grid;
    grid-template-columns: max-content 1fr max-content;
    gap: calc(var(--_space) / 2) var(--_space);
    align-items: center;
  }

  .column {
    font-size: 0.875em;
    font-weight: 600;
    color: var(--_muted);
  }

  .row-error {
    grid-column: 1 / -1;
  }

  button.icon {
    padding: 0 var(--_space);
  }

  .add {
    justify-self: start;
  }

  .footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space);
  }

  ul {
    margin: 0;
    padding-inline-start: 1.25rem;
  }

  p {
    margin: 0;
  }
`;
