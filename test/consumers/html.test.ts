/**
 * A plain page, as a UI team without a framework builds it: the components package from its
 * tarball, bundled with the consumer's own esbuild, `<api-key-manager>` with the in-memory service
 * from `/testing`, themed through documented custom properties and parts, in real Chromium.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { installConsumer, run } from './helpers/consumer.js';
import { clickRowAction, launch, managerRows, open, serve, tableStyle, usernameHeader } from './helpers/browser.js';

let project: string;
let site: { url: string; close: () => Promise<void> };
let browser: Browser;

before(async () => {
  project = await installConsumer('html');
  const build = await run('npm', ['run', 'build', '--silent'], project);
  assert.equal(build.code, 0, `esbuild bundled the page:\n${build.stdout}${build.stderr}`);
  site = await serve(project);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('the bundle resolves every import from the installed tarball', (t) => {
  const size = statSync(join(project, 'dist', 'main.js')).size;
  t.diagnostic(`plain HTML bundle (components + lit + in-memory service, minified): ${size} B`);
  assert.ok(size > 20_000, 'lit and the components are in the bundle');
  // What the table, form and reveal dialog cost a consumer who bundles the tarball (the bench's
  // figure is from source; this one is from what npm installed).
  const three = readFileSync(join(project, 'dist', 'three.js'));
  t.diagnostic(`table + form + reveal + Lit from the tarball: ${three.length} B minified, ${gzipSync(three, { level: 9 }).length} B gzip -9`);
  assert.doesNotMatch(three.toString(), /api-key-manager|delete-key-dialog/, 'only the three elements, nothing the page did not import');
});

test('<api-key-manager> lists the keys, themed by tokens and ::part through the manager', { timeout: 60_000 }, async () => {
  const { page, errors } = await open(browser, site.url);
  try {
    assert.deepEqual((await managerRows(page)).sort(), ['backup-script', 'home-assistant']);
    const accent = await page.evaluate(() => getComputedStyle(document.querySelector('api-key-manager')!.shadowRoot!.querySelector('[part~="add-button"]')!).backgroundColor);
    assert.equal(accent, 'rgb(128, 0, 128)', '--nas-color-accent reaches the Add button');
    const transform = await page.evaluate(() => getComputedStyle(document.querySelector('api-key-manager')!.shadowRoot!.querySelector('[part~="add-button"]')!).textTransform);
    assert.equal(transform, 'uppercase', "the manager's own part");
    assert.equal(await tableStyle(page, '[part~="status-badge"]', 'outline-color'), 'rgb(255, 0, 0)', 'a nested part, through exportparts');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('lang set as a property reaches the nested table; events are typed and cancelable', { timeout: 60_000 }, async () => {
  const { page, errors } = await open(browser, site.url);
  try {
    await managerRows(page);
    assert.equal(await usernameHeader(page), 'Username');
    await page.evaluate(() => {
      document.querySelector('api-key-manager')!.lang = 'de';
    });
    await page.waitForFunction(() => {
      const table = document.querySelector('api-key-manager')!.shadowRoot!.querySelector('api-key-table')!;
      return table.shadowRoot!.querySelector('[data-col="username"] .sort-label')?.textContent?.trim() === 'Benutzername';
    });
    await clickRowAction(page, 'home-assistant', 'delete');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { actions: string[] }).actions), ['delete:home-assistant']);
    const dialogOpen = await page.evaluate(() => document.querySelector('api-key-manager')!.shadowRoot!.querySelector('delete-key-dialog')!.shadowRoot!.querySelector('dialog')?.open ?? false);
    assert.equal(dialogOpen, false, 'preventDefault() took the action over');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
