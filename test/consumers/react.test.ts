/**
 * A React 19 app, as a UI team on React builds it: the components package from its tarball with
 * `@lit/react`, the wrappers from `@nas-key-manager/components/react` and the raw tags (typed by
 * the same module), type-checked with the app's own TypeScript (including lines that must fail),
 * bundled with esbuild and run in real Chromium: properties, events and `lang` work both ways.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'puppeteer-core';
import { installConsumer, run } from './helpers/consumer.js';
import { clickRowAction, launch, managerRows, open, serve, usernameHeader } from './helpers/browser.js';

let project: string;
let site: { url: string; close: () => Promise<void> };
let browser: Browser;

before(async () => {
  project = await installConsumer('react');
  site = await serve(project);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('the React consumer type-checks (JSX.IntrinsicElements for the raw tags, typed wrapper props and events)', { timeout: 120_000 }, async () => {
  const typecheck = await run('npm', ['run', 'typecheck', '--silent'], project);
  assert.equal(typecheck.code, 0, `tsc:\n${typecheck.stdout}${typecheck.stderr}`);
});

test('wrappers and raw tags render, take properties, events and lang', { timeout: 120_000 }, async () => {
  const build = await run('npm', ['run', 'build', '--silent'], project);
  assert.equal(build.code, 0, `esbuild:\n${build.stdout}${build.stderr}`);
  const { page, errors } = await open(browser, site.url);
  try {
    for (const selector of ['#wrapped', '#raw']) {
      assert.deepEqual((await managerRows(page, selector)).sort(), ['backup-script', 'home-assistant'], `${selector}: the service property was set`);
      assert.equal(await usernameHeader(page, selector), 'Username');
    }
    const tableRows = await page.waitForFunction(() => document.querySelector('#table')?.shadowRoot?.querySelectorAll('.body [role="row"]').length === 2);
    assert.ok(tableRows, 'the table wrapper got its keys');

    await page.click('#german');
    for (const selector of ['#wrapped', '#raw']) {
      await page.waitForFunction(
        (sel) => document.querySelector(sel)!.shadowRoot!.querySelector('api-key-table')!.shadowRoot!.querySelector('[data-col="username"] .sort-label')?.textContent?.trim() === 'Benutzername',
        { timeout: 10_000 },
        selector,
      );
    }

    await clickRowAction(page, 'home-assistant', 'delete', '#wrapped');
    await clickRowAction(page, 'backup-script', 'delete', '#raw');
    await page.waitForFunction(() => document.querySelector('#actions')!.textContent === 'wrapped:delete:home-assistant raw:delete:backup-script', { timeout: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
