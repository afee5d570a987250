/**
 * The popup's main flows end to end in Firefox ESR (puppeteer-core over WebDriver BiDi), against a
 * simulated TrueNAS 25.10: unlock, the list, create (in the full view) -> stored in the vault,
 * quick reset, delete, lock; axe on the lock screen, the list and the open row menu; no sideways
 * scroll at 320-800 px. Driven by the popup's DOM hooks (docs/extension.md). Firefox lets only
 * the add-on open its pages, so every page here is opened by the add-on (tabs.create from one of
 * its own pages, or the popup's own "Add key" and row-menu actions).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { axeViolations } from './helpers/axe.js';
import { launchFirefoxAddon, sendFrom, skipWithoutFirefox, type FirefoxAddon } from './helpers/firefox.js';
import { PASSPHRASE } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { click, fill, find, waitForText } from './helpers/ui.js';

const skip = skipWithoutFirefox;
const CREATED = 'ff-created';

let addon: FirefoxAddon;
let browser: Browser;
/** The settings page the add-on opens on install: it sends setup messages and opens other pages. */
let options: Page;
let popup: Page;
let nas: RunningSimulator;
let hostId: string;

const send = sendFrom;
const waitForPage = (match: (href: string) => boolean, known: Page[]): Promise<Page> => addon.waitForPage(match, known);
const openAddonPage = (path: string): Promise<Page> => addon.openPage(path);

/** The popup's row of the key with this name (the row hook `[data-key-row]`). */
async function rowOf(page: Page, name: string, timeout = 30_000): Promise<ElementHandle<Element>> {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const row of await page.$$('>>> [data-key-row]')) {
      const text = await row.evaluate((el) => el.textContent ?? '');
      if (text.includes(name)) return row;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no popup row for ${name}`);
}

/** Opens the row menu of the key with this name and picks `action` (null: leaves it open). */
async function rowMenu(page: Page, name: string, action: string | null): Promise<void> {
  const row = await rowOf(page, name);
  const button = await row.$('>>> button[name="row-menu"]');
  assert.ok(button, `row menu of ${name}`);
  await button.click();
  assert.equal(await button.evaluate((el) => el.getAttribute('aria-expanded')), 'true', 'the menu button says its menu is open');
  await find(page, '>>> [role="menuitem"][data-action="quick-reset"]');
  if (action) await click(page, `>>> [role="menuitem"][data-action="${action}"]`);
}

async function keyCount(): Promise<number> {
  return ((await nas.command('stats')) as { keys: number }).keys;
}

before(async () => {
  if (skip) return;
  nas = await startNas({ profile: '25.10' });
  addon = await launchFirefoxAddon('nkm-firefox-popup-');
  ({ browser, options } = addon);
  // The settings page's own flows have their tests (firefox.test.ts); here they are only set-up.
  const vault = await send(options, 'vault.setup', { passphrase: PASSPHRASE });
  assert.ok(vault.ok, JSON.stringify(vault));
  const saved = await send<{ host?: { id: string }; id?: string }>(options, 'hosts.save', { name: 'Lab', address: nas.url, login: 'apiKey', secret: nas.admin.apiKey });
  assert.ok(saved.ok, JSON.stringify(saved));
  hostId = saved.value.host?.id ?? saved.value.id ?? '';
  assert.ok(hostId);
  assert.ok((await send(options, 'vault.lock', null)).ok);
});

after(async () => {
  await addon?.close();
  await stopAll();
});

test('Firefox popup: the lock screen focuses the passphrase; unlocking lists the keys of the host', { skip }, async () => {
  popup = await openAddonPage('popup/popup.html');
  await find(popup, '>>> input[name="passphrase"]');
  await popup.waitForFunction(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('name') === 'passphrase';
  });
  assert.deepEqual(await axeViolations(popup), [], 'the lock screen is axe-clean in Firefox');
  await popup.keyboard.type(PASSPHRASE);
  await popup.keyboard.press('Enter');
  const row = await rowOf(popup, 'ci-backup');
  assert.equal(await row.evaluate((el) => el.getAttribute('data-host-id')), hostId, 'the row names its host');
  assert.match(await row.evaluate((el) => (el.textContent ?? '').replace(/\s+/g, ' ')), /Active/, 'status badge');
  const state = await find(popup, '>>> [data-connection-state]');
  await popup.waitForFunction((el) => el.getAttribute('data-connection-state') === 'signed-in', { timeout: 30_000 }, state);
  // Search narrows the list.
  await fill(popup, '>>> input[name="search"]', 'ci-back');
  await popup.waitForFunction(() => {
    const rows: Element[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        if (el.hasAttribute('data-key-row')) rows.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return rows.length > 0 && rows.every((r) => (r.textContent ?? '').includes('ci-back'));
  });
  await fill(popup, '>>> input[name="search"]', '');
  assert.deepEqual(await axeViolations(popup), [], 'the list is axe-clean in Firefox');
  // Firefox sizes and lays out the popup itself: it must not scroll sideways at any popup width.
  for (const width of [320, 360, 400, 800]) {
    await popup.setViewport({ width, height: 600 });
    await popup.waitForFunction((w) => window.innerWidth === w, {}, width);
    const overflow = await popup.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the popup is ${overflow} px wider than a ${width} px window`);
  }
});

test('Firefox: Add key opens the full view for the host; the new key is revealed and stored in the vault', { skip }, async () => {
  const before = await keyCount();
  const known = await browser.pages();
  await click(popup, '>>> button[name="add-key"]');
  const manager = await waitForPage((href) => href.includes('/manager/manager.html') && href.includes(`host=${encodeURIComponent(hostId)}`), known);
  await click(manager, '>>> api-key-manager >>> [part~="add-button"]');
  await fill(manager, '>>> api-key-form >>> input[name="name"]', CREATED);
  await click(manager, '>>> api-key-form >>> [part~="submit-button"]');
  await find(manager, '>>> key-reveal-dialog >>> [part~="copy-button"]');
  await waitForText(manager, '>>> key-reveal-dialog >>> [part~="dialog"]', /Saved to the vault/);
  await click(manager, '>>> key-reveal-dialog >>> [part~="close-button"]');
  assert.equal(await keyCount(), before + 1, 'the NAS has the new key');
  await rowOf(popup, CREATED);
  await manager.close();
  // The popup's vault view lists it.
  await click(popup, '>>> button[name="tab-vault"]');
  await waitForText(popup, '>>> nkm-vault-view >>> li[data-entry-id]', new RegExp(CREATED));
  await click(popup, '>>> button[name="tab-keys"]');
});

test('Firefox popup: quick reset from the row menu resets the key, copies it and stores it', { skip }, async () => {
  await rowMenu(popup, 'ci-backup', null);
  assert.deepEqual(await axeViolations(popup), [], 'the open row menu is axe-clean in Firefox');
  await click(popup, '>>> [role="menuitem"][data-action="quick-reset"]');
  await click(popup, '>>> button[name="confirm-quick-reset"]');
  await waitForText(popup, '>>> [data-quick-reset-done]', /ci-backup/, 30_000);
  await find(popup, '>>> [data-quick-reset-done] [data-stored="yes"]');
  await find(popup, '>>> [data-quick-reset-done] [data-copied="yes"]');
  await click(popup, '>>> button[name="dismiss-done"]');
});

test('Firefox popup: Delete in the row menu opens the full view on that key; confirming removes it', { skip }, async () => {
  const before = await keyCount();
  const known = await browser.pages();
  await rowMenu(popup, CREATED, 'delete');
  const manager = await waitForPage((href) => href.includes('/manager/manager.html') && href.includes('action=delete'), known);
  await click(manager, '>>> delete-key-dialog >>> input[type="checkbox"]');
  await click(manager, '>>> delete-key-dialog >>> [part~="delete-button"]');
  await manager.waitForSelector('>>> delete-key-dialog >>> dialog[open]', { hidden: true, timeout: 30_000 });
  await manager.close();
  // The popup follows the NAS's change.
  const until = Date.now() + 30_000;
  let names: string;
  do {
    names = (await Promise.all((await popup.$$('>>> [data-key-row]')).map((r) => r.evaluate((el) => el.textContent ?? '')))).join('|');
    if (!names.includes(CREATED)) break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < until);
  assert.ok(!names.includes(CREATED), 'the deleted key left the popup list');
  assert.ok(names.includes('ci-backup'), 'the other keys stay');
  assert.equal(await keyCount(), before - 1, 'the NAS deleted it');
});

test('Firefox popup: Lock now locks the vault and shows the lock screen', { skip }, async () => {
  await click(popup, '>>> button[name="lock"]');
  await find(popup, '>>> input[name="passphrase"]');
  const state = await send<{ vault: { locked: boolean } }>(options, 'app.state', null);
  assert.ok(state.ok);
  assert.equal(state.value.vault.locked, true);
});
