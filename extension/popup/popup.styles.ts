import { css } from 'lit';

export const popupStyles = css`
  .pad {
    padding: calc(var(--_space) * 1.5) calc(var(--_space) * 2);
  }

  .narrow {
    max-inline-size: 28rem;
  }

  .bar {
    padding: var(--_space) calc(var(--_space) * 2);
    border-block-end: 1px solid var(--_border);
    background: var(--_subtle);
  }

  .brand h1 {
    font-size: 1.05em;
  }

  .tabs {
    display: flex;
    gap: 2px;
  }

  .tabs button[aria-selected='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }

  input.days {
    inline-size: 5rem;
  }

  .done ul {
    margin: 0;
    padding-inline-start: 1.25rem;
  }

  api-key-table {
    --nas-table-height: 340px;
  }
`;
