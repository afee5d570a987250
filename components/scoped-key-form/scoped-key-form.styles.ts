import { css } from 'lit';

export default css`
  :host {
    display: block;
  }

  /* No track or fieldset forces a minimum width (fieldsets default to min-content). */
  form,
  .review {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_space) * 1.5);
  }

  fieldset,
  input {
    min-inline-size: 0;
  }

  fieldset {
    display: grid;
    gap: var(--_space);
    margin: 0;
    padding: var(--_space) calc(var(--_space) * 1.5) calc(var(--_space) * 1.5);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  legend,
  .field > label,
  .option-name {
    font-weight: 600;
  }

  p {
    margin: 0;
  }

  .field {
    display: grid;
    gap: calc(var(--_space) / 2);
  }

  .option,
  .choice {
    display: flex;
    align-items: start;
    gap: var(--_space);
    cursor: pointer;
  }

  .option input,
  .choice input {
    margin-block-start: 0.2em;
  }

  .option-text {
    display: grid;
  }

  .role-list {
    display: grid;
    gap: calc(var(--_space) / 2);
    max-block-size: 14rem;
    margin: 0;
    padding: 0;
    overflow: auto;
    list-style: none;
  }

  .role-list li {
    display: grid;
  }

  .role-list .hint {
    padding-inline-start: 1.8em;
    overflow-wrap: anywhere;
  }

  [part~='role-refused'] .choice {
    cursor: not-allowed;
  }

  .hint.refused {
    color: var(--_error);
  }

  code {
    font-family: ui-monospace, monospace;
    overflow-wrap: anywhere;
  }

  .date input {
    inline-size: auto;
  }

  h3 {
    margin: 0;
    font-size: 1.05em;
  }

  .steps {
    display: grid;
    gap: calc(var(--_space) / 2);
    margin: 0;
    padding-inline-start: 1.5em;
    overflow-wrap: anywhere;
  }

  .alert {
    display: grid;
    gap: calc(var(--_space) / 2);
  }

  .footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space);
  }
`;
