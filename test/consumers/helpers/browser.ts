/**
 * Serving a consumer's built page on loopback and looking at it in real Chromium, the way its
 * users would: what each consumer test checks about `<api-key-manager>` on the page.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumArgs, ensureChromium } from '../../../scripts/lib/chromium.mjs';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

/** Serves `dir` (index.html at /) on 127.0.0.1; unknown paths answer index.html, as an SPA host does. */
export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? 'index.html' : path);
    readFile(file)
      .then((body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body))
      .catch(() => readFile(join(dir, 'index.html')).then((body) => response.writeHead(200, { 'content-type': 'text/html' }).end(body)))
      .catch(() => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function launch(): Promise<Browser> {
  return puppeteer.launch({ executablePath: ensureChromium({ quiet: true }), headless: true, pipe: true, args: chromiumArgs });
}

/** Opens the page and fails with the page's own errors if it throws while loading. */
export async function open(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}

/** The names in the manager's table, once it has rows. */
export async function managerRows(page: Page, selector = 'api-key-manager'): Promise<string[]> {
  await page.waitForFunction(
    (sel) => {
      const table = document.querySelector(sel)?.shadowRoot?.querySelector('api-key-table');
      return (table?.shadowRoot?.querySelectorAll('.body [role="row"] [data-col="name"]').length ?? 0) > 0;
    },
    { timeout: 20_000 },
    selector,
  );
  return page.evaluate((sel) => {
    const table = document.querySelector(sel)!.shadowRoot!.querySelector('api-key-table')!;
    return [...table.shadowRoot!.querySelectorAll('.body [role="row"] [data-col="name"]')].map((cell) => cell.textContent.trim());
  }, selector);
}

/** Computed style of the first element matching `inner` in the manager's table's shadow root. */
export function tableStyle(page: Page, inner: string, property: string, selector = 'api-key-manager'): Promise<string> {
  return page.evaluate(
    (sel, innerSel, prop) => {
      const table = document.querySelector(sel)!.shadowRoot!.querySelector('api-key-table')!;
      return getComputedStyle(table.shadowRoot!.querySelector(innerSel)!).getPropertyValue(prop);
    },
    selector,
    inner,
    property,
  );
}

/** The table's Username header, which follows the manager's language. */
export function usernameHeader(page: Page, selector = 'api-key-manager'): Promise<string> {
  return page.evaluate((sel) => {
    const table = document.querySelector(sel)!.shadowRoot!.querySelector('api-key-table')!;
    return table.shadowRoot!.querySelector('[data-col="username"] .sort-label')!.textContent.trim();
  }, selector);
}

/** Clicks the Delete action of the row named `name` in the manager's table. */
export async function clickRowAction(page: Page, name: string, action: string, selector = 'api-key-manager'): Promise<void> {
  await page.evaluate(
    (sel, rowName, kind) => {
      const table = document.querySelector(sel)!.shadowRoot!.querySelector('api-key-table')!;
      const row = [...table.shadowRoot!.querySelectorAll('.body [role="row"]')].find((r) => r.querySelector('[data-col="name"]')?.textContent?.trim() === rowName);
      row!.querySelector<HTMLButtonElement>(`button[data-action="${kind}"]`)!.click();
    },
    selector,
    name,
    action,
  );
}
