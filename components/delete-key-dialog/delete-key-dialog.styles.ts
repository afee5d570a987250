import { css } from 'lit';

export default css`
  :host {
    display: contents;
  }

  .confirm {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    justify-self: start;
    cursor: pointer;
  }

  .end-sessions .choice {
    display: inline-flex;
    align-items: center;
    gap: var(--_space);
    cursor: pointer;
  }

  .end-sessions .hint {
    margin: 0.25rem 0 0;
  }

  .name {
    font-weight: 600;
  }

  /* Key names, owners and host names come from the NAS: a long one wraps anywhere. */
  #message p {
    overflow-wrap: anywhere;
  }
`;
