import { html, svg, type TemplateResult } from 'lit';

/**
 * The one icon set of the components and the extension: inline SVG (no icon font, no dependency),
 * drawn on a 16 px grid as 1.6 px strokes in `currentColor`, so an icon takes the text colour of its
 * button in every scheme, in high contrast and in forced colours. Icons are always decorative
 * (`aria-hidden`): the accessible name comes from the control's visible text, or for an icon-only
 * button from its translated `aria-label` (and the same text as `title`, the tooltip).
 */
const PATHS = {
  add: svg`<path d="M8 2.5v11M2.5 8h11"/>`,
  close: svg`<path d="M3.5 3.5l9 9M12.5 3.5l-9 9"/>`,
  check: svg`<path d="M2.8 8.4l3.4 3.3 7-7.4"/>`,
  search: svg`<circle cx="7" cy="7" r="4.3"/><path d="M10.2 10.2l3.6 3.6"/>`,
  lock: svg`<rect x="3" y="7" width="10" height="7" rx="1.5"/><path d="M5.2 7V5a2.8 2.8 0 0 1 5.6 0v2"/>`,
  unlock: svg`<rect x="3" y="7" width="10" height="7" rx="1.5"/><path d="M5.2 7V5a2.8 2.8 0 0 1 5.4-1"/>`,
  // Vertical dots: the row menu ("kebab") button.
  more: svg`<circle cx="8" cy="3.3" r="0.9"/><circle cx="8" cy="8" r="0.9"/><circle cx="8" cy="12.7" r="0.9"/>`,
  // Lightning bolt: a reset without the form, deliberately unlike the circular Reset arrow.
  'quick-reset': svg`<path d="M9.2 1.6 3.6 9H7.6L6.8 14.4 12.4 7H8.4Z"/>`,
  reset: svg`<path d="M12.8 8.6A4.9 4.9 0 1 1 11.3 4.6M11.6 1.8V4.9H8.5"/>`,
  refresh: svg`<path d="M13 3v3.2H9.8M3 13V9.8h3.2M12.6 6.2A5 5 0 0 0 3.7 5.3M3.4 9.8a5 5 0 0 0 8.9.9"/>`,
  copy: svg`<rect x="5.5" y="5.5" width="8" height="8" rx="1.3"/><path d="M10.5 3.5V3A1.2 1.2 0 0 0 9.3 1.8H3A1.2 1.2 0 0 0 1.8 3v6.3a1.2 1.2 0 0 0 1.2 1.2h.5"/>`,
  edit: svg`<path d="M3 13.2 3.6 10.4 10.6 3.4 12.6 5.4 5.6 12.4ZM9.4 4.6 11.4 6.6"/>`,
  delete: svg`<path d="M2.8 4.2H13.2M6.2 4.2V2.6H9.8V4.2M4.2 4.2 5 13.4H11L11.8 4.2"/>`,
  // Arrow out of a box: opens in a new tab (mirrored in right-to-left text).
  external: svg`<path d="M9.5 2.5h4v4M13.5 2.5 7.5 8.5M11.5 9.5v3a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h3"/>`,
  vault: svg`<rect x="2" y="2.5" width="12" height="11" rx="1.5"/><circle cx="8" cy="8" r="2.4"/><path d="M8 5.6V4.6M10.4 8h1M4 13.5v1M12 13.5v1"/>`,
  host: svg`<rect x="2" y="2.5" width="12" height="4.5" rx="1"/><rect x="2" y="9" width="12" height="4.5" rx="1"/><path d="M4.5 4.75h1M4.5 11.25h1"/>`,
  settings: svg`<circle cx="8" cy="8" r="2.2"/><path d="M8 1.8v1.6M8 12.6v1.6M1.8 8h1.6M12.6 8h1.6M3.6 3.6l1.1 1.1M11.3 11.3l1.1 1.1M3.6 12.4l1.1-1.1M11.3 4.7l1.1-1.1"/>`,
  show: svg`<path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8Z"/><circle cx="8" cy="8" r="2"/>`,
  hide: svg`<path d="M6.3 3.7A6.5 6.5 0 0 1 8 3.5C12 3.5 14.5 8 14.5 8a11 11 0 0 1-1.7 2.2M4.2 4.8C2.5 6 1.5 8 1.5 8S4 12.5 8 12.5a6 6 0 0 0 3-.8M2.5 2.5l11 11"/>`,
  warning: svg`<path d="M8 2 14.5 13.5H1.5ZM8 6.5v3.2M8 11.6v.1"/>`,
  error: svg`<circle cx="8" cy="8" r="6"/><path d="M8 4.8v3.6M8 10.9v.1"/>`,
  info: svg`<circle cx="8" cy="8" r="6"/><path d="M8 7.4v3.6M8 5v.1"/>`,
  'chevron-down': svg`<path d="M4 6l4 4 4-4"/>`,
} as const;

export type IconName = keyof typeof PATHS;

/** Icons that point somewhere and so turn around in right-to-left text. */
const MIRRORED: ReadonlySet<IconName> = new Set<IconName>(['external']);

/** The icon as an inline SVG; style it with `svg.icon` (see `controls` in controls.styles.ts). */
export function icon(name: IconName): TemplateResult {
  // The <svg> element itself is HTML content; only its children are an svg`` fragment.
  return html`<svg class=${MIRRORED.has(name) ? 'icon mirror' : 'icon'} data-icon=${name} viewBox="0 0 16 16" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}

export const iconNames = Object.keys(PATHS) as IconName[];
