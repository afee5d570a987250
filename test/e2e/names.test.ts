/**
 * Hostile key names in the real extension: a simulated 25.10 NAS holds keys with bidi overrides,
 * tabs, blank names, a 10,000-character name, escape sequences, an RTL name and markup. The popup
 * (one host and All hosts), the quick reset confirm and done texts and the vault view show them
 * as display text: markers for hidden characters, isolated, blank ones as "(unnamed key N)",
 * nothing wider than its place, markup inert.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { addHost, createVault } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { delay, launch, type Session } from './helpers/session.js';
import { popupRowAction, popupRows } from './helpers/popup.js';
import { click, find, textOf, waitForText } from './helpers/ui.js';

const LONG = 'long-name-'.repeat(1000);
const BIDI = 'backup-\u202Etxt.exe\u202C-job';
const BIDI_SHOWN = 'backup-\\u{202e}txt.exe\\u{202c}-job';
/** Name on the NAS, and what the user must see (null: "(unnamed key <id>)"). */
const NAMES: Array<[string, string | null]> = [
  [BIDI, BIDI_SHOWN],
  ['tab\there', 'tab\\u{9}here'],
  [' ', null],
  ['', null],
  [LONG, LONG],
  ['nul\u0000', 'nul\\u{0}'],
  ['\u001b[31mred', '\\u{1b}[31mred'],
  ['مفتاح', 'مفتاح'],
  ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
];

let session: Session;
let popup: Page;
let lab: RunningSimulator;
const expected: string[] = [];

/** Every rendered name of the popup's key list: text, whether it is isolated, whether it overflows its row, and no payload element. */
async function nameCells(page: Page) {
  return page.evaluate(() => {
    const out: Array<{ text: string; isolated: boolean; overflows: boolean }> = [];
    let payload = false;
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName === 'img' && !el.closest('.brand')) payload = true;
        if (el.localName === 'nkm-key-list' && el.shadowRoot) {
          for (const row of el.shadowRoot.querySelectorAll<HTMLElement>('[data-key-row]')) {
            const value = row.querySelector<HTMLElement>('[data-col="name"]')!;
            const cell = value.parentElement!;
            const bdi = value.querySelector('bdi');
            const a = value.getBoundingClientRect();
            const b = cell.getBoundingClientRect();
            out.push({
              text: (value.textContent ?? '').replace(/\s+/g, ' ').trim(),
              isolated: bdi !== null && getComputedStyle(bdi).unicodeBidi === 'isolate',
              overflows: cell.scrollWidth > cell.clientWidth + 1 || row.scrollWidth > row.clientWidth + 1 || a.right > b.right + 1 || a.left < b.left - 1,
            });
          }
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return { cells: out, payload };
  });
}

async function waitForNames(page: Page): Promise<void> {
  const until = Date.now() + 30_000;
  let names: string[] = [];
  while (Date.now() < until) {
    names = (await popupRows(page)).map((r) => r.name);
    if (expected.every((n) => names.includes(n.replace(/\s+/g, ' ').trim()))) return;
    await delay(100);
  }
  assert.fail(`names never all shown; last: ${JSON.stringify(names.map((n) => n.slice(0, 40)))}`);
}

before(async () => {
  lab = await startNas({ profile: '25.10' });
  for (const [name, shown] of NAMES) {
    const { id } = (await lab.command('createKey', { name })) as { id: number };
    expected.push(shown ?? `(unnamed key ${id})`);
  }
  session = await launch();
  const options = await session.open('options/options.html');
  await createVault(options);
  await addHost(options, { name: 'Lab', address: lab.url, secret: lab.admin.apiKey });
  await options.close();
  popup = await session.open('popup/popup.html');
  await popup.setViewport({ width: 800, height: 600 });
});
after(async () => {
  await session?.close();
  await stopAll();
});

test('All hosts and the host view show every hostile name as isolated display text within its cell', async () => {
  for (const view of ['all', 'host']) {
    if (view === 'host') {
      const select = await find(popup, '>>> select[name="host"]');
      const value = await select.evaluate((el) => [...(el as HTMLSelectElement).options].find((o) => o.text === 'Lab')!.value);
      await select.select(value);
    }
    await waitForNames(popup);
    const { cells, payload } = await nameCells(popup);
    assert.equal(payload, false, `${view}: markup stays text`);
    for (const name of expected) {
      const cell = cells.find((c) => c.text === name.replace(/\s+/g, ' ').trim());
      assert.ok(cell, `${view}: ${name.slice(0, 40)} shown`);
      assert.equal(cell.overflows, false, `${view}: ${name.slice(0, 40)} stays in its cell`);
      if (!name.startsWith('(unnamed key ')) assert.equal(cell.isolated, true, `${view}: ${name.slice(0, 40)} isolated`);
    }
    assert.ok(cells.every((c) => !/[\p{Cc}\u202a-\u202e]/u.test(c.text)), `${view}: no raw controls`);
  }
  // Each row names its host, in the host view too (the popup's compact rows always do).
  assert.ok((await popupRows(popup)).every((r) => r.host === 'Lab'), 'every row names its host');
});

test('quick reset confirm and done texts and the vault view name the key safely', async () => {
  await popupRowAction(popup, BIDI_SHOWN, 'quick-reset');
  const title = await textOf(popup, '>>> dialog.confirm-reset h2');
  assert.equal(title, `Quick reset of "\u2068${BIDI_SHOWN}\u2069"`);
  assert.match(await textOf(popup, '>>> dialog.confirm-reset p'), /on \u2068Lab\u2069,/);
  await click(popup, '>>> button[name="confirm-quick-reset"]');
  const done = await waitForText(popup, '>>> [data-quick-reset-done] h2', /was reset/);
  assert.equal(done, `"\u2068${BIDI_SHOWN}\u2069" on \u2068Lab\u2069 was reset`);

  await click(popup, '>>> button[name="tab-vault"]');
  await waitForText(popup, '>>> nkm-vault-view >>> li[data-entry-id] h3', /backup-/);
  const entry = await (await find(popup, '>>> nkm-vault-view >>> li[data-entry-id] h3')).evaluate((h3) => {
    const bdi = h3.querySelector('bdi');
    return {
      text: h3.textContent,
      title: h3.getAttribute('title'),
      markers: [...h3.querySelectorAll('.ctl')].map((m) => m.textContent),
      isolated: bdi !== null && getComputedStyle(bdi).unicodeBidi === 'isolate',
      overflows: h3.scrollWidth > h3.clientWidth + 1 && getComputedStyle(h3).overflow !== 'hidden',
    };
  });
  assert.deepEqual(entry, { text: BIDI_SHOWN, title: BIDI_SHOWN, markers: ['\\u{202e}', '\\u{202c}'], isolated: true, overflows: false });
  await click(popup, '>>> button[name="tab-keys"]');
});
