/**
 * Takes the picture the next opening paints first (shared/first-paint.ts): the popup app's rendered tree,
 * shadow roots and their style sheets included, reduced to element names, the attributes styles
 * need, and text. Inputs' values, dialogs and anything not on the allow-list stay out.
 */
import { FIRST_PAINT_MAX_CHARS, PAINT_TAGS, keepsAttribute, type FirstPaint, type PaintNode } from '../../shared/first-paint.js';

/** Never pictured: dialogs (a reveal dialog may hold a secret), and what only moves or loads. */
const SKIP: ReadonlySet<string> = new Set(['dialog', 'nkm-vault-view', 'key-reveal-dialog', 'script', 'style', 'template', 'progress']);

/** A sheet's text, once per sheet (Lit shares one sheet between all instances of an element). */
const cssText = new WeakMap<CSSStyleSheet, string>();

function textOf(sheet: CSSStyleSheet): string {
  let text = cssText.get(sheet);
  if (text === undefined) {
    text = Array.from(sheet.cssRules, (rule) => rule.cssText).join('\n');
    cssText.set(sheet, text);
  }
  return text;
}

class Capture {
  readonly styles: string[] = [];
  private readonly indexes = new Map<CSSStyleSheet, number>();

  private sheetIndex(sheet: CSSStyleSheet): number {
    let index = this.indexes.get(sheet);
    if (index === undefined) {
      index = this.styles.push(textOf(sheet)) - 1;
      this.indexes.set(sheet, index);
    }
    return index;
  }

  children(parent: ParentNode): Array<PaintNode | string> {
    const out: Array<PaintNode | string> = [];
    for (const child of Array.from(parent.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (child.nodeValue) out.push(child.nodeValue);
      } else if (child instanceof Element) {
        const node = this.element(child);
        if (node) out.push(node);
      }
    }
    return out;
  }

  element(element: Element): PaintNode | null {
    const tag = element.localName;
    // Skipped too: the live list's "Updated at" line (the next opening starts from the cached list, without it).
    if (SKIP.has(tag) || element.hasAttribute('data-live')) return null;
    const custom = tag.includes('-');
    if (!custom && !PAINT_TAGS.has(tag)) return null;
    // Rows below the window are never seen in the first paint: they are left out.
    if (tag === 'li' && element.getBoundingClientRect().top > window.innerHeight) return null;
    const display = custom ? getComputedStyle(element).display : '';
    const node: PaintNode = { t: custom ? (display.startsWith('inline') ? 'span' : 'div') : tag };
    if (custom) node.d = display;
    const attributes: Record<string, string> = {};
    for (const { name, value } of Array.from(element.attributes)) if (keepsAttribute(name, value)) attributes[name] = value;
    if (Object.keys(attributes).length) node.a = attributes;
    const children = this.children(element);
    if (children.length) node.c = children;
    const root = element.shadowRoot;
    if (root) node.s = { sheets: root.adoptedStyleSheets.map((sheet) => this.sheetIndex(sheet)), c: this.children(root) };
    return node;
  }
}

/**
 * The picture of `app` (the popup app's element), or null when it would be too large to keep.
 * `validUntil` is when it stops being true enough to show.
 */
export function capture(app: Element, selected: string, validUntil: number): FirstPaint | null {
  const taking = new Capture();
  const tree = taking.element(app);
  if (!tree) return null;
  const paint: FirstPaint = {
    v: 1,
    selected,
    lang: document.documentElement.lang,
    dir: document.documentElement.dir === 'rtl' ? 'rtl' : 'ltr',
    validUntil,
    styles: taking.styles,
    tree,
  };
  return JSON.stringify(paint).length <= FIRST_PAINT_MAX_CHARS ? paint : null;
}
