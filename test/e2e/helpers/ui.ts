/**
 * Driving the extension's pages like a user: selectors pierce shadow roots with puppeteer's `>>>`
 * combinator (`>>> nkm-host-form >>> input[name="name"]`), typing goes through the keyboard and
 * clicks through the mouse.
 */
import type { ElementHandle, Page } from 'puppeteer-core';

export async function find(page: Page, selector: string, timeout = 30_000): Promise<ElementHandle<Element>> {
  const handle = await page.waitForSelector(selector, { timeout, visible: true });
  if (!handle) throw new Error(`Not found: ${selector}`);
  return handle;
}

export async function click(page: Page, selector: string): Promise<void> {
  await (await find(page, selector)).click();
}

/** Clears a field and types into it. */
export async function fill(page: Page, selector: string, text: string): Promise<void> {
  const field = await find(page, selector);
  await field.click({ count: 3 });
  await field.evaluate((el) => {
    (el as HTMLInputElement).value = '';
    el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  });
  if (text) await field.type(text);
}

export async function textOf(page: Page, selector: string): Promise<string> {
  return (await find(page, selector)).evaluate((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
}

/**
 * Waits until the page has rendered twice after a resize: media and container queries applied,
 * ResizeObserver callbacks (the table's column fit) run and their Lit updates painted. Only the
 * front tab renders, so the page comes to the front first.
 */
export async function settled(page: Page): Promise<void> {
  await page.bringToFront();
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** Waits until any element matching the selector has text that matches (lists in any order). */
export async function waitForAnyText(page: Page, selector: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  const until = Date.now() + timeout;
  let seen: string[] = [];
  while (Date.now() < until) {
    seen = await Promise.all((await page.$$(selector)).map((handle) => handle.evaluate((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim())));
    const hit = seen.find((text) => pattern.test(text));
    if (hit !== undefined) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for any ${selector} to match ${pattern}; saw: ${JSON.stringify(seen)}`);
}

/** Waits until the element's text matches. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  const until = Date.now() + timeout;
  let last = '';
  while (Date.now() < until) {
    const handle = await page.$(selector);
    if (handle) {
      last = await handle.evaluate((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
      if (pattern.test(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${selector} to match ${pattern}; last text: "${last}"`);
}

export async function gone(page: Page, selector: string, timeout = 30_000): Promise<void> {
  await page.waitForSelector(selector, { hidden: true, timeout });
}

export interface TableRow {
  name: string;
  host: string;
  status: string;
}

/** Rows of every `<api-key-table>` on the page (in any shadow root), as the user sees them. */
export async function tableRows(page: Page): Promise<TableRow[]> {
  return page.evaluate(() => {
    const out: Array<{ name: string; host: string; status: string }> = [];
    const text = (el: Element | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName === 'api-key-table' && el.shadowRoot) {
          for (const row of el.shadowRoot.querySelectorAll('.body [role="row"][data-row]')) {
            out.push({
              name: text(row.querySelector('[data-col="name"]')),
              host: text(row.querySelector('[data-col="host"]')),
              status: text(row.querySelector('[data-col="status"] [part~="status-badge"]')),
            });
          }
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out;
  });
}

/** Waits for a table row named `name` and clicks one of its action buttons with the mouse. */
export async function clickRowAction(page: Page, name: string, action: string, timeout = 30_000): Promise<void> {
  const handle = await page.waitForFunction(
    (wanted: string, act: string) => {
      const walk = (root: Document | ShadowRoot): Element | null => {
        for (const el of root.querySelectorAll('*')) {
          if (el.localName === 'api-key-table' && el.shadowRoot) {
            for (const row of el.shadowRoot.querySelectorAll('.body [role="row"][data-row]')) {
              if ((row.querySelector('[data-col="name"]')?.textContent ?? '').trim() === wanted) {
                const button = row.querySelector(`button[data-action="${act}"]`);
                if (button) return button;
              }
            }
          }
          if (el.shadowRoot) {
            const found = walk(el.shadowRoot);
            if (found) return found;
          }
        }
        return null;
      };
      return walk(document);
    },
    { timeout },
    name,
    action,
  );
  await (handle as ElementHandle<Element>).click();
}
