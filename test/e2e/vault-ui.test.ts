// The vault's trust features in the real extension (issue 9, vault area): export names damaged
// entries it could not include, the popup lists damaged entries and deletes them, import shows a
// preview and applies only after confirmation, a file dated in the future is refused, and the
// passphrase can be changed from the options page. axe runs on every new state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { writeEncryptedExport } from '../../extension/vault/export-format.js';
import { axeViolations } from './helpers/axe.js';
import { PASSPHRASE, addHost, createVault } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { launch, request, type Session } from './helpers/session.js';
import { click, fill, find, gone, textOf, waitForText } from './helpers/ui.js';
import { sticksOut } from './helpers/widths.js';

const FILE_PASSPHRASE = 'export file passphrase';
const NEW_PASSPHRASE = 'maple orbit sandal violin lantern';
const HOSTILE_NAME = '<img src=x onerror="document.title=1">\u202Egpj.exe';

let session: Session;
let options: Page;
let nas: RunningSimulator;
let downloads: string;
let hostId: string;

before(async () => {
  nas = await startNas({ profile: '25.10' });
  session = await launch();
  options = await session.open('options/options.html');
  downloads = await mkdtemp(join(tmpdir(), 'nkm-vault-ui-'));
  await createVault(options);
  await addHost(options, { name: 'Lab', address: nas.url, secret: nas.admin.apiKey });
  const state = await request<{ hosts: Array<{ id: string; name: string }> }>(options, 'app.state', null);
  assert.ok(state.ok);
  hostId = state.value.hosts.find((h) => h.name === 'Lab')!.id;
  for (const name of ['first-key', HOSTILE_NAME]) {
    const created = await request(options, 'keys.create', { hostId, input: { name, username: 'truenas_admin' } });
    assert.ok(created.ok, JSON.stringify(created));
  }
});
after(async () => {
  await session?.close();
  await stopAll();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

async function clean(page: Page, what: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe violations in: ${what}`);
}

interface ListedKey {
  id: string;
  name: string;
}
async function vaultKeys(page: Page): Promise<ListedKey[]> {
  const list = await request<ListedKey[]>(page, 'vault.list', {});
  assert.ok(list.ok, JSON.stringify(list));
  return list.value;
}

/** Flips one ciphertext byte of a stored row, as damage on disk would (in the background's own IndexedDB). */
async function damageRow(store: 'keys' | 'hosts', id: string): Promise<void> {
  await session.background(
    `(async () => {
      const db = await new Promise((resolve, reject) => { const r = indexedDB.open('nas-key-vault'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      await new Promise((resolve, reject) => {
        const tx = db.transaction(${JSON.stringify(store)}, 'readwrite');
        const os = tx.objectStore(${JSON.stringify(store)});
        const get = os.get(${JSON.stringify(id)});
        get.onsuccess = () => { const row = get.result; const ct = new Uint8Array(row.ct); ct[0] ^= 1; os.put({ ...row, ct }); };
        tx.oncomplete = () => resolve(null);
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    })()`,
  );
}

/** Exports through the options page and returns the downloaded file, moved to a name of its own. */
let exports = 0;
async function exportThroughUi(): Promise<string> {
  // Chromium lets a page start one download on its own, then asks before more: a fresh load starts over.
  await options.reload();
  const inbox = join(downloads, 'inbox');
  await rm(inbox, { recursive: true, force: true });
  await mkdir(inbox);
  const cdp = await options.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: inbox });
  await fill(options, '>>> nkm-vault-panel >>> input[name="exportPassphrase"]', FILE_PASSPHRASE);
  await click(options, '>>> nkm-vault-panel >>> form[aria-labelledby="export-title"] button[type="submit"]');
  await waitForText(options, '>>> nkm-vault-panel >>> p.status', /Exported/);
  const until = Date.now() + 15_000;
  for (;;) {
    const done = (await readdir(inbox)).find((f) => f.endsWith('.json'));
    if (done) {
      const path = join(downloads, `export-${++exports}.json`);
      await rename(join(inbox, done), path);
      return path;
    }
    if (Date.now() > until) throw new Error('no export was downloaded');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function chooseImport(path: string, passphrase: string): Promise<void> {
  const input = (await find(options, '>>> nkm-vault-panel >>> input[name="file"]')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(path);
  await fill(options, '>>> nkm-vault-panel >>> input[name="importPassphrase"]', passphrase);
  await click(options, '>>> nkm-vault-panel >>> button[name="preview"]');
}

test('an export confirms what it wrote; with a damaged entry it warns and names it; the popup lists it and deletes it', async () => {
  const path = await exportThroughUi();
  const written = await textOf(options, '>>> nkm-vault-panel >>> p.status');
  assert.match(written, /^Exported 2 keys and 1 host sign-in to the file nas-key-manager-vault-\d{4}-\d{2}-\d{2}\.json\.$/);
  assert.ok(path.endsWith('.json'));
  assert.ok(!(await readFile(path, 'utf8')).includes(nas.admin.apiKey), 'the export is encrypted');
  assert.equal(await options.$('>>> nkm-vault-panel >>> #export-damaged'), null, 'a complete export has no damage warning');

  const [damaged] = await vaultKeys(options);
  await damageRow('keys', damaged!.id);
  await exportThroughUi();
  assert.match(await textOf(options, '>>> nkm-vault-panel >>> p.status'), /^Exported 1 key and 1 host sign-in to the file /);
  const warning = await waitForText(options, '>>> nkm-vault-panel >>> #export-damaged[role="alert"]', /incomplete/);
  assert.match(warning, new RegExp(`1 entry could not be included because it is damaged \\(stored key ${damaged!.id}\\)`));
  assert.match(warning, /importing it restores damaged entries/);
  await clean(options, 'options: export with a damage warning');

  const popup = await session.open('popup/popup.html');
  await click(popup, '>>> button[name="tab-vault"]');
  const section = await waitForText(popup, '>>> nkm-vault-view >>> #vault-damaged', /1 damaged entry/);
  assert.match(section, /Restore them by importing an export made before the damage/);
  assert.match(await textOf(popup, `>>> nkm-vault-view >>> li[data-damaged-id="${damaged!.id}"]`), new RegExp(`Stored key, entry ${damaged!.id}`));
  await clean(popup, 'popup: vault view with a damaged entry');
  await click(popup, `>>> nkm-vault-view >>> li[data-damaged-id="${damaged!.id}"] button[name="delete-damaged"]`);
  await find(popup, '>>> nkm-vault-view >>> [role="alertdialog"] button[name="confirm-delete-damaged"]');
  await clean(popup, 'popup: damaged entry delete confirmation');
  await click(popup, '>>> nkm-vault-view >>> button[name="confirm-delete-damaged"]');
  await waitForText(popup, '>>> #vault-notice', /The damaged entry was deleted/);
  await gone(popup, '>>> nkm-vault-view >>> #vault-damaged');
  const damagedNow = await request<unknown[]>(popup, 'vault.damaged', null);
  assert.ok(damagedNow.ok);
  assert.deepEqual(damagedNow.value, []);
  // A healthy entry is never removed through this path.
  const [healthy] = await vaultKeys(popup);
  const refused = await request(popup, 'vault.deleteDamaged', { store: 'keys', id: healthy!.id });
  assert.ok(!refused.ok && refused.error.code === 'not-found');
  assert.equal((await vaultKeys(popup)).length, 1);
  await popup.close();

  // The first export (made before the damage) restores the lost entry: the preview says "add".
  await chooseImport(path, FILE_PASSPHRASE);
  await waitForText(options, '>>> nkm-vault-panel >>> #import-preview-counts', /1 to add, 0 to update, 2 already present/);
  await click(options, '>>> nkm-vault-panel >>> button[name="confirm-import"]');
  await waitForText(options, '>>> nkm-vault-panel >>> p.status', /Import done: 1 added, 0 updated, 2 already present/);
  assert.equal((await vaultKeys(options)).length, 2);
});

test('import shows a preview (names as text), cancel changes nothing, confirm applies it', async () => {
  const path = await exportThroughUi();
  const keys = await vaultKeys(options);
  const hostile = keys.find((k) => k.name === HOSTILE_NAME)!;
  assert.ok((await request(options, 'vault.delete', { id: hostile.id })).ok);

  await chooseImport(path, FILE_PASSPHRASE);
  await waitForText(options, '>>> nkm-vault-panel >>> #import-preview-counts', /1 to add, 0 to update, 2 already present \(skipped\)/);
  const rows = await options.$$eval('>>> nkm-vault-panel >>> #import-preview tbody tr', (trs) =>
    trs.map((tr) => ({ kind: tr.getAttribute('data-kind'), action: tr.getAttribute('data-action'), text: tr.textContent ?? '' })),
  );
  assert.equal(rows.length, 3);
  const added = rows.find((r) => r.action === 'add')!;
  assert.equal(added.kind, 'key');
  // The name is shown as text, its bidi override as a visible marker; nothing of it became HTML.
  assert.ok(added.text.includes('<img src=x onerror="document.title=1">\\u{202e}gpj.exe'), added.text);
  assert.equal(await options.$('>>> nkm-vault-panel >>> #import-preview img'), null);
  assert.ok(rows.some((r) => r.kind === 'host' && r.action === 'skip'));
  await clean(options, 'options: import preview');

  await click(options, '>>> nkm-vault-panel >>> button[name="cancel-import"]');
  await waitForText(options, '>>> nkm-vault-panel >>> p.status', /Import cancelled: nothing was changed/);
  await gone(options, '>>> nkm-vault-panel >>> #import-preview');
  assert.equal((await vaultKeys(options)).length, keys.length - 1);

  await chooseImport(path, FILE_PASSPHRASE);
  await find(options, '>>> nkm-vault-panel >>> #import-preview');
  await click(options, '>>> nkm-vault-panel >>> button[name="confirm-import"]');
  await waitForText(options, '>>> nkm-vault-panel >>> p.status', /Import done: 1 added, 0 updated, 2 already present/);
  assert.ok((await vaultKeys(options)).some((k) => k.name === HOSTILE_NAME));
  // Once everything is present the preview says so and offers nothing to apply.
  await chooseImport(path, FILE_PASSPHRASE);
  await waitForText(options, '>>> nkm-vault-panel >>> #import-preview-counts', /already in the vault: importing it would change nothing/);
  assert.ok(await options.$('>>> nkm-vault-panel >>> button[name="confirm-import"][disabled]'));
  await click(options, '>>> nkm-vault-panel >>> button[name="cancel-import"]');
});

test('a file dated in the future is refused with a clear message; a wrong file passphrase too', async () => {
  const future = Date.now() + 3_600_000;
  const content = await writeEncryptedExport(
    {
      keys: [{ host: nas.url, keyId: 999, name: 'from the future', secret: `999-${'F'.repeat(64)}`, createdAt: null, source: 'manual', notes: '', expiresAt: null, storedAt: future, history: [], updatedAt: future }],
      hosts: [],
    },
    FILE_PASSPHRASE,
    600_000,
    Date.now(),
  );
  const path = join(downloads, 'future.json');
  await writeFile(path, content);
  await chooseImport(path, FILE_PASSPHRASE);
  const error = await waitForText(options, '>>> nkm-vault-panel >>> #import-error', /future/);
  assert.match(error, /dates more than 5 minutes in the future.*Nothing was imported/);
  assert.equal(await options.$('>>> nkm-vault-panel >>> #import-preview'), null);
  await clean(options, 'options: import refused');
  await chooseImport(path, 'not the file passphrase');
  await waitForText(options, '>>> nkm-vault-panel >>> #import-error', /does not open this export file/);
  assert.ok(!(await vaultKeys(options)).some((k) => k.name === 'from the future'));
  assert.ok((await readFile(path, 'utf8')).length > 0);
});

test('the passphrase changes from the options page: strength hint, mismatch, wrong current, success', async () => {
  const form = '>>> nkm-vault-panel >>> form[aria-labelledby="passphrase-title"]';
  await fill(options, `${form} input[name="newPassphrase"]`, 'aaaaaaaaaa');
  await waitForText(options, '>>> nkm-vault-panel >>> #new-passphrase-strength', /weak\. Use 4 or more random words/);
  await fill(options, `${form} input[name="newPassphrase"]`, NEW_PASSPHRASE);
  await waitForText(options, '>>> nkm-vault-panel >>> #new-passphrase-strength', /Strength: strong/);

  // Mismatch: the first new passphrase stays, the second is asked for again (and focused).
  await fill(options, `${form} input[name="currentPassphrase"]`, PASSPHRASE);
  await fill(options, `${form} input[name="repeatPassphrase"]`, 'something else entirely');
  await click(options, `${form} button[name="change-passphrase"]`);
  await waitForText(options, '>>> nkm-vault-panel >>> #passphrase-repeat-error', /two new passphrases differ/);
  assert.equal(await options.$eval(`${form} input[name="newPassphrase"]`, (el) => (el).value), NEW_PASSPHRASE);
  assert.equal(await options.$eval(`${form} input[name="repeatPassphrase"]`, (el) => (el).value), '');
  assert.equal(await options.$eval('nkm-options-app', (app) => app.shadowRoot?.querySelector('nkm-vault-panel')?.shadowRoot?.activeElement?.getAttribute('name') ?? null), 'repeatPassphrase');
  await clean(options, 'options: passphrase mismatch');

  // Wrong current passphrase: a clear error, it counts as a failed attempt, nothing changes.
  await fill(options, `${form} input[name="currentPassphrase"]`, 'not the current passphrase');
  await fill(options, `${form} input[name="repeatPassphrase"]`, NEW_PASSPHRASE);
  await click(options, `${form} button[name="change-passphrase"]`);
  await waitForText(options, '>>> nkm-vault-panel >>> #passphrase-current-error', /current passphrase is not correct\. Nothing was changed/);
  await clean(options, 'options: wrong current passphrase');

  await fill(options, `${form} input[name="currentPassphrase"]`, PASSPHRASE);
  await fill(options, `${form} input[name="newPassphrase"]`, NEW_PASSPHRASE);
  await fill(options, `${form} input[name="repeatPassphrase"]`, NEW_PASSPHRASE);
  await click(options, `${form} button[name="change-passphrase"]`);
  await waitForText(options, '>>> nkm-vault-panel >>> p.status', /The passphrase was changed/);
  assert.equal(await options.$eval(`${form} input[name="currentPassphrase"]`, (el) => (el).value), '');

  // Only the new passphrase unlocks now.
  assert.ok((await request(options, 'vault.lock', null)).ok);
  const old = await request(options, 'vault.unlock', { passphrase: PASSPHRASE });
  assert.ok(!old.ok && old.error.code === 'wrong-passphrase');
  const unlocked = await request<{ locked: boolean }>(options, 'vault.unlock', { passphrase: NEW_PASSPHRASE });
  assert.ok(unlocked.ok && !unlocked.value.locked);
  assert.equal((await vaultKeys(options)).length, 2);
});

// ---- Issue 10 (vault view): search, monospace reveal, a delete confirmation that fits ----------

test('the vault view searches, shows a revealed key in monospace, and its delete confirmation fits at 320-800 px', async () => {
  for (const name of ['search-alpha', 'search-beta']) {
    // Owned by the seed's read-only service account: truenas_admin is near its 10-key limit by now.
    const created = await request(options, 'keys.create', { hostId, input: { name, username: 'svc-ro' } });
    assert.ok(created.ok, JSON.stringify(created));
  }
  const stored = await vaultKeys(options);
  const alpha = stored.find((k) => k.name === 'search-alpha')!;
  const entry = (id: string) => `>>> nkm-vault-view >>> li[data-entry-id="${id}"]`;
  const popup = await session.open('popup/popup.html');
  await popup.setViewport({ width: 360, height: 600 });
  if (await popup.$('>>> nkm-unlock-form >>> input[name="passphrase"]')) {
    await fill(popup, '>>> nkm-unlock-form >>> input[name="passphrase"]', NEW_PASSPHRASE);
    await click(popup, '>>> nkm-unlock-form >>> button[type="submit"]');
  }
  await click(popup, '>>> button[name="tab-vault"]');
  await find(popup, `${entry(alpha.id)} h3`);

  // Search: by name (any order of words, any case); the count is announced; no match says so.
  await fill(popup, '>>> nkm-vault-view >>> input[name="vault-search"]', 'ALPHA search');
  await waitForText(popup, '>>> nkm-vault-view >>> [data-search-count]', new RegExp(`^1 of ${stored.length} stored keys$`));
  const listed = await popup.evaluate(() => [...(document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-vault-view')?.shadowRoot?.querySelectorAll('li[data-entry-id]') ?? [])].map((li) => li.getAttribute('data-entry-id')));
  assert.deepEqual(listed, [alpha.id]);
  await fill(popup, '>>> nkm-vault-view >>> input[name="vault-search"]', 'no such key');
  await waitForText(popup, '>>> nkm-vault-view >>> [data-search-count]', /No stored key matches/);
  await clean(popup, 'popup: vault view search without a match');
  await fill(popup, '>>> nkm-vault-view >>> input[name="vault-search"]', '');
  await find(popup, `${entry(alpha.id)} h3`);

  // A revealed key is in a monospace font.
  await click(popup, `${entry(alpha.id)} button[name="reveal"]`);
  const font = await (await find(popup, `${entry(alpha.id)} input.secret`)).evaluate((el) => getComputedStyle(el).fontFamily);
  assert.match(font, /mono/i);
  await click(popup, `${entry(alpha.id)} button[name="reveal"]`);

  // The inline delete confirmation is fully visible at every popup width, with focus on Cancel.
  await click(popup, `${entry(alpha.id)} button[name="delete"]`);
  await find(popup, `${entry(alpha.id)} [data-delete-confirm] button[name="confirm-delete"]`);
  const focused = await popup.evaluate(() => document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('nkm-vault-view')?.shadowRoot?.activeElement?.getAttribute('name'));
  assert.equal(focused, 'cancel-delete');
  await clean(popup, 'popup: vault view delete confirmation');
  for (const width of [320, 360, 400, 800]) {
    await popup.setViewport({ width, height: 600 });
    await popup.waitForFunction((w) => window.innerWidth === w, {}, width);
    assert.deepEqual(await sticksOut(popup, '>>> nkm-vault-view'), [], `vault view at ${width} px`);
    const box = await (await find(popup, `${entry(alpha.id)} [data-delete-confirm]`)).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, width: window.innerWidth };
    });
    assert.ok(box.left >= 0 && box.right <= box.width, `the confirmation is inside the window at ${width} px: ${JSON.stringify(box)}`);
  }
  await click(popup, `${entry(alpha.id)} button[name="cancel-delete"]`);
  await gone(popup, `${entry(alpha.id)} [data-delete-confirm]`);
  await popup.close();
});
