/**
 * Firefox smoke test: the Firefox build installs into Firefox ESR (puppeteer-core over WebDriver
 * BiDi), opens its settings page on install, and that page works end to end: the event-page
 * background answers, the vault (IndexedDB + WebCrypto in Firefox) is created, and a connection
 * test over a real socket reaches a simulated NAS. Firefox lets only the add-on open its pages,
 * so the test uses the page the add-on opens itself (runtime.openOptionsPage on install).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { launchFirefoxAddon, sendFrom, skipWithoutFirefox, type FirefoxAddon } from './helpers/firefox.js';
import { addHost, createVault } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { readClipboard } from './helpers/session.js';
import { click, waitForText } from './helpers/ui.js';

const skip = skipWithoutFirefox;

let addon: FirefoxAddon;
let page: Page;
let nas: RunningSimulator;

before(async () => {
  if (skip) return;
  nas = await startNas({ profile: '25.10' });
  addon = await launchFirefoxAddon('nkm-firefox-');
  page = addon.options;
});

after(async () => {
  await addon?.close();
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
  const send = (type: string, payload: unknown) => sendFrom<{ clearsAt: number | null }>(page, type, payload);
  const paste = () => readClipboard(page);
  assert.ok((await send('settings.update', { clipboardClearMs: 1500 })).ok);
  const copied = await send('clipboard.copy', { text: 'firefox-secret' });
  assert.ok(copied.ok, JSON.stringify(copied));
  assert.equal(await paste(), 'firefox-secret');
  const until = Date.now() + 6000;
  while ((await paste()) !== '' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await paste(), '');
});
