/**
 * E2E harness for the real extension: builds dist-style output into a private temp dir (so
 * parallel runs never share files), launches headless Chromium with it (puppeteer-core, the system
 * Chromium) and gives tests the extension id, its service worker and page helpers.
 *
 * Test-only manifest changes, and why: Chromium shows permission prompts that automation cannot
 * answer, so the loopback host patterns the simulators use (and `notifications`) are granted at
 * install. The production code still calls permissions.request/contains exactly as it does for a
 * user; for a granted origin those resolve true without a prompt.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer-core';
import { buildExtension } from '../../../scripts/build.mjs';
import { chromiumArgs, ensureChromium } from '../../../scripts/lib/chromium.mjs';

export interface Session {
  browser: Browser;
  extensionId: string;
  extensionPath: string;
  /** The browser profile's folder (tests scan its files for data that must not be in clear). */
  userDataDir: string;
  /** Opens an extension page (e.g. `popup/popup.html`) in a new tab. */
  open(path: string): Promise<Page>;
  /** The background service worker (waits for it to be running). */
  worker(): Promise<WebWorker>;
  /** Evaluates in the background service worker. */
  background<T>(fn: string | ((...args: never[]) => T | Promise<T>), ...args: unknown[]): Promise<T>;
  /** Stops the service worker, as Chrome does to an idle one; memory state is lost. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Extra host patterns granted at install (beyond loopback). */
  hostPermissions?: string[];
  /** Grant `notifications` at install. */
  notifications?: boolean;
  /** Browser UI language, e.g. `de` (the extension follows it). */
  lang?: string;
}

export async function buildTestExtension(options: LaunchOptions = {}): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nkm-ext-'));
  const path = join(dir, 'chrome');
  await buildExtension('chrome', { outDir: path, testHooks: true });
  const manifestPath = join(path, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { permissions: string[]; host_permissions?: string[] };
  manifest.host_permissions = ['http://127.0.0.1/*', 'http://localhost/*', ...(options.hostPermissions ?? [])];
  if (options.notifications) manifest.permissions = [...manifest.permissions, 'notifications'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function launch(options: LaunchOptions = {}): Promise<Session> {
  const built = await buildTestExtension(options);
  const userDataDir = await mkdtemp(join(tmpdir(), 'nkm-profile-'));
  const browser = await puppeteer.launch({
    executablePath: ensureChromium({ quiet: true }),
    headless: true,
    pipe: true,
    userDataDir,
    enableExtensions: [built.path],
    args: [...chromiumArgs, '--window-size=1200,900', ...(options.lang ? [`--lang=${options.lang}`, `--accept-lang=${options.lang}`] : [])],
  });
  const isWorker = (target: Target): boolean => target.type() === 'service_worker' && target.url().startsWith('chrome-extension://') && target.url().endsWith('/background.js');
  const first = await browser.waitForTarget(isWorker, { timeout: 15_000 });
  const extensionId = new URL(first.url()).host;
  // On install the extension opens its settings page (the welcome flow); tests open their own pages.
  const welcome = await browser
    .waitForTarget((t) => t.type() === 'page' && t.url() === `chrome-extension://${extensionId}/options/options.html`, { timeout: 5000 })
    .catch(() => null);
  await (await welcome?.page())?.close();

  const worker = async (): Promise<WebWorker> => {
    // The worker may have been stopped and restarted: always look up the current target.
    const target = browser.targets().find(isWorker) ?? (await browser.waitForTarget(isWorker, { timeout: 15_000 }));
    const w = await target.worker();
    if (!w) throw new Error('The extension service worker is not running');
    return w;
  };

  return {
    browser,
    extensionId,
    extensionPath: built.path,
    userDataDir,
    async open(path) {
      const page = await browser.newPage();
      // tsx (esbuild keepNames) wraps named functions in page callbacks with __name(); define it.
      await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn;');
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    worker,
    async background<T>(fn: string | ((...args: never[]) => T | Promise<T>), ...args: unknown[]): Promise<T> {
      try {
        return (await (await worker()).evaluate(fn as never, ...(args as never[])));
      } catch (error) {
        // A worker that Chrome is just stopping or restarting has a detached context: wait for the
        // current one and try once more.
        if (!/detached|Execution context|Target closed/i.test(String(error))) throw error;
        await delay(200);
        return (await (await worker()).evaluate(fn as never, ...(args as never[])));
      }
    },
    async stopWorker() {
      // puppeteer closes a service-worker target with Target.closeTarget, which stops the worker.
      // Wait for *that* target to go: an alarm may legitimately start a new worker right after.
      const target = browser.targets().find(isWorker) ?? (await browser.waitForTarget(isWorker, { timeout: 15_000 }));
      await (await target.worker())?.close();
      const waitGone = async (ms: number): Promise<boolean> => {
        const until = Date.now() + ms;
        while (browser.targets().includes(target) && Date.now() < until) await delay(50);
        return !browser.targets().includes(target);
      };
      if (await waitGone(3000)) return;
      // Closing the target is sometimes ignored on a busy machine; the ServiceWorker domain stops it,
      // though under heavy load one request can be lost too: ask again until it has gone.
      const page = await browser.newPage();
      try {
        const cdp = await page.createCDPSession();
        await cdp.send('ServiceWorker.enable');
        for (let attempt = 0; attempt < 4; attempt++) {
          await cdp.send('ServiceWorker.stopAllWorkers');
          if (await waitGone(5000)) return;
        }
      } finally {
        await page.close();
      }
      throw new Error('The service worker did not stop');
    },
    async close() {
      await browser.close();
      await rm(userDataDir, { recursive: true, force: true });
      await built.cleanup();
    },
  };
}

/** Reads the system clipboard from an extension page (which holds clipboardRead). */
export async function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => {
    const area = document.createElement('textarea');
    document.body.append(area);
    area.focus();
    document.execCommand('paste');
    const text = area.value;
    area.remove();
    return text;
  });
}

/** Waits until the clipboard holds `text` (e.g. '' once the extension cleared it); fails with what it holds. */
export async function waitForClipboard(page: Page, text: string, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  let now = await readClipboard(page);
  while (now !== text && Date.now() < until) {
    await delay(50);
    now = await readClipboard(page);
  }
  if (now !== text) throw new Error(`The clipboard still holds ${now === '' ? 'nothing' : `${now.length} characters`} after ${timeout} ms, not the expected ${text === '' ? 'nothing' : `${text.length} characters`}`);
}

/** Writes the clipboard from an extension page, as another app would. */
export async function writeClipboard(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => {
    const area = document.createElement('textarea');
    area.value = value;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }, text);
}

/** Sends one protocol request from an extension page, as the popup would. */
export async function request<T>(page: Page, type: string, payload: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return page.evaluate((t, p) => chrome.runtime.sendMessage({ channel: 'nkm/1', type: t, payload: p }), type, payload as never);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
