/**
 * The popup's first paint (extension/shared/first-paint.ts): the last picture of the key list,
 * shown inert the moment the popup opens and replaced by the real app in the same place; kept
 * only while the vault is unlocked, never with a secret, never when damaged, forged or run out.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { addHost, createVault, PASSPHRASE } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { delay, launch, request, type Session } from './helpers/session.js';
import { popupRows } from './helpers/popup.js';
import { fill, find, click } from './helpers/ui.js';

const KEY_TEXT = /\d+-[A-Za-z0-9]{64}/;
const HOSTILE = '<img src=x onerror="window.__pwned=1">\u202Egnp.exe\u0007';
let session: Session;
let lab: RunningSimulator;
/** An extension page to read and write storage.session from (it is not the popup). */
let options: Page;

interface Seen {
  /** When the first paint appeared, and what it showed: row names and boxes, header and footer boxes. */
  frame?: { inert: boolean; hidden: string | null; names: string[]; rows: number[][]; header: number[]; footer: number[]; images: number };
  /** The same from the real app once the first paint had gone. */
  app?: { names: string[]; rows: number[][]; header: number[]; footer: number[] };
  pwned?: boolean;
}

/**
 * Watches an opening: records the first paint's rows at its first frame, and the app's once the
 * first paint has gone (both as boxes in the page, rounded to the pixel).
 */
const WATCH = `(() => {
  globalThis.__name = (fn) => fn;
  const seen = (globalThis.__seen = {});
  const box = (el) => { if (!el) return []; const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round); };
  const deepAll = (root, selector, out = []) => {
    if (root.shadowRoot) deepAll(root.shadowRoot, selector, out);
    for (const el of root.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el);
      if (el.shadowRoot) deepAll(el.shadowRoot, selector, out);
    }
    return out;
  };
  const picture = (root) => {
    const rows = deepAll(root, '[data-key-row]');
    return {
      names: rows.map((r) => (r.querySelector('[data-col="name"]')?.textContent ?? '').trim()),
      rows: rows.slice(0, 5).map(box),
      header: box(deepAll(root, 'header')[0]),
      footer: box(deepAll(root, 'footer')[0]),
    };
  };
  const tick = () => {
    const frame = document.getElementById('first-paint');
    if (frame && !seen.frame) seen.frame = { inert: frame.inert, hidden: frame.getAttribute('aria-hidden'), images: deepAll(frame, 'img').filter((i) => !i.src.endsWith('.png')).length, ...picture(frame) };
    const app = document.querySelector('nkm-popup-app');
    if (!frame && app && seen.frame && !seen.app) {
      const now = picture(app);
      if (now.names.length) seen.app = now;
    }
    seen.pwned = globalThis.__pwned === 1;
    if (!seen.app) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** The kept picture (the background keeps it as one JSON string), parsed; null when none is kept. */
async function storedPicture(): Promise<unknown> {
  const kept = await options.evaluate(async () => (await chrome.storage.session.get('popup.firstPaint'))['popup.firstPaint'] ?? null);
  return typeof kept === 'string' ? (JSON.parse(kept) as unknown) : kept;
}

/** Writes a picture straight into storage.session, as a bug or another extension page could. */
async function putPicture(picture: unknown): Promise<void> {
  await options.evaluate((value) => chrome.storage.session.set({ 'popup.firstPaint': value }), typeof picture === 'string' ? picture : JSON.stringify(picture));
}

async function waitForPicture(predicate: (json: string) => boolean = () => true, timeout = 15_000): Promise<string> {
  const until = Date.now() + timeout;
  for (;;) {
    const picture = await storedPicture();
    const json = picture === null ? '' : JSON.stringify(picture);
    if (json && predicate(json)) return json;
    if (Date.now() > until) throw new Error(`no picture was kept within ${timeout} ms`);
    await delay(100);
  }
}

/** Opens the popup as a user would, watched from its first script on. */
async function openWatched(width = 400): Promise<Page> {
  const page = await session.browser.newPage();
  await page.setViewport({ width, height: 600 });
  await page.evaluateOnNewDocument(WATCH);
  await page.goto(`chrome-extension://${session.extensionId}/popup/popup.html`);
  return page;
}

async function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => (globalThis as unknown as { __seen: Seen }).__seen);
}

/** Waits until the app shows its rows (and, if there was a first paint, the app replaced it). */
async function waitForApp(page: Page): Promise<Seen> {
  await page.waitForFunction(
    () => {
      const watched = (globalThis as unknown as { __seen: Seen }).__seen;
      if (watched.frame) return watched.app !== undefined;
      const app = document.querySelector('nkm-popup-app')?.shadowRoot;
      return Boolean(app?.querySelector('nkm-unlock-form') ?? app?.querySelector('nkm-key-list')?.shadowRoot?.querySelector('[data-key-row]'));
    },
    { timeout: 30_000 },
  );
  return seen(page);
}

before(async () => {
  lab = await startNas({ profile: '25.10' });
  await lab.command('createKey', { name: HOSTILE });
  session = await launch();
  options = await session.open('options/options.html');
  await createVault(options);
  await addHost(options, { name: 'Lab', address: lab.url, secret: lab.admin.apiKey });
  const state = await request<{ hosts: Array<{ id: string }> }>(options, 'app.state', null);
  assert.ok(state.ok && state.value.hosts[0]);
  // The popup shows this host (as if the user had chosen it earlier).
  await options.evaluate((id) => chrome.storage.local.set({ 'popup.selected': id }), state.value.hosts[0].id);
});
after(async () => {
  await session?.close();
  await stopAll();
});

test('an opening paints the last key list at once, inert, and the app replaces it in the same place', async () => {
  // An earlier use: the popup shows the list and keeps its picture.
  const first = await openWatched();
  const json = await waitForPicture((j) => j.includes('data-key-row'));
  await first.close();
  assert.doesNotMatch(json, KEY_TEXT, 'the picture holds no key');
  assert.ok(!json.includes(lab.admin.apiKey), 'nor the host credential');
  assert.ok(!/"t":"(dialog|script|input","a":\{[^}]*value)/.test(json), 'nor a dialog, a script or an input value');

  for (const width of [360, 400, 800]) {
    const page = await openWatched(width);
    const { frame, app, pwned } = await waitForApp(page);
    assert.ok(frame, `the first paint showed at ${width} px`);
    assert.ok(app, `the app replaced it at ${width} px`);
    assert.equal(frame.inert, true);
    assert.equal(frame.hidden, 'true');
    assert.ok(frame.names.length > 0);
    assert.deepEqual(frame.names, app.names.slice(0, frame.names.length), 'the same keys, in the same order');
    assert.ok(frame.names.includes(HOSTILE.replace('\u0007', '').trim()) || frame.names.some((n) => n.includes('gnp.exe')), 'a hostile name is there as text');
    assert.equal(frame.images, 0, 'no element came from a name');
    assert.equal(pwned, false);
    // No jump when the app takes over: the same boxes, to the pixel.
    assert.deepEqual(frame.header, app.header, `header at ${width} px`);
    assert.deepEqual(frame.footer, app.footer, `footer at ${width} px`);
    assert.deepEqual(frame.rows, app.rows.slice(0, frame.rows.length), `rows at ${width} px`);
    assert.equal(await page.evaluate(() => document.getElementById('first-paint')), null, 'and it is gone');
    await page.close();
  }
});

test('searching does not become the picture: the next opening paints the whole list', async () => {
  const page = await openWatched();
  await waitForApp(page);
  const rows = await popupRows(page);
  const pictured = (json: string): number => json.split('"data-key-row"').length - 1;
  await waitForPicture((json) => pictured(json) > 2);
  await fill(page, '>>> nkm-key-list >>> input[name="search"]', rows[0]?.name ?? 'x');
  await page.waitForFunction(() => (document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-key-list')?.shadowRoot?.querySelectorAll('[data-key-row]').length ?? 0) < 3);
  // Nothing to wait for: a capture would come 400 ms after the change.
  await delay(1000);
  assert.ok(pictured(await waitForPicture()) > 2, 'the picture still shows the whole list');
  await page.close();
});

test('a lock forgets the picture: the next opening shows the lock screen and nothing of the keys', async () => {
  await waitForPicture();
  assert.ok((await request(options, 'vault.lock', null)).ok);
  assert.equal(await storedPicture(), null);
  const page = await openWatched();
  await find(page, '>>> nkm-unlock-form');
  assert.equal((await seen(page)).frame, undefined, 'no first paint while locked');
  // Unlocking and showing the list keeps a new picture.
  await fill(page, '>>> nkm-unlock-form >>> input[name="passphrase"]', PASSPHRASE);
  await click(page, '>>> nkm-unlock-form >>> button[type="submit"]');
  await find(page, '>>> nkm-key-list >>> [data-key-row]');
  await waitForPicture();
  await page.close();
});

test('the picture never outlives the idle lock', async () => {
  const json = await waitForPicture();
  const state = await request<{ vault: { autoLockAt: number | null } }>(options, 'app.state', null);
  assert.ok(state.ok && state.value.vault.autoLockAt !== null);
  assert.ok((JSON.parse(json) as { validUntil: number }).validUntil <= state.value.vault.autoLockAt);
});

test('a damaged, forged, foreign or run-out picture is not shown', async () => {
  const good = JSON.parse(await waitForPicture()) as Record<string, unknown> & { tree: { s?: { c: unknown[] } } };
  const bad: Array<[string, unknown]> = [
    ['a script element', { ...good, tree: { t: 'div', s: { sheets: [], c: [{ t: 'script', c: ['window.__pwned=1'] }] } } }],
    ['an event handler', { ...good, tree: { t: 'div', a: { onclick: 'window.__pwned=1' }, c: ['x'] } }],
    ['a foreign image', { ...good, tree: { t: 'img', a: { src: 'https://evil.example/x.png' } } }],
    ['a style that fetches', { ...good, styles: [...(good['styles'] as string[]), ':host { background: url(https://evil.example/beacon) }'] }],
    ['another selection', { ...good, selected: 'all' }],
    ['another language', { ...good, lang: 'de' }],
    ['run out', { ...good, validUntil: Date.now() - 1 }],
    ['not a picture', 'hello'],
    ['not JSON', '{"v":1,'],
  ];
  for (const [what, picture] of bad) {
    await putPicture(picture);
    const page = await openWatched();
    await waitForApp(page);
    const watched = await seen(page);
    assert.equal(watched.frame, undefined, `${what}: not shown`);
    assert.equal(watched.pwned, false);
    await page.close();
  }
  // The good one, put back, is shown (so the refusals above are the checks', not chance).
  await putPicture(good);
  assert.equal(JSON.stringify(await storedPicture()), JSON.stringify(good), 'put back');
  const control = await openWatched();
  assert.ok((await waitForApp(control)).frame, `the intact picture is shown (valid for ${Number(good['validUntil']) - Date.now()} ms more)`);
  await control.close();
  // And the background refuses to keep one.
  for (const [what, picture] of bad.slice(0, 4)) {
    const reply = await request(options, 'popup.firstPaint', picture);
    assert.equal(!reply.ok && reply.error.code, 'bad-request', what);
  }
  const huge = { ...good, styles: ['x'.repeat(600 * 1024)] };
  const reply = await request(options, 'popup.firstPaint', huge);
  assert.equal(!reply.ok && reply.error.code, 'bad-request', 'too large');
});

test('a host or settings change forgets the picture', async () => {
  const page = await openWatched();
  await waitForApp(page);
  await waitForPicture();
  await page.close();
  // A capture the closing page had already sent may still land; let it, then change a setting.
  await delay(800);
  assert.ok((await request(options, 'settings.update', { expiringDays: 20 })).ok);
  assert.equal(await storedPicture(), null);
});
