/**
 * The popup's first paint: a picture of the key list as the popup last showed it, replayed as
 * inert plain DOM the moment the popup opens (popup/first-paint/paint.ts), before Lit, the elements and the
 * language tables have loaded; the real popup replaces it once it has rendered (about 50 ms later,
 * see docs/extension.md, "Popup first paint").
 *
 * The picture is a tree of element names, a few attributes and text, with the shadow roots'
 * style sheets, captured from the rendered popup (popup/first-paint/capture.ts) and kept by the background in
 * `storage.session` (memory only) while the vault is unlocked: every lock removes it, and it
 * carries the time after which it must not be shown (the vault's idle deadline, a status that
 * changes, or a few minutes). It never holds a secret: only the key list view is captured, never
 * a dialog, the vault view or an input's value.
 */

/** One element: name, the attributes kept, children, and its shadow root if it had one. */
export interface PaintNode {
  t: string;
  a?: Record<string, string>;
  c?: Array<PaintNode | string>;
  /** The shadow root: indexes into {@link FirstPaint.styles}, then its children. */
  s?: { sheets: number[]; c: Array<PaintNode | string> };
  /** For a custom element (replayed as a `div`/`span`): its computed `display`. */
  d?: string;
}

export interface FirstPaint {
  v: 1;
  /** The popup's selection it shows (a host id or All hosts). */
  selected: string;
  /** Document language and direction it was rendered in. */
  lang: string;
  dir: 'ltr' | 'rtl';
  /** Epoch ms after which it must not be shown. */
  validUntil: number;
  /** Style sheets' CSS text, shared by the shadow roots that adopted them. */
  styles: string[];
  tree: PaintNode;
}

/** Where the background keeps it (storage.session). */
export const FIRST_PAINT_KEY = 'popup.firstPaint';
/** The element paint.ts adds to the popup's #app, which the popup app removes once it has rendered. */
export const FIRST_PAINT_ID = 'first-paint';
/** The longest a picture is shown for after it was taken, whatever else holds. */
export const FIRST_PAINT_MAX_AGE_MS = 15 * 60_000;
/** A picture larger than this (characters of JSON) is not kept: a huge list paints from the real popup. */
export const FIRST_PAINT_MAX_CHARS = 512 * 1024;

/** Elements a picture may hold: what the key list view renders, nothing that loads or runs anything (an image only one of our icons). */
export const PAINT_TAGS: ReadonlySet<string> = new Set([
  'div', 'span', 'p', 'ul', 'ol', 'li', 'header', 'footer', 'main', 'section', 'nav', 'h1', 'h2', 'h3', 'label',
  'button', 'select', 'option', 'input', 'strong', 'em', 'small', 'slot', 'img',
  'bdi', 'bdo', 'b', 'i', 'code', 'kbd', 'mark', 'abbr', 'time', 'br', 'sub', 'sup',
  'svg', 'path', 'circle', 'rect', 'line', 'polyline', 'polygon', 'g',
]);

/**
 * Attributes a picture may hold: what the styles select on and what icons draw with, and
 * `data-key-row` (a row is a row, for the benchmark's probe too). State markers such as
 * `data-live` stay out: the picture is not the live list.
 */
const PAINT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'class', 'part', 'type', 'placeholder', 'selected', 'disabled', 'hidden', 'aria-selected', 'aria-hidden',
  'data-status', 'data-connection-state', 'data-col', 'data-icon', 'data-action', 'data-row', 'data-key-row',
  'viewbox', 'd', 'fill', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin', 'width', 'height',
  'cx', 'cy', 'r', 'x', 'y', 'rx', 'ry', 'x1', 'x2', 'y1', 'y2', 'points', 'transform', 'xmlns',
]);

/** An image may show only one of the extension's own icons. */
const ICON_SOURCE = /^\.\.\/icons\/[a-z0-9-]+\.png$/;

export function keepsAttribute(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  return PAINT_ATTRIBUTES.has(lower) || (lower === 'src' && ICON_SOURCE.test(value)) || lower === 'alt';
}

const DISPLAY = /^[a-z-]{1,20}$/;
const MAX_DEPTH = 40;

function validNode(value: unknown, depth: number, sheets: number): value is PaintNode {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return false;
  const node = value as Partial<PaintNode>;
  if (typeof node.t !== 'string' || !PAINT_TAGS.has(node.t)) return false;
  if (node.d !== undefined && (typeof node.d !== 'string' || !DISPLAY.test(node.d))) return false;
  if (node.a !== undefined) {
    if (typeof node.a !== 'object' || node.a === null) return false;
    for (const [name, text] of Object.entries(node.a)) if (typeof text !== 'string' || !keepsAttribute(name, text)) return false;
  }
  const children = (list: unknown): boolean => Array.isArray(list) && list.every((child) => typeof child === 'string' || validNode(child, depth + 1, sheets));
  if (node.c !== undefined && !children(node.c)) return false;
  if (node.s !== undefined) {
    const shadow = node.s as Partial<NonNullable<PaintNode['s']>>;
    if (!Array.isArray(shadow.sheets) || !shadow.sheets.every((i) => Number.isInteger(i) && i >= 0 && i < sheets)) return false;
    if (!children(shadow.c)) return false;
  }
  return true;
}

/** Style text that would fetch anything (a beacon, a font) has no place in a picture of our own styles. */
const FETCHING_CSS = /url\s*\(|@import|image-set\s*\(|src\s*\(/i;

/** Whether `value` is a well-formed picture (checked where it is kept and again where it is shown). */
export function isFirstPaint(value: unknown): value is FirstPaint {
  if (typeof value !== 'object' || value === null) return false;
  const paint = value as Partial<FirstPaint>;
  return (
    paint.v === 1 &&
    typeof paint.selected === 'string' &&
    typeof paint.lang === 'string' &&
    (paint.dir === 'ltr' || paint.dir === 'rtl') &&
    typeof paint.validUntil === 'number' &&
    Array.isArray(paint.styles) &&
    paint.styles.every((css) => typeof css === 'string' && !FETCHING_CSS.test(css)) &&
    validNode(paint.tree, 0, paint.styles.length)
  );
}
