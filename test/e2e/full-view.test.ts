/**
 * The full view (extension/manager/manager.html, issue 10): the whole `<api-key-manager>` for one
 * saved host in a tab, opened with `?host=` (and `&key=&action=`), a host chooser, the visible
 * connection state, create → vault, edit, reset, delete, lock while a new key is on screen, and
 * unlock; no horizontal scrolling at 375/800/1280 px (with the options page), axe, German.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { axeViolations } from './helpers/axe.js';
import { addHost, createVault, fillHostForm, PASSPHRASE } from './helpers/flows.js';
import { deadAddress, startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { delay, launch, request, type Session } from './helpers/session.js';
import { click, fill, find, gone, settled, tableRows, textOf, waitForText } from './helpers/ui.js';
import { horizontalOverflow, sticksOut } from './helpers/widths.js';

let session: Session;
let lab: RunningSimulator;
let second: RunningSimulator;
/** An extension page for protocol requests (the vault's state, the NAS's keys). */
let probe: Page;
let labId: string;
let secondId: string;

const WIDTHS = [375, 800, 1280];

interface Key {
  id: number;
  name: string;
}

async function hostKeys(hostId: string): Promise<Key[]> {
  const list = await request<{ keys: Key[] }>(probe, 'keys.list', { hostId });
  assert.ok(list.ok, JSON.stringify(list));
  return list.value.keys;
}

async function keyId(hostId: string, name: string): Promise<number> {
  const key = (await hostKeys(hostId)).find((k) => k.name === name);
  assert.ok(key, `key ${name} on the NAS`);
  return key.id;
}

async function waitForRow(page: Page, name: string, present = true): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if ((await tableRows(page)).some((r) => r.name === name) === present) return;
    await delay(100);
  }
  assert.fail(`row ${name} ${present ? 'never appeared' : 'never went'}: ${JSON.stringify(await tableRows(page))}`);
}

async function openFullView(query: string, width = 1280): Promise<Page> {
  const page = await session.open(`manager/manager.html${query}`);
  await page.setViewport({ width, height: 900 });
  return page;
}

async function clean(page: Page, what: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe violations in: ${what}`);
}

before(async () => {
  lab = await startNas({ profile: '25.10' });
  second = await startNas({ profile: '25.10' });
  session = await launch();
  const options = await session.open('options/options.html');
  await createVault(options);
  await addHost(options, { name: 'Lab', address: lab.url, secret: lab.admin.apiKey });
  await addHost(options, { name: 'Second', address: second.url, secret: second.admin.apiKey });
  await options.close();
  probe = await session.open('options/options.html');
  const state = await request<{ hosts: Array<{ id: string; name: string }> }>(probe, 'app.state', null);
  assert.ok(state.ok);
  labId = state.value.hosts.find((h) => h.name === 'Lab')!.id;
  secondId = state.value.hosts.find((h) => h.name === 'Second')!.id;
});
after(async () => {
  await session?.close();
  await stopAll();
});

test('opens for the host in its address, with a host chooser and a visible connection state', async () => {
  const page = await openFullView(`?host=${encodeURIComponent(secondId)}`);
  await waitForRow(page, 'ci-backup');
  const select = await find(page, '>>> nkm-manager-app >>> select[name="host"]');
  assert.equal(await select.evaluate((el) => (el as HTMLSelectElement).value), secondId);
  assert.match(await textOf(page, '>>> api-key-manager >>> [part~="title"]'), /Second/);
  await find(page, '>>> [data-connection-state="signed-in"]');
  assert.match(await textOf(page, '>>> [data-connection-state]'), /Signed in/);
  const shown = await page.evaluate(() => {
    let count = 0;
    const walk = (root: Document | ShadowRoot): void => {
      count += root.querySelectorAll('[data-connection-state]').length;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return count;
  });
  assert.equal(shown, 1, 'one connection state on the page (the manager\'s, or the page\'s fallback)');
  // The background accepted this page's requests (the list) and its event port (pushes follow below).
  await clean(page, 'full view, one host');

  await select.select(labId);
  await waitForText(page, '>>> api-key-manager >>> [part~="title"]', /Lab/);
  await waitForRow(page, 'ci-backup');
  assert.equal(new URL(page.url()).searchParams.get('host'), labId, 'the address follows the chosen host');
  await page.close();
});

test('create → the new key is shown once and stored in the vault', async () => {
  const page = await openFullView(`?host=${encodeURIComponent(labId)}`);
  await waitForRow(page, 'ci-backup');
  await click(page, '>>> api-key-manager >>> [part~="add-button"]');
  await fill(page, '>>> api-key-form >>> input[name="name"]', 'full-view-created');
  await click(page, '>>> api-key-form >>> [part~="submit-button"]');
  await find(page, '>>> key-reveal-dialog >>> [part~="copy-button"]');
  await clean(page, 'full view, reveal dialog');
  await click(page, '>>> key-reveal-dialog >>> [part~="close-button"]');
  await waitForRow(page, 'full-view-created');
  const vault = await request<Array<{ name: string; keyId: number | null }>>(probe, 'vault.list', {});
  assert.ok(vault.ok && vault.value.some((e) => e.name === 'full-view-created'), JSON.stringify(vault));
  await page.close();
});

test('?key=…&action=edit opens the edit form for that key; the change reaches the NAS', async () => {
  const id = await keyId(labId, 'full-view-created');
  const page = await openFullView(`?host=${encodeURIComponent(labId)}&key=${id}&action=edit`);
  const name = await find(page, '>>> api-key-form >>> input[name="name"]');
  assert.equal(await name.evaluate((el) => (el as HTMLInputElement).value), 'full-view-created');
  await fill(page, '>>> api-key-form >>> input[name="name"]', 'full-view-renamed');
  await click(page, '>>> api-key-form >>> [part~="submit-button"]');
  await waitForRow(page, 'full-view-renamed');
  assert.ok((await hostKeys(labId)).some((k) => k.id === id && k.name === 'full-view-renamed'));
  await page.close();
});

test('?key=…&action=reset opens the form with Reset ticked and shows the new key once', async () => {
  const id = await keyId(labId, 'full-view-renamed');
  const page = await openFullView(`?host=${encodeURIComponent(labId)}&key=${id}&action=reset`);
  const reset = await find(page, '>>> api-key-form >>> [part~="reset"] input[type="checkbox"]');
  assert.equal(await reset.evaluate((el) => (el as HTMLInputElement).checked), true);
  await click(page, '>>> api-key-form >>> [part~="submit-button"]');
  await find(page, '>>> key-reveal-dialog >>> [part~="copy-button"]');
  await click(page, '>>> key-reveal-dialog >>> [part~="close-button"]');
  const vault = await request<Array<{ name: string; history: unknown[] }>>(probe, 'vault.list', {});
  assert.ok(vault.ok && vault.value.some((e) => e.name === 'full-view-renamed' && e.history.length === 1), JSON.stringify(vault));
  await page.close();
});

test('?key=…&action=delete asks for the confirmation, then deletes the key on the NAS', async () => {
  const id = await keyId(labId, 'full-view-renamed');
  const page = await openFullView(`?host=${encodeURIComponent(labId)}&key=${id}&action=delete`);
  await click(page, '>>> delete-key-dialog >>> [part~="confirm"] input');
  await click(page, '>>> delete-key-dialog >>> [part~="delete-button"]');
  await waitForRow(page, 'full-view-renamed', false);
  assert.ok(!(await hostKeys(labId)).some((k) => k.id === id));

  // A key that is not (or no longer) there: the page says so instead of opening anything.
  const again = await openFullView(`?host=${encodeURIComponent(labId)}&key=${id}&action=edit`);
  assert.match(await waitForText(again, '>>> [data-notice]', /not on this NAS/), new RegExp(`Key ${id} is not on this NAS`));
  await again.close();
  await page.close();
});

test('locked: the unlock form; after unlocking, the same host again', async () => {
  const page = await openFullView(`?host=${encodeURIComponent(secondId)}`);
  await waitForRow(page, 'ci-backup');
  assert.ok((await request(probe, 'vault.lock', null)).ok);
  // The lock reaches the page as a push over its events port.
  const passphrase = await find(page, '>>> nkm-unlock-form >>> input[name="passphrase"]');
  assert.equal(await page.evaluate(() => document.querySelector('nkm-manager-app')?.shadowRoot?.querySelector('api-key-manager')), null);
  await clean(page, 'full view, locked');
  assert.ok(passphrase);
  await fill(page, '>>> nkm-unlock-form >>> input[name="passphrase"]', PASSPHRASE);
  await click(page, '>>> nkm-unlock-form >>> button[type="submit"]');
  await waitForRow(page, 'ci-backup');
  const select = await find(page, '>>> nkm-manager-app >>> select[name="host"]');
  assert.equal(await select.evaluate((el) => (el as HTMLSelectElement).value), secondId);
  // Focus moves on from the unlock form (which is gone) to the host chooser.
  await page.waitForFunction(() => document.querySelector('nkm-manager-app')?.shadowRoot?.activeElement?.getAttribute('name') === 'host');
  await page.close();
});

test('an address naming a host that is no longer saved says so and shows a saved one', async () => {
  const page = await openFullView('?host=no-such-host');
  assert.match(await waitForText(page, '>>> [data-notice]', /no longer saved/), /The host in the address is no longer saved/);
  await waitForRow(page, 'ci-backup');
  const select = await find(page, '>>> nkm-manager-app >>> select[name="host"]');
  assert.ok([labId, secondId].includes(await select.evaluate((el) => (el as HTMLSelectElement).value)));
  await page.close();
});

test('a lock while a new key is on screen keeps it there until its dialog is closed', async () => {
  const page = await openFullView(`?host=${encodeURIComponent(labId)}`);
  await waitForRow(page, 'ci-backup');
  await click(page, '>>> api-key-manager >>> [part~="add-button"]');
  await fill(page, '>>> api-key-form >>> input[name="name"]', 'full-view-lock');
  await click(page, '>>> api-key-form >>> [part~="submit-button"]');
  await find(page, '>>> key-reveal-dialog >>> [part~="copy-button"]');
  assert.ok((await request(probe, 'vault.lock', null)).ok);
  await find(page, '>>> [data-lock-pending]');
  assert.equal(await page.evaluate(() => document.querySelector('nkm-manager-app')?.shadowRoot?.querySelector('nkm-unlock-form')), null);
  await click(page, '>>> key-reveal-dialog >>> [part~="close-button"]');
  await find(page, '>>> nkm-unlock-form >>> input[name="passphrase"]');
  await gone(page, '>>> [data-lock-pending]');
  assert.ok((await request(probe, 'vault.unlock', { passphrase: PASSPHRASE })).ok);
  await page.close();
});

test('a NAS that cannot be reached shows as offline', async () => {
  const saved = await request<{ host: { id: string } }>(probe, 'hosts.save', { name: 'Gone', address: await deadAddress(), login: 'apiKey', username: null, allowInsecure: false, secret: lab.admin.apiKey, saveAnyway: true });
  assert.ok(saved.ok, JSON.stringify(saved));
  const page = await openFullView(`?host=${encodeURIComponent(saved.value.host.id)}`);
  // The state may flip to "connecting" while a retry runs: read the text of the offline state itself.
  await waitForText(page, '>>> [data-connection-state="offline"]', /Offline/, 60_000);
  await clean(page, 'full view, offline');
  assert.ok((await request(probe, 'hosts.remove', { id: saved.value.host.id })).ok);
  await page.close();
});

test('no horizontal scrolling of the options page, and the own parts of the full view fit, at 375, 800 and 1280 px', async () => {
  const page = await openFullView(`?host=${encodeURIComponent(labId)}`);
  await waitForRow(page, 'ci-backup');
  const options = await session.open('options/options.html');
  await find(options, '>>> li[data-host-id] h3');
  for (const width of WIDTHS) {
    await page.setViewport({ width, height: 800 });
    await options.setViewport({ width, height: 800 });
    await settled(page);
    await settled(options);
    assert.deepEqual(await sticksOut(page, 'nkm-manager-app', ['api-key-manager']), [], `full view's own parts at ${width} px`);
    assert.deepEqual(await horizontalOverflow(options), [], `options at ${width} px`);
  }
  await options.close();
  await page.close();
});

test('no horizontal scrolling of the whole full view (document and every scroll container) at 375, 800 and 1280 px', async () => {
  const page = await openFullView(`?host=${encodeURIComponent(labId)}`);
  await waitForRow(page, 'ci-backup');
  for (const width of WIDTHS) {
    await page.setViewport({ width, height: 800 });
    await settled(page);
    assert.deepEqual(await horizontalOverflow(page), [], `full view at ${width} px`);
  }
  await page.close();
});

test('column choices are kept per host (nkm.columns.<hostId>) across visits', async () => {
  const page = await openFullView(`?host=${encodeURIComponent(labId)}`);
  await waitForRow(page, 'ci-backup');
  await click(page, '>>> api-key-table >>> [part~="columns-button"]');
  const box = '>>> api-key-table >>> li[part~="organizer-item"][data-column="username"] input[part~="organizer-checkbox"]';
  assert.equal(await (await find(page, box)).evaluate((el) => (el as HTMLInputElement).checked), true);
  await click(page, box);
  await click(page, '>>> api-key-table >>> [part~="organizer-close"]');
  const stored = await page.evaluate((a, b) => ({ lab: localStorage.getItem(`nkm.columns.${a}`), second: localStorage.getItem(`nkm.columns.${b}`) }), labId, secondId);
  assert.ok(stored.lab && (JSON.parse(stored.lab) as Array<{ id: string; visible: boolean }>).some((c) => c.id === 'username' && !c.visible), `stored: ${stored.lab}`);
  assert.equal(stored.second, null, 'another host keeps its own columns');
  await page.close();

  const again = await openFullView(`?host=${encodeURIComponent(labId)}`);
  await waitForRow(again, 'ci-backup');
  await click(again, '>>> api-key-table >>> [part~="columns-button"]');
  assert.equal(await (await find(again, box)).evaluate((el) => (el as HTMLInputElement).checked), false, 'the choice is back on the next visit');
  await click(again, box);
  await click(again, '>>> api-key-table >>> [part~="organizer-close"]');
  await again.close();
});

test('German: the full view, the options page and the vault view fit at every width, in German, axe-clean', async () => {
  const german = await launch({ lang: 'de' });
  try {
    const options = await german.open('options/options.html');
    await fill(options, '>>> nkm-vault-panel >>> input[name="passphrase"]', PASSPHRASE);
    await fill(options, '>>> nkm-vault-panel >>> input[name="repeat"]', PASSPHRASE);
    await click(options, '>>> nkm-vault-panel >>> form button[type="submit"]');
    await waitForText(options, '>>> nkm-vault-panel >>> p[role="status"]', /entsperrt/);
    await click(options, '>>> button[name="add-host"]');
    await fillHostForm(options, { name: 'Labor', address: lab.url, secret: lab.admin.apiKey });
    await click(options, '>>> nkm-host-form >>> button[type="submit"]');
    assert.match(await waitForText(options, '>>> #hosts-notice', /wurde gespeichert/), /Angemeldet bei TrueNAS 25\.10/);
    // An offline NAS: the offer to save anyway, in German.
    await click(options, '>>> button[name="add-host"]');
    await fillHostForm(options, { name: 'Aus', address: await deadAddress(), secret: lab.admin.apiKey });
    await click(options, '>>> nkm-host-form >>> button[type="submit"]');
    assert.match(await textOf(options, '>>> nkm-host-form >>> button[name="save-anyway"]'), /Trotzdem speichern/);
    assert.deepEqual(await axeViolations(options), [], 'axe: German options, save anyway');
    await click(options, '>>> nkm-host-form >>> button[name="cancel"]');
    const state = await request<{ hosts: Array<{ id: string; name: string }> }>(options, 'app.state', null);
    assert.ok(state.ok);
    const id = state.value.hosts.find((h) => h.name === 'Labor')!.id;
    const created = await request(options, 'keys.create', { hostId: id, input: { name: 'ein-sehr-langer-schluesselname-fuer-die-breite', username: 'truenas_admin' } });
    assert.ok(created.ok, JSON.stringify(created));

    const page = await german.open(`manager/manager.html?host=${encodeURIComponent(id)}`);
    await waitForRow(page, 'ci-backup');
    await find(page, '>>> [data-connection-state="signed-in"]');
    assert.doesNotMatch(await textOf(page, '>>> [data-connection-state]'), /Signed in/);
    assert.match(await textOf(page, '>>> nkm-manager-app >>> button[name="lock"]'), /Jetzt sperren|Sperren/);
    assert.deepEqual(await axeViolations(page), [], 'axe: German full view');
    for (const width of WIDTHS) {
      await page.setViewport({ width, height: 800 });
      await options.setViewport({ width, height: 800 });
      await settled(page);
      await settled(options);
      assert.deepEqual(await horizontalOverflow(page), [], `German full view at ${width} px`);
      assert.deepEqual(await horizontalOverflow(options), [], `German options at ${width} px`);
    }

    const popup = await german.open('popup/popup.html');
    await click(popup, '>>> button[name="tab-vault"]');
    await find(popup, '>>> nkm-vault-view >>> li[data-entry-id] h3');
    for (const width of [320, 360, 400, 800]) {
      await popup.setViewport({ width, height: 600 });
      await popup.waitForFunction((w) => window.innerWidth === w, {}, width);
      assert.deepEqual(await sticksOut(popup, '>>> nkm-vault-view'), [], `German vault view at ${width} px`);
    }
  } finally {
    await german.close();
  }
});
