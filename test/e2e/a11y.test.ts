/**
 * Accessibility (axe-core) of the extension's own pages in their main states, and the German UI
 * (the extension follows the browser language).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { axeViolations } from './helpers/axe.js';
import { addHost, createVault, PASSPHRASE } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { launch, type Session } from './helpers/session.js';
import { popupRowAction, vaultViewSettled } from './helpers/popup.js';
import { click, fill, find, waitForText } from './helpers/ui.js';

let session: Session;
let nas: RunningSimulator;

before(async () => {
  nas = await startNas({ profile: '25.10' });
  session = await launch();
});
after(async () => {
  await session?.close();
  await stopAll();
});

async function clean(page: Page, state: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe violations in: ${state}`);
}

test('the options page is axe-clean: new vault, unlocked with the host form and a test report, host list', async () => {
  const page = await session.open('options/options.html');
  await find(page, '>>> nkm-vault-panel >>> input[name="passphrase"]');
  await clean(page, 'options, no vault yet');
  await createVault(page);
  await click(page, '>>> button[name="add-host"]');
  await fill(page, '>>> nkm-host-form >>> input[name="address"]', 'http://10.1.2.3');
  await click(page, '>>> nkm-host-form >>> button[type="submit"]');
  await find(page, '>>> nkm-host-form >>> #name-error');
  await clean(page, 'options, host form with errors and the plain-http warning');
  await click(page, '>>> nkm-host-form >>> button[name="cancel"]');
  const card = await addHost(page, { name: 'Lab', address: nas.url, secret: nas.admin.apiKey });
  await click(page, `${card} button[name="test"]`);
  await waitForText(page, `${card} [data-outcome]`, /Connected/);
  await clean(page, 'options, host list with a test report');
  await page.close();
});

test('the popup is axe-clean: locked, All hosts, one host, quick-reset dialog and summary, vault view', async () => {
  const page = await session.open('popup/popup.html');
  await page.setViewport({ width: 800, height: 600 });
  await click(page, '>>> button[name="lock"]');
  await find(page, '>>> nkm-unlock-form >>> input[name="passphrase"]');
  await clean(page, 'popup, locked');
  await fill(page, '>>> nkm-unlock-form >>> input[name="passphrase"]', PASSPHRASE);
  await click(page, '>>> nkm-unlock-form >>> button[type="submit"]');
  await waitForText(page, '>>> [data-refreshed]', /Updated/, 30_000);
  await clean(page, 'popup, All hosts');
  const select = await find(page, '>>> select[name="host"]');
  await select.select(await select.evaluate((el) => (el as HTMLSelectElement).options[1]!.value));
  await find(page, '>>> p[data-live]');
  await clean(page, 'popup, one host');
  await popupRowAction(page, 'ci-backup', 'quick-reset');
  await find(page, '>>> button[name="confirm-quick-reset"]');
  await clean(page, 'popup, quick reset confirmation');
  await click(page, '>>> button[name="confirm-quick-reset"]');
  await find(page, '>>> [data-quick-reset-done]');
  await clean(page, 'popup, quick reset summary');
  await click(page, '>>> button[name="tab-vault"]');
  await vaultViewSettled(page);
  await click(page, '>>> nkm-vault-view >>> li[data-entry-id] button[name="reveal"]');
  await find(page, '>>> nkm-vault-view >>> input.secret');
  await clean(page, 'popup, vault view with a revealed key');
  await page.close();
});

test('with a German browser the pages are in German', async () => {
  const german = await launch({ lang: 'de' });
  try {
    const page = await german.open('options/options.html');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    await waitForText(page, '>>> nkm-options-app >>> h1', /Einstellungen/);
    await waitForText(page, '>>> nkm-vault-panel >>> button[type="submit"]', /Tresor anlegen/);
    await clean(page, 'options in German');
  } finally {
    await german.close();
  }
});
