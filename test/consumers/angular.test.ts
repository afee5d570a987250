/**
 * An Angular app (the framework of the TrueNAS web UI, so the team most likely to embed us): the
 * components package from its tarball in a standalone component with CUSTOM_ELEMENTS_SCHEMA,
 * `[service]`/`[lang]` property bindings and a `(nas-key-action)` event binding, built by the
 * Angular CLI (strict templates) and run in real Chromium.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { installConsumer, run } from './helpers/consumer.js';
import { clickRowAction, launch, managerRows, open, serve, usernameHeader } from './helpers/browser.js';

let project: string;
let site: { url: string; close: () => Promise<void> } | undefined;
let browser: Browser;

before(async () => {
  project = await installConsumer('angular');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('ng build compiles the app with strict templates', { timeout: 300_000 }, async () => {
  const build = await run('npm', ['run', 'build', '--silent'], project, { env: { NG_CLI_ANALYTICS: 'false', CI: 'true' }, timeoutMs: 300_000 });
  assert.equal(build.code, 0, `ng build:\n${build.stdout}${build.stderr}`);
});

test('<api-key-manager> in Angular: [service], [lang] and (nas-key-action) work', { timeout: 60_000 }, async () => {
  site = await serve(join(project, 'dist', 'browser'));
  const { page, errors } = await open(browser, site.url);
  try {
    assert.deepEqual((await managerRows(page, '#manager')).sort(), ['backup-script', 'home-assistant'], 'the service property binding');
    assert.equal(await usernameHeader(page, '#manager'), 'Username');
    await page.click('#german');
    await page.waitForFunction(
      () => document.querySelector('#manager')!.shadowRoot!.querySelector('api-key-table')!.shadowRoot!.querySelector('[data-col="username"] .sort-label')?.textContent?.trim() === 'Benutzername',
      { timeout: 10_000 },
    );
    await clickRowAction(page, 'home-assistant', 'delete', '#manager');
    await page.waitForFunction(() => document.querySelector('#actions')!.textContent === 'delete:home-assistant', { timeout: 10_000 });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
