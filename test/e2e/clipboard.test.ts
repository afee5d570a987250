import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { delay, launch, readClipboard, request, waitForClipboard, writeClipboard, type Session } from './helpers/session.js';

let session: Session;
before(async () => {
  session = await launch();
});
after(async () => {
  await session?.close();
});

test('the clipboard clear delay defaults to 30 s', async () => {
  const page = await session.open('popup/popup.html');
  const state = await request<{ settings: { clipboardClearMs: number } }>(page, 'app.state', null);
  assert.ok(state.ok);
  assert.equal(state.value.settings.clipboardClearMs, 30_000);
  const before = Date.now();
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'secret-default' });
  assert.ok(copied.ok, JSON.stringify(copied));
  assert.ok(copied.value.clearsAt >= before + 29_000 && copied.value.clearsAt <= Date.now() + 30_000);
  await page.close();
});

test('copy puts the value on the clipboard and clears it after the configured delay', async () => {
  const page = await session.open('popup/popup.html');
  const settings = await request(page, 'settings.update', { clipboardClearMs: 1500 });
  assert.equal(settings.ok, true);
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'secret-one' });
  assert.equal(copied.ok, true, JSON.stringify(copied));
  assert.equal(await readClipboard(page), 'secret-one');
  await waitForClipboard(page, '');
  assert.ok(Date.now() >= copied.value.clearsAt - 50, 'cleared at the promised time, not before');
  await page.close();
});

test('the clear leaves the clipboard alone when the user copied something else meanwhile', async () => {
  const page = await session.open('popup/popup.html');
  await request(page, 'settings.update', { clipboardClearMs: 1500 });
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'secret-two' });
  assert.ok(copied.ok);
  await writeClipboard(page, 'user text');
  // Nothing to wait for (the point is that nothing happens): let the clear's own deadline pass.
  await delay(Math.max(0, copied.value.clearsAt - Date.now()) + 750);
  assert.equal(await readClipboard(page), 'user text');
  await page.close();
});

test('a stopped worker is woken by its alarm and clears the clipboard', async () => {
  const page = await session.open('popup/popup.html');
  // 5 s: the worker is stopped well before the clear comes due, even on a loaded machine.
  await request(page, 'settings.update', { clipboardClearMs: 5000 });
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'secret-three' });
  assert.ok(copied.ok);
  // No extension page stays open, so only the alarm can start the worker again.
  await page.close();
  const reader = await session.open('icons/icon-128.png');
  await session.stopWorker();
  assert.ok(Date.now() < copied.value.clearsAt, 'the worker stopped before the clear came due');
  assert.equal(await readClipboard(reader), 'secret-three');
  await waitForClipboard(reader, '', 15_000);
  await reader.close();
});

test('a clear that came due while nothing ran (no alarm either) runs when the worker starts again', async () => {
  const page = await session.open('popup/popup.html');
  // 8 s: long enough for the worker to be stopped before the clear comes due on a loaded machine
  // (stopping can take several seconds there), and it still comes due while nothing runs.
  await request(page, 'settings.update', { clipboardClearMs: 8000 });
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'secret-four' });
  assert.ok(copied.ok);
  // As after a browser restart: the persisted deadline is all that is left. No page stays open
  // either (an open page reconnects its events port, which would start the worker at once).
  await session.background(() => chrome.alarms.clearAll());
  await page.close();
  const reader = await session.open('icons/icon-128.png');
  await session.stopWorker();
  assert.ok(Date.now() < copied.value.clearsAt, 'the worker stopped before the clear came due');
  // Let the deadline pass while no worker runs.
  await delay(Math.max(0, copied.value.clearsAt - Date.now()) + 500);
  assert.equal(await readClipboard(reader), 'secret-four');
  const wake = await session.open('popup/popup.html'); // opening the popup starts the worker
  // Generous: on a loaded machine the worker's start and the offscreen document take seconds.
  await waitForClipboard(reader, '', 15_000);
  await wake.close();
  await reader.close();
});

test('bad settings get a specific error and change nothing', async () => {
  const page = await session.open('popup/popup.html');
  await request(page, 'settings.update', { clipboardClearMs: 20_000 });
  const bad = await request(page, 'settings.update', { clipboardClearMs: 500 });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, 'bad-request');
  assert.match(!bad.ok ? bad.error.message : '', /at least 1 second|1 second to 1 hour/);
  const state = await request<{ settings: { clipboardClearMs: number } }>(page, 'app.state', null);
  assert.equal(state.ok && state.value.settings.clipboardClearMs, 20_000);
  await page.close();
});

test('requests from any extension page other than the popup or options page are refused', async () => {
  const page = await session.open('offscreen/offscreen.html');
  const reply = await request(page, 'clipboard.copy', { text: 'x' });
  assert.equal(reply.ok, false);
  assert.equal(!reply.ok && reply.error.code, 'forbidden');
  await page.close();
});

test('unknown request types and malformed payloads get clear errors', async () => {
  const page = await session.open('popup/popup.html');
  const unknown = await request(page, 'vault.dump', null);
  assert.equal(!unknown.ok && unknown.error.code, 'bad-request');
  assert.match(!unknown.ok ? unknown.error.message : '', /vault\.dump/);
  const malformed = await request(page, 'clipboard.copy', { text: 42 });
  assert.equal(!malformed.ok && malformed.error.code, 'bad-request');
  assert.match(!malformed.ok ? malformed.error.message : '', /"text"/);
  await page.close();
});
