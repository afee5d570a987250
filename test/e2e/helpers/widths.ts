/**
 * Measured geometry for "no horizontal scrolling" (issue 10): the document, every scroll container
 * (shadow roots included), and, for one element, whether anything inside it sticks out of it.
 */
import type { Page } from 'puppeteer-core';

/** What scrolls sideways on the page: the document, then each scroll container, as readable strings. */
export async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`);
    const name = (el: Element): string => `${el.localName}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    const walk = (root: Document | ShadowRoot, path: string): void => {
      for (const el of root.querySelectorAll('*')) {
        const style = getComputedStyle(el);
        if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
          out.push(`${path}${name(el)} ${el.scrollWidth} > ${el.clientWidth}`);
        }
        if (el.shadowRoot) walk(el.shadowRoot, `${path}${el.localName} >>> `);
      }
    };
    walk(document, '');
    return out;
  });
}

/**
 * Visible elements inside `host` (its shadow root, deeply) whose box reaches past the host's
 * inline edges: cut off or pushing sideways (content inside an element that clips is skipped). Returns them as readable strings. Elements named in
 * `skip` (tag names) are measured themselves but not looked into (another part's own layout).
 */
export async function sticksOut(page: Page, hostSelector: string, skip: string[] = []): Promise<string[]> {
  const handle = await page.waitForSelector(hostSelector, { timeout: 30_000 });
  if (!handle) throw new Error(`Not found: ${hostSelector}`);
  return handle.evaluate((host, skipped) => {
    const out: string[] = [];
    const box = host.getBoundingClientRect();
    // Inside an element that clips (an ellipsis, a scroller), content cannot stick out: that element is measured instead.
    const clipped = (el: Element): boolean => {
      let node: Node | null = el.parentNode;
      while (node && node !== host) {
        if (node instanceof ShadowRoot) node = node.host;
        else if (node instanceof Element) {
          if (getComputedStyle(node).overflowX !== 'visible') return true;
          node = node.parentNode;
        } else return false;
      }
      return false;
    };
    const walk = (root: ShadowRoot | Element): void => {
      for (const el of root.querySelectorAll('*')) {
        if (skipped.some((tag) => el.closest(tag) && el.closest(tag) !== el)) continue;
        if (clipped(el)) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        if (rect.left < box.left - 1 || rect.right > box.right + 1) {
          const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
          out.push(`${el.localName}[${el.getAttribute('name') ?? ''}] "${text}" ${Math.round(rect.left)}..${Math.round(rect.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
        if (el.shadowRoot && !skipped.includes(el.localName)) walk(el.shadowRoot);
      }
    };
    walk(host.shadowRoot ?? host);
    return out;
  }, skip);
}
