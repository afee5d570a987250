#!/usr/bin/env node
// `npm run screenshots`: renders every state of the toolbar popup (360, 400, 800 px), the demo page
// and the extension's full view (375, 800, 1280 px) in English, German, right-to-left and dark into
// dist/screenshots, so a person can look at all of them. Headless system Chromium (puppeteer-core),
// the built extension (a test build, for the vault-refuses-a-key state) loaded as the e2e tests
// load it, simulated NAS hosts from scripts/simulator. The popup is driven
// only through its agreed DOM hooks (docs/extension.md); a state it cannot reach is listed at the
// end instead of failing the run, so the pictures always match what is on the branch.
/* global document, getComputedStyle, requestAnimationFrame, chrome -- code in page.evaluate() runs in the page */
import { createServer } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative } from 'node:path';
import puppeteer from 'puppeteer-core';
import { tsImport } from 'tsx/esm/api';
import { buildDemo, buildExtension, dist } from './build.mjs';
import { chromiumArgs, ensureChromium } from './lib/chromium.mjs';

const { startSimulator } = await tsImport('./simulator/index.ts', import.meta.url);

const OUT = join(dist, 'screenshots');
const POPUP_WIDTHS = [360, 400, 800];
const DEMO_WIDTHS = [375, 800, 1280];
const POPUP_HEIGHT = 600; // Chrome's largest popup: what is below it needs scrolling
const DEMO_HEIGHT = 900;
const PASSPHRASE = 'correct horse battery staple';
/** English light, English right-to-left, English dark, German, and forced colours. */
const VARIANTS = [
  { name: 'en', lang: 'en', dir: 'ltr', scheme: 'light' },
  { name: 'rtl', lang: 'en', dir: 'rtl', scheme: 'light' },
  { name: 'dark', lang: 'en', dir: 'ltr', scheme: 'dark' },
  { name: 'de', lang: 'de', dir: 'ltr', scheme: 'light' },
  // Windows High Contrast and other forced palettes (forced-colors: active).
  { name: 'forced', lang: 'en', dir: 'ltr', scheme: 'dark', forced: true },
];
// `npm run screenshots -- popup` or `-- demo dark`: only those parts and variants.
const args = process.argv.slice(2);
const parts = args.filter((a) => a === 'popup' || a === 'demo');
const picked = VARIANTS.filter((v) => !args.some((a) => VARIANTS.some((w) => w.name === a)) || args.includes(v.name));

const missed = [];
let written = 0;
const sims = new Set();

async function sim(options = {}) {
  const s = await startSimulator({ host: '127.0.0.1', port: 0, loginDelay: false, ...options });
  sims.add(s);
  return s;
}

async function stopSim(s) {
  sims.delete(s);
  await s.close();
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for the first of `selectors` (puppeteer `>>>` pierces shadow roots) to be visible. */
async function any(page, selectors, timeout = 10_000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const selector of selectors) {
      const handle = await page.$(selector).catch(() => null);
      if (handle && (await handle.isVisible().catch(() => false))) return handle;
    }
    await delay(100);
  }
  throw new Error(`none visible: ${selectors.join(' | ')}`);
}

/** Lets layout, fonts and Lit updates settle before a picture. */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.evaluate(() => document.fonts?.ready);
}

async function applyLook(page, variant) {
  // Straight through CDP: puppeteer's own helper does not know forced-colors.
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setEmulatedMedia', {
    features: [
      { name: 'prefers-color-scheme', value: variant.scheme },
      { name: 'forced-colors', value: variant.forced ? 'active' : 'none' },
    ],
  });
}

/** Scroll containers (in any shadow root) whose content is wider than they are, by name and amount. */
function sidewaysScrollers(page) {
  return page.evaluate(() => {
    const found = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        const { overflowX } = getComputedStyle(el);
        const over = el.scrollWidth - el.clientWidth;
        if ((overflowX === 'auto' || overflowX === 'scroll') && over > 1 && el.clientWidth > 0) {
          const name = `${el.localName}${el.getAttribute('part') ? `::part(${el.getAttribute('part')})` : el.className ? `.${String(el.className).split(' ')[0]}` : ''}`;
          found.push(`${name} in <${root.host?.localName ?? 'document'}> scrolls sideways by ${over} px`);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return found;
  });
}

/** One picture per width of the state the page is in now. */
async function shoot(page, prefix, state, widths, height) {
  for (const width of widths) {
    await page.setViewport({ width, height });
    await settle(page);
    const file = join(OUT, `${prefix}-${state}-${width}.png`);
    await page.screenshot({ path: file });
    // What the issue measures: does the page scroll sideways at this width?
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (wide > 0) console.log(`  ! ${relative(dist, file)}: the page is ${wide} px wider than the window`);
    for (const box of await sidewaysScrollers(page)) console.log(`  ! ${relative(dist, file)}: ${box}`);
    written++;
  }
}

/** Runs one state; when it cannot be reached the reason is recorded and the run goes on. */
async function state(page, prefix, name, run) {
  try {
    await run();
  } catch (error) {
    missed.push(`${prefix}-${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    // What the page showed instead, for whoever looks into it.
    await mkdir(join(OUT, 'not-reached'), { recursive: true });
    await page.screenshot({ path: join(OUT, 'not-reached', `${prefix}-${name}.png`) }).catch(() => {});
  }
}

// ---- the extension popup ----------------------------------------------------------------------

async function buildPopupExtension(dir) {
  // Test hooks: the unsaved-key state needs a vault that refuses a key (a full quota), on demand.
  const path = await buildExtension('chrome', { outDir: join(dir, 'chrome'), testHooks: true });
  // As in the e2e tests: loopback host access granted at install (no one answers a prompt here).
  const manifestPath = join(path, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  manifest.host_permissions = ['http://127.0.0.1/*', 'http://localhost/*'];
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return path;
}

function send(page, type, payload) {
  return page.evaluate((t, p) => chrome.runtime.sendMessage({ channel: 'nkm/1', type: t, payload: p }), type, payload);
}

async function ok(page, type, payload) {
  const reply = await send(page, type, payload);
  if (!reply?.ok) throw new Error(`${type}: ${JSON.stringify(reply?.error ?? reply)}`);
  return reply.value;
}

async function saveHost(page, input) {
  const value = await ok(page, 'hosts.save', { login: 'apiKey', ...input });
  // hosts.save replies with the host, or with { host, report } once it tests the sign-in.
  return value.host ?? value;
}

async function popupRun(variants, extensionPath) {
  const lang = variants[0].lang;
  const userDataDir = await mkdtemp(join(tmpdir(), 'nkm-shots-profile-'));
  const browser = await puppeteer.launch({
    executablePath: ensureChromium({ quiet: true }),
    headless: true,
    pipe: true,
    userDataDir,
    enableExtensions: [extensionPath],
    args: [...chromiumArgs, `--lang=${lang}`, `--accept-lang=${lang}`],
  });
  try {
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 15_000 });
    const id = new URL(worker.url()).host;
    const welcome = await browser.waitForTarget((t) => t.url() === `chrome-extension://${id}/options/options.html`, { timeout: 5000 }).catch(() => null);
    await (await welcome?.page())?.close();
    const open = async (variant) => {
      const page = await browser.newPage();
      await applyLook(page, variant);
      await page.setViewport({ width: POPUP_WIDTHS[0], height: POPUP_HEIGHT });
      await page.goto(`chrome-extension://${id}/popup/popup.html`);
      await any(page, ['>>> main', '>>> header', '>>> input[name="passphrase"]']);
      if (variant.dir === 'rtl') await page.evaluate(() => (document.documentElement.dir = 'rtl'));
      return page;
    };
    /** Arms a test fault in the background (test build), e.g. the vault refusing the next key. */
    const fault = async (point, kind) => {
      const isWorker = (t) => t.type() === 'service_worker' && t.url().endsWith('/background.js');
      const target = browser.targets().find(isWorker) ?? (await browser.waitForTarget(isWorker, { timeout: 15_000 }));
      await (await target.worker()).evaluate((p, k) => globalThis.__nkmTest.fail(p, k), point, kind);
    };
    const control = await browser.newPage();
    await control.goto(`chrome-extension://${id}/options/options.html`);

    // First run: no vault yet, then a vault with no host.
    for (const variant of variants) {
      const prefix = `popup-${variant.name}`;
      const page = await open(variant);
      await state(page, prefix, 'welcome', async () => {
        await any(page, ['>>> button[name="open-settings"]']);
        await shoot(page, prefix, 'welcome', POPUP_WIDTHS, POPUP_HEIGHT);
      });
      await page.close();
    }
    await ok(control, 'vault.setup', { passphrase: PASSPHRASE });
    for (const variant of variants) {
      const prefix = `popup-${variant.name}`;
      const page = await open(variant);
      await state(page, prefix, 'no-hosts', async () => {
        await any(page, ['>>> button[name="open-settings"]', '>>> button[name="add-host"]']);
        await shoot(page, prefix, 'no-hosts', POPUP_WIDTHS, POPUP_HEIGHT);
      });
      await page.close();
    }

    const lab = await sim({ profile: '25.10' });
    const old = await sim({ profile: '24.10' });
    const down = await sim({ profile: '25.10' });
    const downUrl = down.url;
    await stopSim(down);
    const labHost = await saveHost(control, { name: 'Lab', address: lab.url, secret: lab.admin.apiKey });
    await saveHost(control, { name: 'Backup NAS', address: old.url, secret: old.admin.apiKey });
    const downHost = await saveHost(control, { name: 'Offline NAS', address: downUrl, secret: lab.admin.apiKey, saveAnyway: true }).catch(() => null);

    for (const variant of variants) {
      const prefix = `popup-${variant.name}`;
      console.log(`[screenshots] ${prefix}`);
      await ok(control, 'vault.lock', null);
      const page = await open(variant);
      const shot = (name) => shoot(page, prefix, name, POPUP_WIDTHS, POPUP_HEIGHT);
      const chooseHost = async (value) => {
        const select = await any(page, ['>>> select[name="host"]']);
        await select.select(value);
      };
      const rows = (host) => any(page, [host ? `>>> [data-key-row][data-host-id="${host}"]` : '>>> [data-key-row]', '>>> api-key-table >>> [role="row"][data-row]'], 20_000);

      await state(page, prefix, 'lock', async () => {
        const field = await any(page, ['>>> input[name="passphrase"]']);
        await shot('lock');
        await field.type(PASSPHRASE);
        await field.press('Enter');
        const unlocked = ['>>> select[name="host"]', '>>> [data-key-row]'];
        if (!(await any(page, unlocked, 15_000).catch(() => null))) {
          // A visible defect worth reporting, not a reason to stop: the list came only after a reload.
          missed.push(`${prefix}-unlock: no host list after unlocking until the popup was reopened`);
          await page.reload();
          if (variant.dir === 'rtl') await page.evaluate(() => (document.documentElement.dir = 'rtl'));
          await any(page, unlocked, 15_000);
        }
      });
      await state(page, prefix, 'keys', async () => {
        await chooseHost(labHost.id);
        await rows(labHost.id);
        await shot('keys');
      });
      await state(page, prefix, 'search-empty', async () => {
        const search = await any(page, ['>>> input[name="search"]', '>>> api-key-table >>> input[type="search"]']);
        await search.type('no-such-key');
        await any(page, ['>>> [data-empty]', '>>> [role="status"]']);
        await delay(400); // the search is debounced
        await shot('search-empty');
        await search.click({ count: 3 });
        await search.press('Backspace');
      });
      await state(page, prefix, 'all-hosts', async () => {
        await chooseHost('all');
        await rows();
        await shot('all-hosts');
      });
      await state(page, prefix, 'row-menu', async () => {
        await chooseHost(labHost.id);
        await rows(labHost.id);
        await (await any(page, [`>>> [data-key-row][data-host-id="${labHost.id}"] button[name="row-menu"]`, '>>> button[name="row-menu"]'])).click();
        await any(page, ['>>> [role="menuitem"][data-action="quick-reset"]']);
        await shot('row-menu');
      });
      await state(page, prefix, 'quick-reset-confirm', async () => {
        await (await any(page, ['>>> [role="menuitem"][data-action="quick-reset"]'])).click();
        await any(page, ['>>> dialog[open] button[name="confirm-quick-reset"]', '>>> dialog[open] button.primary']);
        await shot('quick-reset-confirm');
      });
      await state(page, prefix, 'quick-reset-result', async () => {
        await (await any(page, ['>>> dialog[open] button[name="confirm-quick-reset"]', '>>> dialog[open] button.primary'])).click();
        await any(page, ['>>> [data-quick-reset-done]'], 30_000);
        await shot('quick-reset-result');
      });
      await state(page, prefix, 'unsaved-key', async () => {
        // A quick reset whose new key the vault cannot take (quota full): the result says so, the
        // key is shown once more, and closing it before it was copied asks first.
        await (await any(page, ['>>> button[name="dismiss-done"]'])).click();
        await fault('keep', 'quota');
        const menus = await page.$$(`>>> [data-key-row][data-host-id="${labHost.id}"] >>> button[name="row-menu"]`);
        await (menus[1] ?? menus[0]).click();
        await (await any(page, ['>>> [role="menuitem"][data-action="quick-reset"]'])).click();
        await (await any(page, ['>>> dialog[open] button[name="confirm-quick-reset"]'])).click();
        await any(page, ['>>> [data-quick-reset-done] [data-stored="no"]'], 30_000);
        await shot('quick-reset-unsaved');
        await (await any(page, ['>>> button[name="show-new-key"]'])).click();
        await any(page, ['>>> key-reveal-dialog >>> [part~="copy-button"]']);
        await shot('unsaved-key');
        await (await any(page, ['>>> key-reveal-dialog >>> [part~="close-button"]'])).click();
        await any(page, ['>>> key-reveal-dialog >>> [part~="discard-button"]'], 5000);
        await shot('unsaved-key-confirm');
        await (await any(page, ['>>> key-reveal-dialog >>> [part~="discard-button"]'])).click();
      });
      await page.keyboard.press('Escape');
      await state(page, prefix, 'vault', async () => {
        await (await any(page, ['>>> button[name="vault"]', '>>> button[name="tab-vault"]', '>>> [data-view="vault"]'], 5000)).click();
        await any(page, ['>>> nkm-vault-view >>> li[data-entry-id]', '>>> nkm-vault-view']);
        await shot('vault');
        await (await any(page, ['>>> button[name="keys"]', '>>> button[name="tab-keys"]', '>>> [data-view="keys"]'], 3000)).click();
      });
      await state(page, prefix, 'host-down', async () => {
        if (!downHost) throw new Error('the host that is down could not be saved');
        await chooseHost(downHost.id);
        await any(page, ['>>> [data-connection-state="offline"]', '>>> [role="alert"]', '>>> .alert'], 30_000);
        await shot('host-down');
      });
      await state(page, `full-${variant.name}`, 'manager', async () => {
        // The full view in a tab, at the demo's widths.
        const full = await browser.newPage();
        await applyLook(full, variant);
        await full.setViewport({ width: DEMO_WIDTHS[0], height: DEMO_HEIGHT });
        await full.goto(`chrome-extension://${id}/manager/manager.html?host=${encodeURIComponent(labHost.id)}`);
        if (variant.dir === 'rtl') await full.evaluate(() => (document.documentElement.dir = 'rtl'));
        await any(full, ['>>> api-key-manager >>> api-key-table >>> [role="row"][data-row]', '>>> api-key-manager >>> [data-key-row]'], 30_000);
        await shoot(full, `full-${variant.name}`, 'manager', DEMO_WIDTHS, DEMO_HEIGHT);
        await full.close();
      });
      await page.close();
    }
    await stopSim(lab);
    await stopSim(old);
  } finally {
    await browser.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

// ---- the demo page --------------------------------------------------------------------------------

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

/** Serves dist/demo and a demo-config.json for the simulator of the moment (as `npm start` does). */
async function demoServer(root, current) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/demo-config.json') {
      const s = current();
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' });
      res.end(JSON.stringify({ simulatorUrl: s.url, profile: s.profile, admin: { username: s.admin.username, password: s.admin.password } }));
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (relative(root, file).startsWith('..')) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/** Deep query helpers evaluated in the page (manager > table/form/dialogs). */
const inManager = (inner) => `>>> api-key-manager >>> ${inner}`;

async function demoRun(variants) {
  const root = await buildDemo();
  let current = await sim({ profile: '25.10' });
  const { server, url } = await demoServer(root, () => current);
  const browser = await puppeteer.launch({ executablePath: ensureChromium({ quiet: true }), headless: true, pipe: true, args: chromiumArgs });
  try {
    for (const variant of variants) {
      const prefix = `demo-${variant.name}`;
      console.log(`[screenshots] ${prefix}`);
      await stopSim(current);
      current = await sim({ profile: '25.10' });
      const page = await browser.newPage();
      await applyLook(page, variant);
      await page.setViewport({ width: DEMO_WIDTHS[0], height: DEMO_HEIGHT });
      await page.goto(url);
      // The demo's own switches, as a person would use them.
      await page.select('#lang', variant.lang);
      await page.select('#dir', variant.dir);
      await page.select('#scheme', variant.scheme === 'dark' ? 'dark' : 'auto');
      const shot = (name) => shoot(page, prefix, name, DEMO_WIDTHS, DEMO_HEIGHT);

      await state(page, prefix, 'list', async () => {
        await page.waitForFunction(() => (document.querySelector('api-key-manager')?.shadowRoot?.querySelector('api-key-table')?.shadowRoot?.textContent ?? '').includes('ci-backup'), { timeout: 30_000 });
        await shot('list');
      });
      await state(page, prefix, 'form', async () => {
        await (await any(page, [inManager('[part~="add-button"]')])).click();
        await any(page, ['>>> api-key-form >>> input[name="name"]']);
        await shot('form');
      });
      await state(page, prefix, 'reveal', async () => {
        const name = await any(page, ['>>> api-key-form >>> input[name="name"]']);
        await name.type('screenshot-key');
        await (await any(page, ['>>> api-key-form >>> [part~="submit-button"]'])).click();
        await any(page, ['>>> key-reveal-dialog >>> [part~="copy-button"]'], 30_000);
        await shot('reveal');
      });
      await state(page, prefix, 'unsaved-key', async () => {
        await (await any(page, ['>>> key-reveal-dialog >>> [part~="close-button"]'])).click();
        await any(page, ['>>> key-reveal-dialog >>> [part~="confirm"]', '>>> key-reveal-dialog >>> [part~="discard-button"]', '>>> key-reveal-dialog >>> button.danger'], 5000);
        await shot('unsaved-key');
        await (await any(page, ['>>> key-reveal-dialog >>> [part~="discard-button"]', '>>> key-reveal-dialog >>> button.danger'])).click();
      });
      await state(page, prefix, 'delete', async () => {
        await page.keyboard.press('Escape');
        const action = await any(page, [inManager('api-key-table >>> button[data-action="delete"]'), inManager('api-key-table >>> button[name="row-menu"]')]);
        await action.click();
        const item = await page.$(inManager('api-key-table >>> [role="menuitem"][data-action="delete"]'));
        if (item) await item.click();
        await any(page, ['>>> delete-key-dialog >>> dialog[open]', '>>> delete-key-dialog >>> input[type="checkbox"]']);
        await shot('delete');
        await page.keyboard.press('Escape');
      });
      await state(page, prefix, 'error', async () => {
        // The NAS goes away and the page reloads its keys: the table must say so and offer Retry.
        await stopSim(current);
        await page.evaluate(() => void document.querySelector('api-key-manager')?.reload());
        await any(page, [inManager('api-key-table >>> [part~="error"]'), inManager('[role="alert"]'), inManager('api-key-table >>> [role="alert"]')], 45_000);
        await shot('error');
        current = await sim({ profile: '25.10' });
      });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

// ---- run ------------------------------------------------------------------------------------------

const started = Date.now();
// A partial run keeps the other pictures; a full run starts clean.
if (!args.length) await rm(OUT, { recursive: true, force: true });
await rm(join(OUT, 'not-reached'), { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const scratch = await mkdtemp(join(tmpdir(), 'nkm-shots-'));
try {
  if (!parts.length || parts.includes('popup')) {
    const extension = await buildPopupExtension(scratch);
    // The browser's language decides the extension's; one browser per language.
    for (const lang of ['en', 'de']) {
      const variants = picked.filter((v) => v.lang === lang);
      if (variants.length) await popupRun(variants, extension);
    }
  }
  if (!parts.length || parts.includes('demo')) await demoRun(picked);
} finally {
  await Promise.all([...sims].map((s) => stopSim(s)));
  await rm(scratch, { recursive: true, force: true });
}
console.log(`[screenshots] ${written} pictures in ${relative(process.cwd(), OUT)} (${Math.round((Date.now() - started) / 1000)} s)`);
if (missed.length) {
  console.log(`[screenshots] ${missed.length} states not reached (the page has no such state or hook yet):`);
  for (const line of missed) console.log(`  - ${line}`);
}
