/**
 * End-to-end helper: builds the extension, launches headless Chromium with it loaded (puppeteer-core,
 * the system Chromium; never a downloaded browser), finds the extension id and opens its pages.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { buildExtension } from '../../scripts/build.mjs';
import { ensureChromium, chromiumArgs } from '../../scripts/lib/chromium.mjs';

export interface ExtensionSession {
  browser: Browser;
  extensionId: string;
  /** Opens an extension page (e.g. `popup/popup.html`) in a new tab. */
  open(path: string): Promise<Page>;
  /** The background service worker. */
  worker(): Promise<WebWorker>;
  close(): Promise<void>;
}

let built: Promise<string> | undefined;

/** Builds dist/chrome once per test process. */
export function builtExtension(): Promise<string> {
  built ??= buildExtension('chrome') ;
  return built;
}

export async function launchWithExtension(): Promise<ExtensionSession> {
  const extensionPath = await builtExtension();
  const userDataDir = await mkdtemp(join(tmpdir(), 'nkm-e2e-'));
  const browser = await puppeteer.launch({
    executablePath: ensureChromium({ quiet: true }),
    headless: true,
    pipe: true,
    userDataDir,
    enableExtensions: [extensionPath],
    args: [...chromiumArgs],
  });
  const workerTarget = await browser.waitForTarget(
    (target) => target.type() === 'service_worker' && target.url().startsWith('chrome-extension://'),
    { timeout: 15_000 },
  );
  const extensionId = new URL(workerTarget.url()).host;
  return {
    browser,
    extensionId,
    async open(path) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async worker() {
      const worker = await workerTarget.worker();
      if (!worker) throw new Error('The extension service worker is not running');
      return worker;
    },
    async close() {
      await browser.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
