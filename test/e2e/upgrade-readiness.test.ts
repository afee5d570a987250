/**
 * Upgrade readiness in the popup (issue 12 §3): keys the next major upgrade would revoke, with the
 * reason and a quick reset, per host; a line per host in All hosts; counted in the badge.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { addHost, createVault } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { launch, request, type Session } from './helpers/session.js';
import { click, find, gone, textOf, waitForText } from './helpers/ui.js';

let session: Session;
let lab: RunningSimulator;
let old: RunningSimulator;
let popup: Page;

async function show(name: string): Promise<void> {
  const select = await find(popup, '>>> select[name="host"]');
  const value = await select.evaluate((el, wanted) => [...(el as HTMLSelectElement).options].find((o) => o.text === wanted)?.value ?? '', name);
  await select.select(value);
}

before(async () => {
  lab = await startNas({ profile: '25.10' });
  old = await startNas({ profile: '24.10' });
  session = await launch();
  const options = await session.open('options/options.html');
  await createVault(options);
  await addHost(options, { name: 'Lab', address: lab.url, secret: lab.admin.apiKey });
  await addHost(options, { name: 'Old', address: old.url, secret: old.admin.apiKey });
  await options.close();
  popup = await session.open('popup/popup.html');
  await popup.setViewport({ width: 400, height: 600 });
});
after(async () => {
  await session?.close();
  await stopAll();
});

test('a 25.10 host lists the key still hashed pbkdf2-sha256 (carried over, never used since): TrueNAS 26 would revoke it', async () => {
  await show('Lab');
  const card = '>>> section[data-upgrade-risk]';
  await waitForText(popup, card, /1 key will stop working after upgrading to 26\.0/);
  const item = await textOf(popup, `${card} li[data-risk="sha256-hash"]`);
  assert.match(item, /pre-upgrade-cli/);
  assert.match(item, /sign in with it once before the upgrade, or reset it now/);
});

test('Reset now runs the quick reset: the new key is stored and the risk is gone, as read back from the NAS', async () => {
  await click(popup, '>>> section[data-upgrade-risk] button[name="upgrade-reset"]');
  await click(popup, '>>> button[name="confirm-quick-reset"]');
  await find(popup, '>>> [data-quick-reset-done] [data-stored="yes"]');
  await gone(popup, '>>> section[data-upgrade-risk]');
  const vault = await request<Array<{ name: string; hostId: string | null }>>(popup, 'vault.list', {});
  assert.ok(vault.ok && vault.value.some((entry) => entry.name === 'pre-upgrade-cli'));
});

test('a 24.10 host lists every key whose allowlist is not everything: the upgrade to 25.04 drops allowlists', async () => {
  await show('Old');
  const card = '>>> section[data-upgrade-risk]';
  await waitForText(popup, card, /will stop working after upgrading to 25\.04/);
  const risks = await popup.$$eval('pierce/li[data-risk]', (items) => items.map((li) => li.getAttribute('data-risk')));
  assert.ok(risks.length > 0 && risks.every((r) => r === 'allowlist-dropped'));
});

test('All hosts says per host how many keys the next upgrade would revoke, and the badge counts them', async () => {
  await show('All hosts');
  const text = await waitForText(popup, '>>> [data-upgrade-fleet]', /Old\u2069: \d+ keys? will stop working after upgrading to 25\.04/);
  assert.doesNotMatch(text, /Lab\u2069:/, 'the reset key is no longer at risk');
  const badge = Number(await session.background(() => chrome.action.getBadgeText({})));
  assert.ok(badge > 0);
});
