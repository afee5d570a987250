/**
 * Entry of its own (popup/first-paint.js, a classic script with no imports), which popup.html runs
 * first thing in its head: it asks for the popup's last picture of the key list
 * (shared/first-paint.ts), shows it, inert, and only once that frame is on screen starts the popup
 * (startup.js, then popup.js), which replaces it when it has rendered: loading and evaluating the
 * app first would hold the picture back by as long as that takes. Without a picture it starts
 * them at once. Nothing is shown when there is no picture (the vault
 * is locked, nothing was captured yet), when it has run out, or when it is of another selection
 * or language than this opening would show.
 */
import { uiLanguage } from '../../shared/i18n/language.js';
import { nativeApi } from '../../shared/platform.js';
import { mirroredSelection } from '../selection.js';
import { FIRST_PAINT_ID, FIRST_PAINT_KEY, isFirstPaint, keepsAttribute, type FirstPaint, type PaintNode } from '../../shared/first-paint.js';

const SVG = 'http://www.w3.org/2000/svg';
/** If the popup app never arrives (its files are damaged), the picture goes anyway. */
const GIVE_UP_MS = 3000;

function replay(paint: FirstPaint): HTMLElement {
  const sheets = new Map<number, CSSStyleSheet>();
  const sheet = (index: number): CSSStyleSheet => {
    let found = sheets.get(index);
    if (!found) {
      found = new CSSStyleSheet();
      found.replaceSync(paint.styles[index] ?? '');
      sheets.set(index, found);
    }
    return found;
  };
  const build = (node: PaintNode, inSvg: boolean): Element => {
    const svg = inSvg || node.t === 'svg';
    const element = svg ? document.createElementNS(SVG, node.t) : document.createElement(node.t);
    for (const [name, value] of Object.entries(node.a ?? {})) if (keepsAttribute(name, value)) element.setAttribute(name, value);
    if (node.d && element instanceof HTMLElement) element.style.display = node.d;
    append(element, node.c, svg);
    if (node.s && element instanceof HTMLElement) {
      const root = element.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = node.s.sheets.map(sheet);
      append(root, node.s.c, svg);
    }
    return element;
  };
  const append = (parent: Element | ShadowRoot, children: PaintNode['c'], svg: boolean): void => {
    for (const child of children ?? []) parent.append(typeof child === 'string' ? document.createTextNode(child) : build(child, svg));
  };
  const frame = document.createElement('div');
  frame.id = FIRST_PAINT_ID;
  frame.inert = true;
  frame.setAttribute('aria-hidden', 'true');
  // Sized like the page's own #app.popup, so the popup window takes its final size at once.
  const column = document.createElement('div');
  column.className = 'popup';
  column.append(build(paint.tree, false));
  frame.append(column);
  return frame;
}

/**
 * In the page's flow until the real app is added next to it; from then on over the page, so the
 * app renders underneath, at the same place, without being pushed down.
 */
function overlayOnceAppArrives(app: HTMLElement, frame: HTMLElement): void {
  const observer = new MutationObserver(() => {
    if (!frame.isConnected) return observer.disconnect();
    if (app.childElementCount < 2) return;
    frame.style.cssText = 'position:fixed;inset:0;z-index:1;background:Canvas;overflow:hidden';
    observer.disconnect();
  });
  observer.observe(app, { childList: true });
}

/** Shows the picture if there is one to show; true if it did. */
async function paintFirst(): Promise<boolean> {
  const selected = mirroredSelection();
  if (selected === null) return false;
  const stored = await nativeApi().storage.session.get(FIRST_PAINT_KEY);
  const kept: unknown = stored[FIRST_PAINT_KEY];
  const paint: unknown = typeof kept === 'string' ? JSON.parse(kept) : null;
  // Run from the head: the rest of the page (a few lines) may still be parsing.
  if (document.readyState === 'loading') await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
  if (!isFirstPaint(paint) || paint.selected !== selected || paint.lang !== uiLanguage() || Date.now() >= paint.validUntil) return false;
  const app = document.getElementById('app');
  if (!app) return false;
  document.documentElement.lang = paint.lang;
  document.documentElement.dir = paint.dir;
  const frame = replay(paint);
  app.append(frame);
  overlayOnceAppArrives(app, frame);
  setTimeout(() => frame.remove(), GIVE_UP_MS);
  return true;
}

function startApp(): void {
  for (const src of ['startup.js', 'popup.js']) {
    const script = document.createElement('script');
    script.type = 'module';
    script.src = src;
    document.head.append(script);
  }
}

// Whatever happens to the picture (none, unreadable, not shown), the app starts.
paintFirst().then(
  (shown) => (shown ? requestAnimationFrame(() => setTimeout(startApp)) : startApp()),
  () => startApp(),
);
