import { css } from 'lit';

/** The full view's own layout; tokens, controls and page styles come first. */
export const managerStyles = css`
  :host {
    box-sizing: border-box;
    max-inline-size: 90rem;
    margin-inline: auto;
  }

  main,
  .bar {
    padding: calc(var(--_space) * 1.5) calc(var(--_space) * 2);
  }

  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
    border-block-end: 1px solid var(--_border);
    background: var(--_subtle);
  }

  .brand h1 {
    font-size: 1.1em;
  }

  .narrow {
    max-inline-size: 28rem;
  }

  /* Long addresses wrap instead of widening the page. */
  .address {
    overflow-wrap: anywhere;
    min-inline-size: 0;
  }

  select[name='host'] {
    max-inline-size: 100%;
  }

  .host-bar > label {
    min-inline-size: 0;
    max-inline-size: 100%;
  }

  .connection {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
  }

  .connection .dot {
    inline-size: 0.6rem;
    block-size: 0.6rem;
    border-radius: 50%;
    background: var(--_muted);
  }

  [data-connection-state='signed-in'] .dot {
    background: var(--_success);
  }

  [data-connection-state='offline'] .dot {
    background: var(--_error);
  }

  [data-connection-state='reconnecting'] .dot,
  [data-connection-state='connecting'] .dot {
    background: var(--_accent);
  }

  api-key-manager {
    min-inline-size: 0;
    /* The table fills the window below the page's header and toolbars (the property the table reads). */
    --nas-table-body-height: max(14rem, calc(100dvh - 21rem));
  }
`;
