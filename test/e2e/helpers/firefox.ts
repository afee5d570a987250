/**
 * The Firefox build installed into Firefox ESR (puppeteer-core over WebDriver BiDi), shared by the
 * Firefox end-to-end files. Firefox lets only the add-on open its pages, so tests start from the
 * settings page the add-on opens on install and ask the add-on for every other page.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { buildExtension } from '../../../scripts/build.mjs';

const FIREFOX = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p): p is string => !!p && existsSync(p));

/** Without a Firefox binary there is nothing to run: the reason is printed instead of a pass. */
export const skipWithoutFirefox: string | false = FIREFOX ? false : 'no Firefox found (install firefox-esr or set FIREFOX_PATH)';

export interface FirefoxAddon {
  browser: Browser;
  /** The settings page the add-on opened on install. */
  options: Page;
  /** Waits for an add-on page whose address matches and that was not open before. */
  waitForPage(match: (href: string) => boolean, known: Page[], timeout?: number): Promise<Page>;
  /** Opens one of the add-on's pages the only way Firefox allows: the add-on asks for the tab. */
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: { message: string } };

/** Sends one message to the background from an add-on page, as the extension's pages do. */
export function sendFrom<T>(page: Page, type: string, payload: unknown): Promise<Reply<T>> {
  return page.evaluate(
    (t, p) => (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({ channel: 'nkm/1', type: t, payload: p }),
    type,
    payload as never,
  ) as Promise<Reply<T>>;
}

async function hrefOf(page: Page): Promise<string> {
  return page.evaluate(() => location.href).catch(() => '');
}

/** Builds the Firefox add-on, installs it into a fresh headless Firefox, and finds its settings page. */
export async function launchFirefoxAddon(prefix: string): Promise<FirefoxAddon> {
  if (!FIREFOX) throw new Error(String(skipWithoutFirefox));
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const path = await buildExtension('firefox', { outDir: join(dir, 'firefox') });
  // Test-only: loopback host access granted at install (nobody can answer a permission prompt here).
  const manifestPath = join(path, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  manifest.host_permissions = ['http://127.0.0.1/*'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const close = async (): Promise<void> => {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  };

  const waitForPage = async (match: (href: string) => boolean, known: Page[], timeout = 15_000): Promise<Page> => {
    const until = Date.now() + timeout;
    while (Date.now() < until) {
      for (const candidate of await browser.pages()) {
        if (known.includes(candidate)) continue;
        if (match(await hrefOf(candidate))) {
          // esbuild's keepNames helper, for functions puppeteer serializes into the page.
          await candidate.evaluate('globalThis.__name = (fn) => fn;');
          return candidate;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the add-on did not open the expected page');
  };

  try {
    await browser.installExtension(path);
    const options = await waitForPage((href) => href.startsWith('moz-extension://') && href.endsWith('/options/options.html'), []);
    const openPage = async (pagePath: string): Promise<Page> => {
      const known = await browser.pages();
      await options.evaluate((p) => {
        const api = (globalThis as unknown as { browser: { tabs: { create(o: { url: string }): Promise<unknown> }; runtime: { getURL(p: string): string } } }).browser;
        void api.tabs.create({ url: api.runtime.getURL(p) });
      }, pagePath);
      return waitForPage((href) => href.endsWith(`/${pagePath}`), known);
    };
    return { browser, options, waitForPage, openPage, close };
  } catch (error) {
    await close();
    throw error;
  }
}
