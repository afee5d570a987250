/**
 * `npm start` as a person uses it: the start script builds, runs the simulator and serves the demo
 * page; a real Chromium opens the page, which signs in to the simulator and lists its keys in
 * <api-key-manager>; Ctrl-C (SIGINT) stops everything cleanly.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { ensureChromium, chromiumArgs } from '../../scripts/lib/chromium.mjs';
import { horizontalOverflow } from './helpers/widths.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let start: ChildProcess;
let output = '';
let demoUrl = '';
let browser: Browser;
let scratch: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'nkm-demo-'));
  start = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, DEMO_PORT: '0', SIM_PORT: '0', SIM_STATE: join(scratch, 'state.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Press Ctrl-C to stop/.test(output)) {
    if (Date.now() > deadline || start.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  demoUrl = /Demo page:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1] ?? '';
  browser = await puppeteer.launch({ executablePath: ensureChromium({ quiet: true }), headless: true, pipe: true, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  if (start && start.exitCode === null) start.kill('SIGKILL');
  await rm(scratch, { recursive: true, force: true });
});

test('npm start prints the demo, simulator and extension locations', () => {
  assert.match(demoUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'the demo URL is printed');
  assert.match(output, /NAS simulator:\s+http:\/\/127\.0\.0\.1:\d+/, 'the simulator URL is printed');
  assert.match(output, /dist\/chrome/, 'where the Chrome build is');
  assert.match(output, /dist\/firefox\/manifest\.json/, 'where the Firefox build is');
});

test('the demo page is served (as curl sees it) and lists the simulator keys in <api-key-manager>', async () => {
  const response = await fetch(demoUrl);
  assert.equal(response.status, 200, 'the page is served');
  assert.match(await response.text(), /<api-key-manager/, 'the page embeds the manager');

  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(demoUrl);
  await page.waitForFunction(
    () => {
      const table = document.querySelector('api-key-manager')?.shadowRoot?.querySelector('api-key-table');
      return (table?.shadowRoot?.textContent ?? '').includes('ci-backup');
    },
    { timeout: 30_000 },
  );
  const status = await page.$eval('#status', (el) => el.textContent ?? '');
  assert.match(status, /signed in as truenas_admin/, 'the demo signed in to the simulator');
  assert.deepEqual(errors, [], 'no page errors');
  await page.close();
});

test('the demo page follows its language: German page texts and dates; the RTL option says it only mirrors the layout', async () => {
  const page = await browser.newPage();
  // Wide enough for the Created column (narrower tables drop it first).
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(demoUrl);
  await page.waitForFunction(() => /signed in as/.test(document.getElementById('status')?.textContent ?? ''), { timeout: 30_000 });
  const rtl = await page.$eval('#dir option[value="rtl"]', (el) => el.textContent ?? '');
  assert.match(rtl, /mirrors the layout only/, 'the RTL option says what it does');
  await page.select('#lang', 'de');
  await page.waitForFunction(() => document.documentElement.lang === 'de');
  const chrome = await page.evaluate(() => ({
    title: document.title,
    labels: [...document.querySelectorAll('.controls label > span')].map((el) => el.textContent),
    status: document.getElementById('status')?.textContent ?? '',
    group: document.querySelector('.controls')?.getAttribute('aria-label'),
    rtl: document.querySelector('#dir option[value="rtl"]')?.textContent ?? '',
  }));
  assert.equal(chrome.title, 'NAS Key Manager: Komponenten-Demo');
  assert.deepEqual(chrome.labels, ['Sprache', 'Richtung', 'Farben', 'Akzent (--nas-color-accent)']);
  assert.match(chrome.status, /angemeldet als truenas_admin/);
  assert.equal(chrome.group, 'Demo-Einstellungen');
  assert.match(chrome.rtl, /spiegelt nur das Layout/);
  // The components follow <html lang>: German headings and German dates in the table (at
  // 1280 px the Created column gives way to Access and Last used; expiry dates are relative).
  await page.waitForFunction(
    () => {
      const text = document.querySelector('api-key-manager')?.shadowRoot?.querySelector('api-key-table')?.shadowRoot?.textContent ?? '';
      return text.includes('Läuft ab') && text.includes('Zuletzt verwendet') && /(in|vor) \d+ (Tagen|Monaten)/.test(text);
    },
    { timeout: 10_000 },
  );
  await page.close();
});

test('the demo page never scrolls sideways at 320-1280 px in English, German, RTL and dark', async () => {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  // tsx names the helper's inner functions with __name, which the page does not have.
  await page.evaluateOnNewDocument('globalThis.__name = (fn) => fn;');
  await page.goto(demoUrl);
  await page.waitForFunction(() => /signed in as/.test(document.getElementById('status')?.textContent ?? ''), { timeout: 30_000 });
  const looks = [
    { lang: 'en', dir: 'ltr', scheme: 'auto' },
    { lang: 'de', dir: 'ltr', scheme: 'auto' },
    { lang: 'de', dir: 'rtl', scheme: 'auto' },
    { lang: 'en', dir: 'ltr', scheme: 'dark' },
  ];
  for (const look of looks) {
    await page.select('#lang', look.lang);
    await page.select('#dir', look.dir);
    await page.select('#scheme', look.scheme);
    for (const width of [320, 375, 800, 1280]) {
      await page.setViewport({ width, height: 800 });
      // The table fits its columns when its resize observer reports the new width (a frame later).
      let overflow = await horizontalOverflow(page);
      for (const until = Date.now() + 5000; overflow.length > 0 && Date.now() < until; overflow = await horizontalOverflow(page)) {
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      }
      assert.deepEqual(overflow, [], `${look.lang} ${look.dir} ${look.scheme} at ${width} px`);
    }
  }
  await page.close();
});

test('Ctrl-C stops npm start cleanly', async () => {
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
  start.kill('SIGINT');
  assert.equal(await exited, 0, 'exit code 0 after SIGINT');
  assert.match(output, /stopping/, 'it says it is stopping');
});
