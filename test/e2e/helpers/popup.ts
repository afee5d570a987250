/**
 * Driving the popup's key list like a user: rows are `[data-key-row]` (name, host, status), and
 * each row's actions sit behind its menu button (`button[name="row-menu"]`).
 */
import type { Page } from 'puppeteer-core';
import { click, find } from './ui.js';

export interface PopupRow {
  name: string;
  host: string;
  status: string;
  keyId: string;
  hostId: string;
}

/** The popup's key rows, as the user sees them. */
export async function popupRows(page: Page): Promise<PopupRow[]> {
  return page.evaluate(() => {
    const list = document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-key-list')?.shadowRoot;
    const text = (el: Element | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return [...(list?.querySelectorAll('[data-key-row]') ?? [])].map((row) => ({
      name: text(row.querySelector('[data-col="name"]')),
      host: text(row.querySelector('[data-col="host"]')),
      status: text(row.querySelector('[data-col="status"]')),
      keyId: row.getAttribute('data-key-id') ?? '',
      hostId: row.getAttribute('data-host-id') ?? '',
    }));
  });
}

/** Waits for the popup row named `name` and returns its selector (through the shadow roots). */
export async function popupRow(page: Page, name: string, timeout = 30_000): Promise<string> {
  const handle = await page.waitForFunction(
    (wanted: string) => {
      const list = document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-key-list')?.shadowRoot;
      const row = [...(list?.querySelectorAll('[data-key-row]') ?? [])].find((r) => (r.querySelector('[data-col="name"]')?.textContent ?? '').trim() === wanted);
      return row ? row.getAttribute('data-row-id') : false;
    },
    { timeout },
    name,
  );
  const rowId = String(await handle.jsonValue());
  return `>>> nkm-key-list >>> [data-key-row][data-row-id="${rowId}"]`;
}

/** Opens the row menu of the key named `name` with the mouse and clicks one of its items. */
export async function popupRowAction(page: Page, name: string, action: string, timeout = 30_000): Promise<void> {
  const row = await popupRow(page, name, timeout);
  await click(page, `${row} >>> button[name="row-menu"]`);
  await click(page, `${row} >>> [role="menuitem"][data-action="${action}"]`);
}

/** Every scroll container (and the document) that is wider inside than its box, with its sizes. */
export async function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`);
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        const style = getComputedStyle(el);
        // A scroll container: what overflows it can be scrolled to (clipped ellipsis text cannot).
        const scrolls = ['auto', 'scroll'].includes(style.overflowX) || ['auto', 'scroll'].includes(style.overflowY);
        if (scrolls && el.clientWidth > 0 && el.scrollWidth > el.clientWidth) {
          out.push(`${el.localName}${el.className ? `.${String(el.className).replace(/\s+/g, '.')}` : ''} ${el.scrollWidth} > ${el.clientWidth}`);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out;
  });
}


/**
 * Waits until the vault view has its live list (the "Checking…" line gone, "Check stored keys"
 * enabled again): clicking before that races the list moving down under the pointer.
 */
export async function vaultViewSettled(page: Page): Promise<void> {
  await find(page, '>>> nkm-vault-view >>> li[data-entry-id]');
  await find(page, '>>> nkm-vault-view >>> button[name="verify"]:not([disabled])');
}
