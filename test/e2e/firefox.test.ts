/**
 * Firefox smoke test: the Firefox build installs into Firefox ESR (puppeteer-core over WebDriver
 * BiDi), opens its settings page on install, and that page works end to end: the event-page
 * background answers, the vault (IndexedDB + WebCrypto in Firefox) is created, and a connection
 * test over a real socket reaches a simulated NAS. Firefox lets only the add-on open its pages,
 * so the test uses the page the add-on opens itself (runtime.openOptionsPage on install).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { buildExtension } from '../../scripts/build.mjs';
import { addHost, createVault } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { click, waitForText } from './helpers/ui.js';

const FIREFOX = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p): p is string => !!p && existsSync(p));
// Without a Firefox binary there is nothing to run; the reason is printed instead of a pass.
const skip = FIREFOX ? false : 'no Firefox found (install firefox-esr or set FIREFOX_PATH)';

let dir: string;
let browser: Browser;
let page: Page;
let nas: RunningSimulator;

before(async () => {
  if (skip) return;
  nas = await startNas({ profile: '25.10' });
  dir = await mkdtemp(join(tmpdir(), 'nkm-firefox-'));
  const path = await buildExtension('firefox', { outDir: join(dir, 'firefox') });
  // Test-only: loopback host access granted at install (nobody can answer a permission prompt here).
  const manifestPath = join(path, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  manifest.host_permissions = ['http://127.0.0.1/*'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX!, headless: true });
  await browser.installExtension(path);
  const until = Date.now() + 15_000;
  while (!page && Date.now() < until) {
    for (const candidate of await browser.pages()) {
      const href = await candidate.evaluate(() => location.href).catch(() => '');
      if (href.startsWith('moz-extension://') && href.endsWith('/options/options.html')) page = candidate;
    }
    if (!page) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(page, 'the add-on opened its settings page on install');
  await page.evaluate('globalThis.__name = (fn) => fn;');
});

after(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await stopAll();
});

test('Firefox: the add-on installs, opens its settings page, and it renders', { skip }, async () => {
  await waitForText(page, '>>> nkm-options-app >>> h1', /NAS Key Manager settings/);
  await waitForText(page, '>>> nkm-vault-panel >>> h2', /Vault/);
});

test('Firefox: the vault is created and a NAS connection test succeeds from the event page', { skip }, async () => {
  await createVault(page);
  const card = await addHost(page, { name: 'Lab', address: nas.url, secret: nas.admin.apiKey });
  await click(page, `${card} button[name="test"]`);
  assert.match(await waitForText(page, `${card} [data-outcome]`, /Connected|refused|reached|access/), /Connected and signed in.*TrueNAS 25\.10/);
});

test('Firefox: the background page copies to the clipboard and clears it after the delay', { skip }, async () => {
  const send = (type: string, payload: unknown) =>
    page.evaluate(
      (t, p) => (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({ channel: 'nkm/1', type: t, payload: p }),
      type,
      payload as never,
    ) as Promise<{ ok: boolean; value?: { clearsAt: number | null }; error?: { message: string } }>;
  const paste = () =>
    page.evaluate(() => {
      const area = document.createElement('textarea');
      document.body.append(area);
      area.focus();
      document.execCommand('paste');
      const text = area.value;
      area.remove();
      return text;
    });
  assert.ok((await send('settings.update', { clipboardClearMs: 1500 })).ok);
  const copied = await send('clipboard.copy', { text: 'firefox-secret' });
  assert.ok(copied.ok, JSON.stringify(copied));
  assert.equal(await paste(), 'firefox-secret');
  const until = Date.now() + 6000;
  while ((await paste()) !== '' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await paste(), '');
});
