/**
 * In a German browser the detail lines of connection failures are German too: the background
 * replaces the connection library's English messages with the extension's own translated terms.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { PASSPHRASE, fillHostForm } from './helpers/flows.js';
import { deadAddress, startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { launch, type Session } from './helpers/session.js';
import { click, fill, find, waitForText } from './helpers/ui.js';

let session: Session;
let page: Page;
let nas: RunningSimulator;

before(async () => {
  nas = await startNas({ profile: '25.10' });
  session = await launch({ lang: 'de' });
  page = await session.open('options/options.html');
  await fill(page, '>>> nkm-vault-panel >>> input[name="passphrase"]', PASSPHRASE);
  await fill(page, '>>> nkm-vault-panel >>> input[name="repeat"]', PASSPHRASE);
  await click(page, '>>> nkm-vault-panel >>> form button[type="submit"]');
  await waitForText(page, '>>> nkm-vault-panel >>> p[role="status"]', /entsperrt/, 30_000);
});
after(async () => {
  await session?.close();
  await stopAll();
});

/** Runs "Test connection" in the host form and returns the report's text. */
async function testInForm(outcome: string): Promise<string> {
  await click(page, '>>> nkm-host-form >>> button[name="test-connection"]');
  const report = `>>> nkm-host-form >>> [data-outcome="${outcome}"]`;
  await find(page, report);
  return waitForText(page, report, /\S/);
}

test('wrong credentials: the detail line is German, not the library\'s English', async () => {
  await click(page, '>>> button[name="add-host"]');
  await fillHostForm(page, { name: 'Labor', address: nas.url, login: 'password', username: 'truenas_admin', secret: 'falsches Passwort' });
  const text = await testInForm('auth-failed');
  assert.match(text, /Das NAS hat die Anmeldung abgelehnt: falscher Benutzername, falsches Passwort/);
  assert.doesNotMatch(text, /Wrong username or password/);
  await click(page, '>>> nkm-host-form >>> button[name="cancel"]');
});

test('a host that is down: the detail line is German', async () => {
  const dead = await deadAddress();
  await click(page, '>>> button[name="add-host"]');
  await fillHostForm(page, { name: 'Aus', address: dead, secret: nas.admin.apiKey });
  const text = await testInForm('unreachable');
  assert.match(text, new RegExp(`Keine Verbindung zum NAS unter ${new URL(dead).hostname.replace(/\./g, '\\.')}\\.`));
  assert.doesNotMatch(text, /Could not connect/);
  await click(page, '>>> nkm-host-form >>> button[name="cancel"]');
});
