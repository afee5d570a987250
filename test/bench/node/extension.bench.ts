/**
 * Extension benchmarks, driving the built extension in headless Chromium (puppeteer-core) against
 * simulated NAS hosts on loopback:
 * - popup open → first rendered key list (the first paint of the popup's last picture, see
 *   extension/shared/first-paint.ts) and → the live list, with the host's connection already open
 *   and the popup opened once before (warm);
 * - "All hosts" refresh of 20 simulator hosts at once (cold: first sign-in; warm: open connections);
 * - size of every built file of both browsers, minified (as built) and gzipped.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'puppeteer-core';
import { buildExtension, dist } from '../../../scripts/build.mjs';
import { launch, request } from '../../e2e/helpers/session.js';
import { startNas, stopAll } from '../../e2e/helpers/nas.js';
import { median, type BenchRow } from '../bench.js';

const POPUP_RUNS = 15;
const FLEET_HOSTS = 20;
const FLEET_RUNS = 3;

async function call<T>(page: Page, type: string, payload: unknown): Promise<T> {
  const reply = await request<T>(page, type, payload);
  if (!reply.ok) throw new Error(`${type}: ${reply.error.message}`);
  return reply.value;
}

/** Records, inside the page, when the popup's key rows first appear and when the live marker appears. */
const PROBE = `
  globalThis.__name = (fn) => fn;
  globalThis.__marks = {};
  const deep = (root, test) => {
    for (const el of root.querySelectorAll('*')) {
      if (test(el)) return true;
      if (el.shadowRoot && deep(el.shadowRoot, test)) return true;
    }
    return false;
  };
  const tick = () => {
    const m = globalThis.__marks;
    if (m.rows === undefined && deep(document, (el) => el.hasAttribute && el.hasAttribute('data-key-row'))) m.rows = performance.now();
    if (m.live === undefined && deep(document, (el) => el.hasAttribute && el.hasAttribute('data-live'))) m.live = performance.now();
    if (m.rows === undefined || m.live === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

/**
 * The floor under the popup figure: a page of the same extension whose row is already in its
 * HTML (no script, the popup's stylesheet), opened and probed the same way. What this machine
 * needs to show any extension page at all; written into the bench's own build only.
 */
const FLOOR_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title><link rel="stylesheet" href="../shared/page.css"></head><body><div data-key-row data-live>row</div></body></html>';

async function popupBench(): Promise<BenchRow[]> {
  const nas = await startNas({ profile: '25.10' });
  const session = await launch();
  try {
    const setup = await session.open('options/options.html');
    await call(setup, 'vault.setup', { passphrase: 'benchmark passphrase' });
    const { host } = await call<{ host: { id: string } }>(setup, 'hosts.save', { name: 'Bench', address: nas.url, login: 'apiKey', secret: nas.admin.apiKey });
    // Warm: the connection is open and the cache filled, as after any earlier use.
    await call(setup, 'keys.list', { hostId: host.id });
    await setup.evaluate((id) => chrome.storage.local.set({ 'popup.selected': id }), host.id);
    // One earlier opening, long enough for the popup to keep its picture (its first paint).
    const earlier = await session.open('popup/popup.html');
    await setup.waitForFunction(async () => (await chrome.storage.session.get('popup.firstPaint'))['popup.firstPaint'] !== undefined, { timeout: 15_000, polling: 100 });
    await earlier.close();
    await writeFile(join(session.extensionPath, 'popup', 'bench-floor.html'), FLOOR_PAGE);
    const open = async (file: string): Promise<{ rows: number; live: number }> => {
      const page = await session.browser.newPage();
      await page.setViewport({ width: 800, height: 600 });
      await page.evaluateOnNewDocument(PROBE);
      await page.goto(`chrome-extension://${session.extensionId}/popup/${file}`);
      await page.waitForFunction(() => (globalThis as { __marks?: { rows?: number; live?: number } }).__marks?.live !== undefined, { timeout: 15_000 });
      const marks = await page.evaluate(() => (globalThis as unknown as { __marks: { rows: number; live: number } }).__marks);
      await page.close();
      return marks;
    };
    const cached: number[] = [];
    const live: number[] = [];
    const floor: number[] = [];
    // Interleaved, so both see the same machine load.
    for (let i = 0; i < POPUP_RUNS; i++) {
      const marks = await open('popup.html');
      cached.push(marks.rows);
      live.push(marks.live);
      floor.push((await open('bench-floor.html')).rows);
    }
    return [
      { name: 'extension page with its row in the HTML, no script (floor), median', value: Math.round(median(floor)), unit: 'ms', note: `${POPUP_RUNS} opens, interleaved with the popup's` },
      { name: 'popup open → first key list (cached), median', value: Math.round(median(cached)), unit: 'ms', note: `${POPUP_RUNS} opens, warm connection, 10 keys, opened once before` },
      { name: 'popup open → live key list, median', value: Math.round(median(live)), unit: 'ms', note: `${POPUP_RUNS} opens, warm connection` },
    ];
  } finally {
    await session.close();
    await stopAll();
  }
}

async function fleetBench(): Promise<BenchRow[]> {
  const profiles = ['22.02', '24.10', '25.04', '25.10', '26.0'] as const;
  const sims = await Promise.all(Array.from({ length: FLEET_HOSTS }, (_, i) => startNas({ profile: profiles[i % profiles.length] })));
  const session = await launch();
  try {
    const page = await session.open('options/options.html');
    await call(page, 'vault.setup', { passphrase: 'benchmark passphrase' });
    for (const [i, sim] of sims.entries()) {
      await call(page, 'hosts.save', { name: `NAS ${i + 1} (${sim.profile})`, address: sim.url, login: 'apiKey', secret: sim.admin.apiKey, username: sim.admin.username });
    }
    const timed = async (): Promise<{ ms: number; rows: number; failed: number }> => {
      const t0 = performance.now();
      const result = await call<{ rows: unknown[]; hosts: Array<{ state: string }> }>(page, 'keys.fleet', {});
      return { ms: performance.now() - t0, rows: result.rows.length, failed: result.hosts.filter((h) => h.state !== 'ready').length };
    };
    const cold = await timed();
    if (cold.failed) throw new Error(`${cold.failed} hosts failed in the fleet refresh`);
    const warm: number[] = [];
    for (let i = 0; i < FLEET_RUNS; i++) warm.push((await timed()).ms);
    return [
      { name: `All hosts refresh, ${FLEET_HOSTS} hosts, cold (sign-in)`, value: Math.round(cold.ms), unit: 'ms', note: `${cold.rows} keys, profiles 22.02-26.0` },
      { name: `All hosts refresh, ${FLEET_HOSTS} hosts, warm, median`, value: Math.round(median(warm)), unit: 'ms', note: `${FLEET_RUNS} runs` },
    ];
  } finally {
    await session.close();
    await stopAll();
  }
}

/**
 * Every JS file the popup fetches before its first render in `lang`, summed gzip sizes: the
 * scripts and module preloads popup.html names, the modules its first paint starts, what they
 * import statically, and the language's
 * table chunks, which the popup imports dynamically (`en-…`, `de-…`: English is a chunk too).
 */
async function popupLoad(out: string, lang: 'en' | 'de'): Promise<{ gzip: number; files: number }> {
  const seen = new Set<string>();
  let tables = 0;
  const visit = async (path: string): Promise<void> => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = await readFile(path, 'utf8');
    // esbuild's output: static `import{…}from"./x.js"` / `import"./x.js"`; dynamic `import("./x.js")`.
    for (const match of text.matchAll(/(?:from|import)\s*"(\.[^"]+\.js)"/g)) await visit(join(dirname(path), match[1]!));
    for (const match of text.matchAll(/import\(\s*"(\.[^"]*\/([^"/]+)\.js)"\s*\)/g)) {
      if (!match[2]!.startsWith(`${lang}-`)) continue;
      tables++;
      await visit(join(dirname(path), match[1]!));
    }
  };
  const html = await readFile(join(out, 'popup', 'popup.html'), 'utf8');
  const named = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map((m) => m[1] ?? m[2]!);
  // The first paint (a classic script) starts the app's modules by name: count those too.
  for (const script of [...named]) {
    const text = await readFile(join(out, 'popup', script), 'utf8');
    for (const match of text.matchAll(/"([a-z][a-z-]*\.js)"/g)) if (!named.includes(match[1]!)) named.push(match[1]!);
  }
  if (!named.includes('popup.js')) throw new Error('popup.html does not load popup.js');
  for (const file of named) await visit(join(out, 'popup', file));
  // The language's tables must have been found: a renamed chunk would otherwise go uncounted.
  if (tables === 0) throw new Error(`No ${lang} table chunk found for the popup`);
  let gzip = 0;
  for (const path of seen) gzip += gzipSync(await readFile(path), { level: 9 }).length;
  return { gzip, files: seen.size };
}

async function sizeBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const browser of ['chrome', 'firefox'] as const) {
    const out = await buildExtension(browser, { outDir: join(dist, 'bench', `size-${browser}`) });
    let total = 0;
    let totalGzip = 0;
    const files = (await readdir(out, { recursive: true, withFileTypes: true })).filter((f) => f.isFile() && /\.(js|html|css|json)$/.test(f.name));
    for (const file of files.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(file.parentPath, file.name);
      const body = await readFile(path);
      const gz = gzipSync(body, { level: 9 }).length;
      total += body.length;
      totalGzip += gz;
      if (/\.(js|css)$/.test(file.name)) rows.push({ name: `${browser} ${relative(out, path)} gzip`, value: gz, unit: 'bytes', note: `${body.length} bytes minified` });
    }
    rows.push({ name: `${browser} total (js/html/css/json) gzip`, value: totalGzip, unit: 'bytes', note: `${total} bytes minified, ${files.length} files` });
    // The popup is split into chunks: what opening it loads is its scripts, every chunk they
    // import statically, and the chunks of the language it shows (what the budget is about).
    for (const lang of ['en', 'de'] as const) {
      const loaded = await popupLoad(out, lang);
      rows.push({ name: `${browser} popup JS loaded at open (${lang}) gzip`, value: loaded.gzip, unit: 'bytes', note: `${loaded.files} files, each gzipped` });
    }
  }
  return rows;
}

export default async function run(): Promise<BenchRow[]> {
  return [...(await sizeBench()), ...(await popupBench()), ...(await fleetBench())];
}
