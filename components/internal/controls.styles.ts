import { css } from 'lit';

/**
 * Design tokens and native-control styles shared by the components. Every colour comes from a
 * `--nas-*` custom property with a light and a dark default (`light-dark()`), picked by the
 * `color-scheme` the element inherits from the page: a page that sets none renders light (as the
 * browser renders the page itself), `color-scheme: light dark` follows the user's
 * `prefers-color-scheme`, `dark` or `light` forces one; on <html>, a wrapper or the element.
 * Private `--_*` aliases resolve the public token once per component.
 */
export const tokens = css`
  :host {
    --_font: var(--nas-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif); /* Font of all text */
    --_size: var(--nas-font-size, 0.9375rem); /* Base font size */
    --_text: var(--nas-color-text, light-dark(#1b1f24, #e6e8eb)); /* Text */
    --_muted: var(--nas-color-text-muted, light-dark(#4f5863, #aab2bb)); /* Hints and secondary text */
    --_surface: var(--nas-color-surface, light-dark(#ffffff, #1b1e22)); /* Fields, buttons, the table */
    --_raised: var(--nas-color-surface-raised, light-dark(#ffffff, #24282d)); /* Dialogs, menus, popovers */
    --_subtle: var(--nas-color-surface-subtle, light-dark(#f2f4f6, #2c3137)); /* Hover, the key field, the table header */
    --_border: var(--nas-color-border, light-dark(#7c858f, #7a838d)); /* Borders */
    --_accent: var(--nas-color-accent, light-dark(#0b5cad, #7db8ff)); /* Primary buttons, links, checkboxes */
    --_on-accent: var(--nas-color-on-accent, light-dark(#ffffff, #0b1220)); /* Text on the accent colour */
    --_danger: var(--nas-color-danger, light-dark(#b3261e, #ff9a90)); /* Delete and discard buttons, Expired and Revoked badges */
    --_on-danger: var(--nas-color-on-danger, light-dark(#ffffff, #1b0b0a)); /* Text on the danger colour */
    --_success: var(--nas-color-success, light-dark(#1d6b34, #86dc9b)); /* Success messages, the Active badge */
    --_warning-surface: var(--nas-color-warning-surface, light-dark(#fff4ce, #3d3300)); /* Background of the "shown only once" warning */
    --_warning-text: var(--nas-color-warning-text, light-dark(#4d3800, #ffe28f)); /* Text of that warning */
    --_error: var(--nas-color-error, light-dark(#a8231b, #ffa39b)); /* Errors and invalid fields */
    --_focus: var(--nas-color-focus, light-dark(#0b5cad, #9ccaff)); /* Focus ring */
    --_radius: var(--nas-radius, 6px); /* Corner radius */
    --_space: var(--nas-space, 0.5rem); /* Spacing unit (every gap is ½, 1, 1½, 2 or 3 units) */
    --_backdrop: var(--nas-backdrop, rgb(0 0 0 / 0.45)); /* Dialog backdrop */
    /* Visual language (issue 10): one spacing and type scale, control height, subtle accent, shadows. */
    --_space-1: calc(var(--_space) / 2);
    --_space-2: var(--_space);
    --_space-3: calc(var(--_space) * 1.5);
    --_space-4: calc(var(--_space) * 2);
    --_space-6: calc(var(--_space) * 3);
    --_size-small: var(--nas-font-size-small, 0.8125rem); /* Hints and badges */
    --_size-large: var(--nas-font-size-large, 1.0625rem); /* Section headings */
    --_size-title: var(--nas-font-size-title, 1.25rem); /* Dialog titles */
    --_line: var(--nas-line-height, 1.45); /* Running text */
    --_weight-strong: var(--nas-font-weight-strong, 600); /* Headings, the selected tab */
    --_control: var(--nas-control-height, 2.25rem); /* Buttons, fields, tabs */
    --_icon: var(--nas-icon-size, 1.125em); /* The inline SVG icons */
    --_accent-subtle: var(--nas-color-accent-subtle, light-dark(#e3eefa, #1d3350)); /* Selected and highlighted backgrounds (text stays --nas-color-text) */
    --_shadow: var(--nas-shadow, 0 1px 2px rgb(0 0 0 / 0.12)); /* Cards */
    --_shadow-raised: var(--nas-shadow-raised, 0 12px 40px rgb(0 0 0 / 0.3)); /* Dialogs and menus */
    font-family: var(--_font);
    font-size: var(--_size);
    color: var(--_text);
  }

  /* More contrast on request: borders and hints as strong as text, a thicker focus ring. */
  @media (prefers-contrast: more) {
    :host {
      --_muted: var(--nas-color-text-muted, light-dark(#2b3139, #d5dade));
      --_border: var(--nas-color-border, light-dark(#1b1f24, #e6e8eb));
      --_accent-subtle: var(--nas-color-accent-subtle, light-dark(#cfe0f5, #233f66));
    }
  }

  /* A marker for a hidden character in NAS text (internal/nas-text.ts). */
  .ctl {
    color: var(--_muted);
    background: var(--_subtle);
  }
`;

export const controls = css`
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: calc(var(--_space) / 2);
    min-height: var(--_control);
    padding: 0 var(--_space-4);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }

  /* :where() keeps the specificity of a plain button:hover, so component styles still win. */
  button:hover:where(:not(:disabled)) {
    background: var(--_subtle);
  }

  button:active:where(:not(:disabled)) {
    background: color-mix(in srgb, var(--_subtle), var(--_text) 8%);
  }

  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }

  button.primary:hover:not(:disabled),
  button.primary:active:not(:disabled) {
    background: color-mix(in srgb, var(--_accent), var(--_text) 15%);
  }

  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_on-danger);
  }

  button.danger:hover:not(:disabled),
  button.danger:active:not(:disabled) {
    background: color-mix(in srgb, var(--_danger), var(--_text) 15%);
  }

  /* A toolbar or menu button: no box until hovered, still a button (focus ring, hover, pressed). */
  button.quiet {
    border-color: transparent;
    background: transparent;
  }

  /* An icon-only button is square; its accessible name is its aria-label (and title). */
  button.icon-only {
    inline-size: var(--_control);
    padding: 0;
  }

  svg.icon {
    flex: none;
    inline-size: var(--_icon);
    block-size: var(--_icon);
    fill: none;
    stroke: currentColor;
    stroke-width: 1.6;
    stroke-linecap: round;
    stroke-linejoin: round;
  }

  svg.icon[data-icon='more'] {
    fill: currentColor;
  }

  svg.icon.mirror:dir(rtl) {
    transform: scaleX(-1);
  }

  /* Tabs look like tabs: a row on a rule, the selected one underlined in the accent colour. */
  [role='tablist'] {
    display: flex;
    gap: var(--_space-1);
    border-block-end: 1px solid var(--_border);
  }

  button[role='tab'] {
    min-height: var(--_control);
    margin-block-end: -1px;
    border: 0;
    border-block-end: 3px solid transparent;
    border-radius: var(--_radius) var(--_radius) 0 0;
    background: transparent;
    color: var(--_muted);
  }

  button[role='tab'][aria-selected='true'] {
    border-block-end-color: var(--_accent);
    color: var(--_text);
    font-weight: var(--_weight-strong);
  }

  button.link {
    border-color: transparent;
    background: transparent;
    color: var(--_accent);
    text-decoration: underline;
    padding-inline: calc(var(--_space) / 2);
  }

  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }

  input:not([type='checkbox'], [type='radio']),
  select,
  textarea {
    box-sizing: border-box;
    min-height: var(--_control);
    padding: var(--_space-1) var(--_space-2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }

  input[type='checkbox'],
  input[type='radio'] {
    accent-color: var(--_accent);
    inline-size: 1.1rem;
    block-size: 1.1rem;
    margin: 0;
  }

  input[aria-invalid='true'],
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--_error);
    outline: 1px solid var(--_error);
  }

  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  /* Windows High Contrast and other forced palettes: system colours, and no state told by colour alone. */
  @media (forced-colors: active) {
    button,
    input:not([type='checkbox'], [type='radio']),
    select,
    textarea {
      border-color: ButtonText;
    }

    button.primary,
    button.danger {
      border-width: 2px;
    }

    /* Only the selected tab is underlined (a transparent border would be forced visible). */
    button[role='tab'] {
      margin-block-end: 0;
      border-color: Canvas;
    }

    button[role='tab'][aria-selected='true'] {
      margin-block-end: -1px;
    }

    button[role='tab'][aria-selected='true'] {
      border-block-end-color: Highlight;
    }

    button:disabled,
    button[aria-disabled='true'] {
      color: GrayText;
      border-color: GrayText;
    }

    /* Menu items are rows of a menu, not a stack of boxes (also quiet or disabled ones: this rule
       comes later at the same specificity); the focused one is ringed. */
    button[role='menuitem'] {
      border-color: Canvas;
    }

    button[role='menuitem']:is(:hover, :focus-visible) {
      border-color: Highlight;
    }

    :focus-visible {
      outline-color: Highlight;
    }
  }

  @media (prefers-contrast: more) {
    :focus-visible {
      outline-width: 3px;
    }
  }

  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .error {
    color: var(--_error);
  }

  .hint {
    color: var(--_muted);
    font-size: 0.875em;
  }

  .alert {
    padding: var(--_space);
    border: 1px solid var(--_error);
    border-radius: var(--_radius);
    color: var(--_error);
    background: var(--_surface);
  }

  /*
   * Sentences keep the direction of their own text: English shown in a right-to-left page (no
   * translation for its language yet) ends with its full stop or question mark, not starts with it.
   */
  p,
  .dialog-title,
  .hint,
  .alert,
  .warning {
    unicode-bidi: plaintext;
  }

  .warning {
    padding: var(--_space);
    /* Transparent, except in forced colours, where the background is gone and the border marks the box. */
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_warning-surface);
    color: var(--_warning-text);
  }
`;

/** Native `<dialog>` layout shared by every dialog: header, body and a footer of actions. */
export const dialogStyles = css`
  dialog {
    box-sizing: border-box;
    inline-size: min(var(--nas-dialog-width, 34rem), calc(100vw - 2rem)); /* Preferred dialog width */
    max-block-size: calc(100dvh - 2rem);
    /* A tall dialog in a short window (a 600 px popup, German text) scrolls instead of cutting off its actions. */
    overflow: auto;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    background: var(--_raised);
    color: var(--_text);
    box-shadow: var(--_shadow-raised);
  }

  dialog::backdrop {
    background: var(--_backdrop);
  }

  .dialog-body {
    display: grid;
    gap: calc(var(--_space) * 1.5);
    padding: calc(var(--_space) * 2.5);
  }

  .dialog-title {
    margin: 0;
    font-size: var(--_size-title);
    line-height: 1.25;
    /* Balanced lines keep a quoted key name whole rather than split at its hyphen. */
    text-wrap: balance;
  }

  .dialog-footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_space);
  }

  p {
    margin: 0;
  }
`;
