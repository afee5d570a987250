/**
 * The popup, driven like a user in headless Chromium with the built extension, against simulated
 * NAS hosts of two eras (25.10 JSON-RPC and 24.10 legacy).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import WebSocket from 'ws';
import { TrueNasClient } from '../../components/client/index.js';
import type { ApiKeyRow } from '../../components/model/api-key.js';
import type { SavedHost } from '../../extension/shared/protocol.js';
import { atRiskIds, fleetReadiness } from '../../extension/shared/upgrade.js';
import { addHost, createVault, PASSPHRASE } from './helpers/flows.js';
import { deadAddress, startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { delay, launch, readClipboard, request, waitForClipboard, type Session } from './helpers/session.js';
import { axeViolations } from './helpers/axe.js';
import { popupRowAction, popupRows, sidewaysScrollers, vaultViewSettled, type PopupRow } from './helpers/popup.js';
import { click, fill, find, gone, textOf, waitForAnyText, waitForText } from './helpers/ui.js';

const KEY = /^\d+-[A-Za-z0-9]{64}$/;
let session: Session;
let popup: Page;
/** A second extension page that reads the clipboard (a modal dialog in the popup makes its body inert). */
let reader: Page;
let lab: RunningSimulator;
let legacy: RunningSimulator;

async function selectHost(page: Page, name: string): Promise<void> {
  // Each test starts from the Keys tab, whatever the test before it left open.
  await click(page, '>>> button[name="tab-keys"]');
  const select = await find(page, '>>> select[name="host"]');
  const value = await select.evaluate((el, wanted) => [...(el as HTMLSelectElement).options].find((o) => o.text === wanted)?.value ?? '', name);
  assert.ok(value, `host ${name} is in the switcher`);
  await select.select(value);
}

async function hostId(name: string): Promise<string> {
  const state = await request<{ hosts: Array<{ id: string; name: string }> }>(popup, 'app.state', null);
  assert.ok(state.ok);
  const host = state.value.hosts.find((h) => h.name === name);
  assert.ok(host, `host ${name}`);
  return host.id;
}

async function waitForRows(page: Page, predicate: (rows: PopupRow[]) => boolean, timeout = 30_000) {
  const until = Date.now() + timeout;
  let rows = await popupRows(page);
  while (!predicate(rows) && Date.now() < until) {
    await delay(100);
    rows = await popupRows(page);
  }
  assert.ok(predicate(rows), `rows never matched: ${JSON.stringify(rows)}`);
  return rows;
}

before(async () => {
  lab = await startNas({ profile: '25.10' });
  legacy = await startNas({ profile: '24.10' });
  session = await launch({ notifications: true });
  const options = await session.open('options/options.html');
  await createVault(options);
  await addHost(options, { name: 'Lab', address: lab.url, secret: lab.admin.apiKey });
  await addHost(options, { name: 'Old', address: legacy.url, secret: legacy.admin.apiKey });
  // A short clipboard delay so the test can watch the clear happen (the default is 30 s).
  assert.ok((await request(options, 'settings.update', { clipboardClearMs: 2000 })).ok);
  // Notifications on: the permission was granted at install in this test build, so the request resolves at once.
  await click(options, '>>> nkm-vault-panel >>> input[name="notifications"]');
  await waitForText(options, '>>> nkm-vault-panel >>> p.status', /Saved/);
  await options.close();
  reader = await session.open('options/options.html');
  popup = await session.open('popup/popup.html');
  await popup.setViewport({ width: 800, height: 600 });
});
after(async () => {
  await session?.close();
  await stopAll();
});

test('All hosts shows every key of a 25.10 and a 24.10 (legacy) host with host, status and expiry', async () => {
  const labKeys = ((await lab.command('stats')) as { keys: number }).keys;
  const oldKeys = ((await legacy.command('stats')) as { keys: number }).keys;
  const rows = await waitForRows(popup, (r) => r.length === labKeys + oldKeys);
  assert.ok(rows.some((r) => r.host === 'Lab') && rows.some((r) => r.host === 'Old'));
  assert.ok(rows.some((r) => r.name === 'revoked-insecure' && r.host === 'Lab' && r.status === 'Revoked'));
  assert.ok(rows.some((r) => r.status === 'Expiring soon'));
  await waitForText(popup, '>>> [data-refreshed]', /Updated at/);

  // The toolbar badge counts revoked, expired and soon-expiring keys across hosts, and keys the next
  // upgrade of their NAS would revoke (24.10: restricted allowlists; 25.10: a pbkdf2-sha256 hash);
  // each of the first three got a notification.
  const attention = rows.filter((r) => r.status !== 'Active').length;
  assert.ok(attention > 0);
  const fleet = await request<{ rows: Array<ApiKeyRow & { hostId: string }> }>(popup, 'keys.fleet', { cached: true });
  const state = await request<{ hosts: SavedHost[] }>(popup, 'app.state', null);
  assert.ok(fleet.ok && state.ok);
  const atRiskActive = [...atRiskIds(fleetReadiness(fleet.value.rows, state.value.hosts))].filter((id) => rows.some((r) => `${r.hostId}#${r.keyId}` === id && r.status === 'Active'));
  assert.ok(atRiskActive.length >= 2, 'an allowlisted 24.10 key and the sha256 25.10 key are at risk');
  assert.equal(await session.background(() => chrome.action.getBadgeText({})), String(attention + atRiskActive.length));
  const notified = await session.background(async () => Object.keys(await chrome.notifications.getAll()));
  assert.equal(notified.length, attention);
  assert.ok(notified.some((id) => id.endsWith(':revoked')) && notified.some((id) => id.endsWith(':expiring')));

  // Filter to revoked keys with the list's status filter (it offers only statuses that occur, with counts).
  const filter = await find(popup, '>>> nkm-key-list >>> select[name="status"]');
  assert.match(await filter.evaluate((el) => (el as HTMLSelectElement).options[0]!.text), new RegExp(`All \\(${labKeys + oldKeys}\\)`));
  await filter.select('revoked');
  const revoked = await waitForRows(popup, (r) => r.length > 0 && r.every((row) => row.status === 'Revoked'));
  assert.ok(revoked.some((r) => r.host === 'Lab'));
  await filter.select('');
});

/** Clicks something in the popup that opens the full view, and returns that tab (checked by its address). */
async function openedFullView(selector: string, expect: Record<string, string>): Promise<Page> {
  const target = session.browser.waitForTarget((t) => t.type() === 'page' && t.url().includes('/manager/manager.html'), { timeout: 15_000 });
  await click(popup, selector);
  const page = (await (await target).page())!;
  const url = new URL(page.url());
  assert.equal(url.protocol, 'chrome-extension:');
  for (const [name, value] of Object.entries(expect)) assert.equal(url.searchParams.get(name), value, `full view ?${name}=`);
  await page.evaluate('globalThis.__name = (fn) => fn;');
  return page;
}

/**
 * Creates a key in the full view opened from the popup's Add (so it is copied and stored in the
 * vault, as a user would), and returns what was copied. Each test that needs a stored key makes its
 * own, so the tests run in any order.
 */
async function addKeyInFullView(name: string): Promise<string> {
  await popup.bringToFront();
  await selectHost(popup, 'Lab');
  await waitForRows(popup, (r) => r.some((row) => row.name === 'ci-backup'));
  const full = await openedFullView('>>> button[name="add-key"]', { host: await hostId('Lab') });
  try {
    await click(full, '>>> api-key-manager >>> [part~="add-button"]');
    await fill(full, '>>> api-key-form >>> input[name="name"]', name);
    await click(full, '>>> api-key-form >>> [part~="submit-button"]');
    await find(full, '>>> key-reveal-dialog >>> [part~="copy-button"]');
    await full.bringToFront();
    await click(full, '>>> key-reveal-dialog >>> [part~="copy-button"]');
    const until = Date.now() + 5000;
    let copied = await readClipboard(reader);
    while (!KEY.test(copied) && Date.now() < until) copied = await readClipboard(reader);
    assert.match(copied, KEY);
    await click(full, '>>> key-reveal-dialog >>> [part~="close-button"]');
    return copied;
  } finally {
    await full.close();
    await popup.bringToFront();
  }
}

test('Add key opens the full view on the same host; the key made there is copied, cleared later, listed and stored', async () => {
  await addKeyInFullView('e2e-created');
  // The popup follows the change the full view made (a background push), without a reload.
  await waitForRows(popup, (r) => r.some((row) => row.name === 'e2e-created'));
  await waitForClipboard(reader, '');
  await click(popup, '>>> button[name="tab-vault"]');
  await waitForAnyText(popup, '>>> nkm-vault-view >>> li[data-entry-id] h3', /e2e-created/);
  await click(popup, '>>> button[name="tab-keys"]');
});

test('quick reset takes two clicks, copies the new key (cleared after the delay) and keeps the old one as history', async () => {
  const old = await addKeyInFullView('e2e-quick');
  await waitForClipboard(reader, '');
  await waitForRows(popup, (r) => r.some((row) => row.name === 'e2e-quick'));
  await popupRowAction(popup, 'e2e-quick', 'quick-reset');
  await click(popup, '>>> button[name="confirm-quick-reset"]');
  const done = await waitForText(popup, '>>> [data-quick-reset-done]', /was reset/);
  assert.match(done, /on the clipboard/);
  assert.match(done, /previous one is kept there as history/);
  const copied = await readClipboard(reader);
  assert.match(copied, KEY);
  assert.notEqual(copied, old, 'a new key');
  // The copied key is the NAS's new key: it signs in.
  const client = new TrueNasClient({ url: lab.url, WebSocket, reconnect: false });
  try {
    assert.equal((await client.login({ type: 'apiKey', key: copied })).type, 'SUCCESS');
  } finally {
    await client.close();
  }
  await waitForClipboard(reader, '');
  await click(popup, '>>> button[name="tab-vault"]');
  await waitForAnyText(popup, '>>> nkm-vault-view >>> li[data-entry-id]', /e2e-quick.*1 earlier key in history/);
  await click(popup, '>>> button[name="tab-keys"]');
});

test('revoked rescue: quick reset un-revokes a revoked key, shows its reason and how to avoid it', async () => {
  await waitForRows(popup, (r) => r.some((row) => row.name === 'revoked-insecure' && row.status === 'Revoked'));
  await popupRowAction(popup, 'revoked-insecure', 'quick-reset');
  assert.match(await textOf(popup, '>>> dialog.confirm-reset'), /revoked \(\u2068?Attempt to use over an insecure transport\u2069?\)/);
  await click(popup, '>>> button[name="confirm-quick-reset"]');
  const done = await waitForText(popup, '>>> [data-quick-reset-done]', /was reset/);
  assert.match(done, /It was revoked \(\u2068?Attempt to use over an insecure transport\u2069?\); the reset made it usable again/);
  assert.match(await textOf(popup, '>>> [data-rescue-tip]'), /https:\/\//);
  await waitForRows(popup, (r) => r.some((row) => row.name === 'revoked-insecure' && row.status === 'Active'));
  await click(popup, '>>> button[name="dismiss-done"]');
});

test('Delete in the row menu opens the full view on that key; the confirm checkbox is needed; the popup drops the row', async () => {
  await addKeyInFullView('e2e-delete');
  const row = (await waitForRows(popup, (r) => r.some((x) => x.name === 'e2e-delete'))).find((x) => x.name === 'e2e-delete')!;
  await click(popup, `>>> nkm-key-list >>> [data-key-row][data-row-id="${row.hostId}#${row.keyId}"] >>> button[name="row-menu"]`);
  const full = await openedFullView(`>>> nkm-key-list >>> [data-key-row][data-row-id="${row.hostId}#${row.keyId}"] >>> [role="menuitem"][data-action="delete"]`, { host: row.hostId, key: row.keyId, action: 'delete' });
  try {
    const confirm = '>>> delete-key-dialog >>> [part~="delete-button"]';
    assert.equal(await find(full, confirm).then((b) => b.evaluate((el) => (el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true')), true);
    await click(full, '>>> delete-key-dialog >>> [part~="confirm"] input');
    await click(full, confirm);
    await popup.bringToFront();
    await waitForRows(popup, (r) => !r.some((x) => x.name === 'e2e-delete'));
  } finally {
    await full.close();
  }
  // The vault keeps the stored key and marks it as gone from the NAS.
  await click(popup, '>>> button[name="tab-vault"]');
  await waitForAnyText(popup, '>>> nkm-vault-view >>> li[data-drift="missing"]', /e2e-delete.*No longer on the NAS/);
  await click(popup, '>>> button[name="tab-keys"]');
});

test('locking shows the unlock prompt; a wrong passphrase is refused, the right one unlocks', async () => {
  await popup.bringToFront();
  await click(popup, '>>> button[name="lock"]');
  // The passphrase field has the cursor on the lock screen.
  await find(popup, '>>> nkm-unlock-form >>> input[name="passphrase"]');
  await popup.waitForFunction(() => document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-unlock-form')?.shadowRoot?.activeElement?.getAttribute('name') === 'passphrase', { polling: 100 });
  await fill(popup, '>>> nkm-unlock-form >>> input[name="passphrase"]', 'not the passphrase');
  await click(popup, '>>> nkm-unlock-form >>> button[type="submit"]');
  assert.match(await waitForText(popup, '>>> nkm-unlock-form >>> #unlock-error', /passphrase/i), /passphrase/i);
  await fill(popup, '>>> nkm-unlock-form >>> input[name="passphrase"]', PASSPHRASE);
  await click(popup, '>>> nkm-unlock-form >>> button[type="submit"]');
  await find(popup, '>>> select[name="host"]', 30_000);
  await waitForRows(popup, (r) => r.length > 0);
  // After the unlock the search field has the cursor again.
  await popup.waitForFunction(() => document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-key-list')?.shadowRoot?.activeElement?.getAttribute('name') === 'search', { polling: 100 });
});

test('stopping the background worker loses nothing: still unlocked, hosts and keys load again', async () => {
  await session.stopWorker();
  await selectHost(popup, 'Old');
  await waitForRows(popup, (r) => r.some((row) => row.name === 'ci-backup'));
  await selectHost(popup, 'Lab');
  await waitForRows(popup, (r) => r.some((row) => row.name === 'revoked-insecure' && row.status === 'Active'));
  assert.equal(await popup.$('>>> nkm-unlock-form'), null);
});

test('a host that is down and a host with wrong credentials each show what happened', async () => {
  const options = await session.open('options/options.html');
  await addHost(options, { name: 'Down', address: await deadAddress(), secret: lab.admin.apiKey }, { saveAnyway: true });
  const wrongKey = lab.admin.apiKey.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
  // The options form refuses a wrong key (saving tests the sign-in); a host whose key stopped
  // working later is the same case, so it is saved untested here.
  const wrong = await request(options, 'hosts.save', { name: 'Wrong', address: lab.url.replace('127.0.0.1', 'localhost'), login: 'apiKey', secret: wrongKey, saveAnyway: true });
  assert.ok(wrong.ok, JSON.stringify(wrong));
  await options.close();
  await popup.bringToFront();
  await selectHost(popup, 'Down');
  assert.match(await waitForText(popup, '>>> [data-list-error]', /./), /could not|connect|reach/i);
  // Only what went wrong and Retry: no search over nothing, never "No API keys on this NAS yet".
  assert.equal(await popup.$('>>> nkm-key-list'), null, 'no key list under a load error');
  await selectHost(popup, 'Wrong');
  assert.match(await waitForText(popup, '>>> [data-list-error]', /./), /rejected|refused|wrong/i);
  // All hosts still lists the hosts that answer, and names the ones that did not.
  await selectHost(popup, 'All hosts');
  const errors = await waitForText(popup, '>>> ul[data-host-errors]', /Down\u2069?:.*Wrong\u2069?:|Wrong\u2069?:.*Down\u2069?:/);
  assert.match(errors, /Down\u2069?:/);
  await waitForRows(popup, (r) => r.some((row) => row.host === 'Lab') && r.some((row) => row.host === 'Old'));
});

test('"Check stored keys" finds a key that was reset elsewhere and confirms the ones that still work', async () => {
  const created = await request<{ key: { id: number } }>(popup, 'keys.create', { hostId: await hostId('Lab'), input: { name: 'drift-check', username: 'truenas_admin' } });
  assert.ok(created.ok, JSON.stringify(created));
  // Someone resets the key on the NAS, outside the extension.
  const client = new TrueNasClient({ url: lab.url, WebSocket, reconnect: false });
  try {
    await client.login({ type: 'apiKey', key: lab.admin.apiKey });
    await client.apiKeys.reset(created.value.key.id);
  } finally {
    await client.close();
  }
  await click(popup, '>>> button[name="tab-vault"]');
  // The view first compares with the live lists; "Check stored keys" is enabled after that.
  await click(popup, '>>> nkm-vault-view >>> button[name="verify"]:not([disabled])');
  await waitForText(popup, '>>> nkm-vault-view >>> li[data-drift="reset-elsewhere"]', /drift-check.*Reset elsewhere/, 30_000);
  await waitForText(popup, '>>> nkm-vault-view >>> li[data-drift="verified"]', /revoked-insecure.*key works/);
  await click(popup, '>>> button[name="tab-keys"]');
});

test('a host the extension has no access to says so, and nothing is sent to it', async () => {
  // 127.0.0.2 is loopback too, but its pattern was not granted in this test build: like access the user withdrew.
  const other = await startNas({ profile: '25.10', host: '127.0.0.2' });
  const options = await session.open('options/options.html');
  await addHost(options, { name: 'No access', address: other.url, secret: other.admin.apiKey });
  await waitForText(options, '>>> [data-access="missing"]', /no access to this host/);
  await options.close();
  await popup.bringToFront();
  await selectHost(popup, 'No access');
  assert.match(await waitForText(popup, '>>> [data-list-error]', /./), /may not access No access/);
  const stats = (await other.command('stats')) as { connections: number };
  assert.equal(stats.connections, 0, 'no socket was opened to a host without access');
  await selectHost(popup, 'Lab');
});

test('a host that asks for a one-time code gets it through a prompt in the popup', async () => {
  const tf = await startNas({ profile: '25.10' });
  const user = tf.users.find((u) => u.otpSecret)!;
  const options = await session.open('options/options.html');
  await addHost(options, { name: 'Two-factor', address: tf.url, login: 'password', username: user.username, secret: user.password });
  await options.close();
  await popup.bringToFront();
  await selectHost(popup, 'Two-factor');
  await waitForText(popup, '>>> dialog.otp h2', /Sign in to \u2068?Two-factor/);
  await fill(popup, '>>> dialog.otp input[name="otp"]', '12');
  await click(popup, '>>> dialog.otp button[type="submit"]');
  await waitForText(popup, '>>> #otp-error', /6 to 8 digits/);
  const { code } = (await tf.command('otp', { username: user.username })) as { code: string };
  await fill(popup, '>>> dialog.otp input[name="otp"]', code);
  await click(popup, '>>> dialog.otp button[type="submit"]');
  await waitForRows(popup, (r) => r.some((row) => row.name === 'otp-admin-cli'));
  await selectHost(popup, 'Lab');
});

test('the vault view copies, reveals on request, keeps notes and deletes', async () => {
  await click(popup, '>>> button[name="tab-vault"]');
  const entry = '>>> nkm-vault-view >>> li[data-entry-id]';
  await vaultViewSettled(popup);
  await click(popup, `${entry} button[name="reveal"]`);
  const secret = await (await find(popup, `${entry} input.secret`)).evaluate((el) => (el as HTMLInputElement).value);
  assert.match(secret, KEY);
  await click(popup, `${entry} button[name="reveal"]`);
  await gone(popup, `${entry} input.secret`);
  await click(popup, `${entry} button[name="copy"]`);
  await waitForText(popup, '>>> #vault-notice', /Copied/);
  assert.equal(await readClipboard(reader), secret);
  await click(popup, `${entry} button[name="notes"]`);
  await fill(popup, `${entry} textarea[name="notes"]`, 'Home Assistant');
  await click(popup, `${entry} form button[type="submit"]`);
  await waitForText(popup, `${entry} [data-notes]`, /Used by: \u2068?Home Assistant/);
  const before = (await popup.$$(entry)).length;
  await click(popup, `${entry} button[name="delete"]`);
  await click(popup, `${entry} button[name="confirm-delete"]`);
  await waitForText(popup, '>>> #vault-notice', /deleted from the vault/);
  assert.equal((await popup.$$(entry)).length, before - 1);
  await click(popup, '>>> button[name="tab-keys"]');
});

/** The element that has the keyboard focus, through the shadow roots: its tag, name and data-action. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.localName}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}${el.getAttribute('data-action') ? `[${el.getAttribute('data-action')}]` : ''}` : '';
  });
}

test('search first: a fresh popup has the cursor in the search field, and typing filters the list', async () => {
  const fresh = await session.open('popup/popup.html');
  try {
    await fresh.setViewport({ width: 360, height: 600 });
    await find(fresh, '>>> nkm-key-list >>> [data-key-row]');
    await fresh.waitForFunction(() => document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-key-list')?.shadowRoot?.activeElement?.getAttribute('name') === 'search', { polling: 100 });
    await fresh.keyboard.type('ci-back');
    await waitForRows(fresh, (r) => r.length > 0 && r.every((row) => row.name.includes('ci-back')));
    await fresh.keyboard.type('zzz-no-such');
    await waitForText(fresh, '>>> nkm-key-list >>> [data-no-match]', /No keys match/);
  } finally {
    await fresh.close();
  }
});

test('the row menu follows the menu button pattern: keys open, move, choose and close; Quick reset comes first and differs from Reset', async () => {
  await popup.bringToFront();
  await selectHost(popup, 'Lab');
  await waitForRows(popup, (r) => r.some((row) => row.name === 'ci-backup'));
  const search = await find(popup, '>>> nkm-key-list >>> input[name="search"]');
  await search.click({ count: 3 });
  await popup.keyboard.press('Backspace');
  await popup.keyboard.type('ci-backup');
  await waitForRows(popup, (r) => r.length === 1);
  // Down from the search field reaches the row's menu button.
  await popup.keyboard.press('ArrowDown');
  assert.equal(await focused(popup), 'button[name=row-menu]');
  const button = await find(popup, '>>> nkm-key-list >>> [data-key-row] >>> button[name="row-menu"]');
  assert.equal(await button.evaluate((b) => [b.getAttribute('aria-haspopup'), b.getAttribute('aria-expanded')].join()), 'menu,false');
  assert.match(String(await button.evaluate((b) => b.getAttribute('aria-label'))), /Actions for .*ci-backup/);
  await popup.keyboard.press('Enter');
  assert.equal(await button.evaluate((b) => b.getAttribute('aria-expanded')), 'true');
  const actions = await popup.$$eval('>>> nkm-key-list >>> [data-key-row] >>> [role="menu"] [role="menuitem"]', (items) => items.map((i) => i.getAttribute('data-action')));
  assert.deepEqual(actions, ['quick-reset', 'copy', 'edit', 'reset', 'delete']);
  assert.equal(await focused(popup), 'button[quick-reset]');
  const quick = await find(popup, '>>> nkm-key-list >>> [data-key-row] >>> [data-action="quick-reset"]');
  const reset = await find(popup, '>>> nkm-key-list >>> [data-key-row] >>> [data-action="reset"]');
  const look = (el: Element) => ({ text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), icon: el.querySelector('svg')?.getAttribute('data-icon'), title: el.getAttribute('title') });
  const [q, r] = [await quick.evaluate(look), await reset.evaluate(look)];
  assert.notEqual(q.icon, r.icon, 'different icons');
  assert.ok(q.text.startsWith('Quick reset') && r.text.startsWith('Reset'), `labels: ${q.text} / ${r.text}`);
  assert.ok(q.title && r.title && q.title !== r.title, 'different tooltips');
  await popup.keyboard.press('ArrowUp');
  assert.equal(await focused(popup), 'button[delete]', 'Up wraps to the last item');
  await popup.keyboard.press('Home');
  assert.equal(await focused(popup), 'button[quick-reset]');
  await popup.keyboard.press('End');
  assert.equal(await focused(popup), 'button[delete]');
  await popup.keyboard.press('ArrowDown');
  assert.equal(await focused(popup), 'button[quick-reset]', 'Down wraps to the first item');
  await popup.keyboard.press('Escape');
  assert.equal(await button.evaluate((b) => b.getAttribute('aria-expanded')), 'false');
  assert.equal(await focused(popup), 'button[name=row-menu]', 'Escape returns to the button');
  // Up opens on the last item; Enter chooses Quick reset from the keyboard alone.
  await popup.keyboard.press('ArrowUp');
  assert.equal(await focused(popup), 'button[delete]');
  await popup.keyboard.press('Home');
  await popup.keyboard.press('Enter');
  await find(popup, '>>> dialog.confirm-reset[open]');
  await popup.keyboard.press('Escape');
  await gone(popup, '>>> dialog.confirm-reset[open]');
  // Copy from vault needs a stored secret: ci-backup has none (its item says so), revoked-insecure has.
  await click(popup, '>>> nkm-key-list >>> [data-key-row] >>> button[name="row-menu"]');
  const copy = await find(popup, '>>> nkm-key-list >>> [data-key-row] >>> [data-action="copy"]');
  assert.equal(await copy.evaluate((el) => el.getAttribute('aria-disabled')), 'true');
  await popup.keyboard.press('Escape');
  await search.click({ count: 3 });
  await popup.keyboard.press('Backspace');
  await popupRowAction(popup, 'revoked-insecure', 'copy');
  await waitForText(popup, '>>> [data-notice]', /copied; the clipboard is cleared at/);
  assert.match(await readClipboard(reader), KEY);
  await search.click({ count: 3 });
  await popup.keyboard.press('Backspace');
});

test('Edit, Reset and Open full view open the full view with the host (and key and action) selected', async () => {
  const lab = await hostId('Lab');
  await selectHost(popup, 'Lab');
  const row = (await waitForRows(popup, (r) => r.some((x) => x.name === 'ci-backup'))).find((x) => x.name === 'ci-backup')!;
  const menu = `>>> nkm-key-list >>> [data-key-row][data-row-id="${row.hostId}#${row.keyId}"] >>>`;
  for (const action of ['edit', 'reset'] as const) {
    await popup.bringToFront();
    await click(popup, `${menu} button[name="row-menu"]`);
    await (await openedFullView(`${menu} [role="menuitem"][data-action="${action}"]`, { host: lab, key: row.keyId, action })).close();
  }
  await popup.bringToFront();
  await (await openedFullView('>>> button[name="open-full-view"]', { host: lab })).close();
  await popup.bringToFront();
});

test('the connection state is visible and names the host\'s state', async () => {
  await selectHost(popup, 'Lab');
  await waitForText(popup, '>>> [data-connection-state="signed-in"]', /Signed in/);
  await selectHost(popup, 'Down');
  await find(popup, '>>> [data-connection-state="offline"]');
  await selectHost(popup, 'Lab');
});

/** Each view the popup has, reached from the keys of Lab. */
async function eachView(page: Page, check: (view: string) => Promise<void>): Promise<void> {
  const choose = async (name: string) => {
    const select = await find(page, '>>> select[name="host"]');
    const value = await select.evaluate((el, wanted) => [...(el as HTMLSelectElement).options].find((o) => o.text === wanted || o.value === wanted)?.value ?? '', name);
    await select.select(value);
  };
  await click(page, '>>> button[name="tab-keys"]');
  await choose('all');
  await find(page, '>>> nkm-key-list >>> [data-key-row]');
  await find(page, '>>> ul[data-host-errors]');
  await check('all hosts, with host errors');
  await choose('Lab');
  await find(page, '>>> nkm-key-list >>> [data-key-row]');
  await check('one host');
  await click(page, '>>> nkm-key-list >>> [data-key-row] >>> button[name="row-menu"]');
  await find(page, '>>> [role="menu"]');
  await check('row menu open');
  await page.keyboard.press('Escape');
  await popupRowAction(page, 'revoked-insecure', 'quick-reset');
  await find(page, '>>> dialog.confirm-reset[open]');
  await check('quick reset confirmation');
  await click(page, '>>> button[name="confirm-quick-reset"]');
  await find(page, '>>> [data-quick-reset-done]');
  await check('quick reset result');
  await click(page, '>>> button[name="dismiss-done"]');
  await choose('Wrong');
  await find(page, '>>> [data-list-error]');
  await check('a host error');
  await choose('Lab');
  await click(page, '>>> button[name="tab-vault"]');
  await vaultViewSettled(page);
  await click(page, '>>> nkm-vault-view >>> li[data-entry-id] button[name="reveal"]');
  await find(page, '>>> nkm-vault-view >>> input.secret');
  await check('vault with a revealed key');
  await click(page, '>>> nkm-vault-view >>> li[data-entry-id] button[name="notes"]');
  await find(page, '>>> nkm-vault-view >>> textarea[name="notes"]');
  await check('vault notes form');
  await click(page, '>>> button[name="tab-keys"]');
  await click(page, '>>> button[name="lock"]');
  await find(page, '>>> nkm-unlock-form >>> input[name="passphrase"]');
  await fill(page, '>>> nkm-unlock-form >>> input[name="passphrase"]', 'wrong passphrase');
  await click(page, '>>> nkm-unlock-form >>> button[type="submit"]');
  await find(page, '>>> nkm-unlock-form >>> #unlock-error');
  await check('lock screen with an error');
  await fill(page, '>>> nkm-unlock-form >>> input[name="passphrase"]', PASSPHRASE);
  await click(page, '>>> nkm-unlock-form >>> button[type="submit"]');
  await find(page, '>>> nkm-key-list >>> [data-key-row]');
}

test('no view scrolls sideways at 320, 360, 400 and 800 px, and every view is axe-clean', async () => {
  const page = await session.open('popup/popup.html');
  try {
    const widths = [320, 360, 400, 800];
    let axed = false;
    await page.setViewport({ width: 320, height: 600 });
    await eachView(page, async (view) => {
      for (const width of widths) {
        await page.setViewport({ width, height: 600 });
        assert.deepEqual(await sidewaysScrollers(page), [], `sideways scroll at ${width} px: ${view}`);
      }
      await page.setViewport({ width: 400, height: 600 });
      assert.deepEqual(await axeViolations(page), [], `axe: ${view}`);
      axed = true;
    });
    assert.ok(axed);
  } finally {
    await page.close();
  }
});

test('in German, too, no view scrolls sideways, and the popup speaks German', async () => {
  const german = await launch({ lang: 'de' });
  try {
    // The options page is not under test here: set up through the protocol.
    const options = await german.open('options/options.html');
    assert.ok((await request(options, 'vault.setup', { passphrase: PASSPHRASE })).ok);
    const wrongKey = lab.admin.apiKey.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
    for (const [name, address, secret] of [['Lab', lab.url, lab.admin.apiKey], ['Wrong', lab.url.replace('127.0.0.1', 'localhost'), wrongKey]] as const) {
      const saved = await request(options, 'hosts.save', { name, address, login: 'apiKey', secret, saveAnyway: true });
      assert.ok(saved.ok, JSON.stringify(saved));
    }
    await options.close();
    const page = await german.open('popup/popup.html');
    await waitForText(page, '>>> button[name="lock"]', /Jetzt sperren/);
    await waitForText(page, '>>> button[name="open-full-view"]', /Vollansicht/);
    await eachView(page, async (view) => {
      for (const width of [320, 360, 400, 800]) {
        await page.setViewport({ width, height: 600 });
        assert.deepEqual(await sidewaysScrollers(page), [], `German, sideways scroll at ${width} px: ${view}`);
      }
      await page.setViewport({ width: 400, height: 600 });
      assert.deepEqual(await axeViolations(page), [], `German, axe: ${view}`);
    });
  } finally {
    await german.close();
  }
});
