/**
 * The extension's side of issue 12 §1-2, through the background as the full view uses it:
 * scoped keys (planned, created, the secret in the vault with its purpose; a failing step undone;
 * a NAS that changed since the review), key usage and sessions, per version.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import WebSocket from 'ws';
import { TrueNasClient } from '../../components/client/index.js';
import { addHost, createVault } from './helpers/flows.js';
import { startNas, stopAll, type RunningSimulator } from './helpers/nas.js';
import { axeViolations } from './helpers/axe.js';
import { launch, request, type Session } from './helpers/session.js';
import { popupRowAction } from './helpers/popup.js';
import { click, fill, find, textOf, waitForText } from './helpers/ui.js';

let session: Session;
let lab: RunningSimulator;
let old: RunningSimulator;
let page: Page;
const ids: Record<string, string> = {};

async function ask<T>(type: string, payload: unknown): Promise<T> {
  const reply = await request<T>(page, type, payload);
  if (!reply.ok) throw new Error(`${type}: ${reply.error.message}`);
  return reply.value;
}

/** What the NAS has, read by a client of its own (one sign-in for the whole file). */
let admin: TrueNasClient | undefined;
async function onNas<T>(run: (client: TrueNasClient) => Promise<T>): Promise<T> {
  if (!admin) {
    admin = new TrueNasClient({ url: lab.url, WebSocket, reconnect: false });
    await admin.login({ type: 'apiKey', key: lab.admin.apiKey });
  }
  return run(admin);
}

before(async () => {
  lab = await startNas({ profile: '25.10' });
  old = await startNas({ profile: '22.02' });
  session = await launch();
  page = await session.open('options/options.html');
  await createVault(page);
  await addHost(page, { name: 'Lab', address: lab.url, secret: lab.admin.apiKey });
  await addHost(page, { name: 'Old', address: old.url, secret: old.admin.apiKey });
  const state = await ask<{ hosts: Array<{ id: string; name: string }> }>('app.state', null);
  for (const host of state.hosts) ids[host.name] = host.id;
});
after(async () => {
  await admin?.close();
  await session?.close();
  await stopAll();
});

test('a read-only scoped key: the plan shows what it creates, the run creates it, the secret is in the vault with its purpose', async () => {
  const input = { name: 'grafana', purpose: 'read-only' };
  const plan = await ask<{ steps: Array<{ kind: string }>; roles: string[] }>('keys.planScoped', { hostId: ids['Lab'], input });
  assert.deepEqual(plan.steps.map((s) => s.kind), ['use-group', 'create-user', 'create-key']);
  const made = await ask<{ key: { id: number; username: string }; secret: string; stored: { saved: boolean } }>('keys.createScoped', { hostId: ids['Lab'], input, plan });
  assert.match(made.secret, /^\d+-[A-Za-z0-9]{64}$/);
  assert.equal(made.stored.saved, true);
  const user = await onNas((c) => c.accounts.users([['username', '=', made.key.username]]));
  assert.equal(user.length, 1);
  assert.equal(user[0]!.passwordDisabled, true);
  const vault = await ask<Array<{ keyId: number | null; notes: string }>>('vault.list', {});
  assert.match(vault.find((e) => e.keyId === made.key.id)?.notes ?? '', /Scoped key \(read-only\)/);
  // The key acts with read-only roles: it may read, not write.
  const key = new TrueNasClient({ url: lab.url, WebSocket, reconnect: false });
  try {
    await key.login({ type: 'apiKey', key: made.secret });
    assert.ok((await key.apiKeys.query()).length > 0);
    await assert.rejects(key.apiKeys.create({ name: 'escalate', username: 'truenas_admin' }));
  } finally {
    await key.close();
  }
});

test('a step that fails is reported with the step, and what was created before it is removed from the NAS', async () => {
  const input = { name: 'snapper', purpose: 'snapshots' };
  const plan = await ask('keys.planScoped', { hostId: ids['Lab'], input });
  const groupsBefore = await onNas((c) => c.accounts.groups());
  await lab.command('failNext', { method: 'user.create' });
  const reply = await request<unknown>(page, 'keys.createScoped', { hostId: ids['Lab'], input, plan });
  assert.equal(reply.ok, false);
  const error = !reply.ok ? (reply.error as { message: string; scopedFailure?: { failedStep: string; undone: boolean; leftOnNas: string[] } }) : null;
  assert.equal(error?.scopedFailure?.failedStep, 'create-user');
  assert.equal(error?.scopedFailure?.undone, true);
  assert.match(error?.message ?? '', /stopped at step 3 \(creating the service account\).*Nothing was left on the NAS/s);
  assert.doesNotMatch(error?.message ?? '', /user\.create|privilege\.create/, 'no method names');
  const groupsAfter = await onNas((c) => c.accounts.groups());
  assert.equal(groupsAfter.length, groupsBefore.length, 'the group it had made is gone');
  const privileges = await onNas((c) => c.accounts.privileges());
  assert.ok(!privileges.some((p) => p.name.startsWith('svc-snapper')), 'and the privilege');
});

test('a NAS that changed since the review: nothing is created, the admin reviews again', async () => {
  const input = { name: 'backup-job', purpose: 'read-only' };
  const plan = await ask<{ steps: Array<{ kind: string; username?: string }> }>('keys.planScoped', { hostId: ids['Lab'], input });
  const username = plan.steps.find((s) => s.kind === 'create-user')?.username;
  assert.ok(username);
  await onNas((c) => c.accounts.createServiceUser({ username, fullName: 'taken meanwhile', groupIds: [], shell: '/usr/sbin/nologin', home: '/var/empty' }));
  const reply = await request(page, 'keys.createScoped', { hostId: ids['Lab'], input, plan });
  assert.equal(!reply.ok && reply.error.code, 'bad-request');
  assert.match(!reply.ok ? reply.error.message : '', /review it again/);
  const keys = await onNas((c) => c.apiKeys.query([['name', '=', 'backup-job']]));
  assert.equal(keys.length, 0);
});

test('usage and sessions come in one call each; 22.02 says it cannot tell', async () => {
  const usage = await ask<{ status: string; lastUse?: Array<[number, { at: number }]> }>('keys.usage', { hostId: ids['Lab'] });
  assert.equal(usage.status, 'ok');
  assert.ok(Array.isArray(usage.lastUse) && usage.lastUse.length > 0, 'the extension’s own sign-in is on record');
  const sessions = await ask<{ status: string; byKey?: Array<[number, unknown[]]> }>('keys.sessions', { hostId: ids['Lab'] });
  assert.equal(sessions.status, 'ok');
  assert.ok(sessions.byKey && sessions.byKey.length > 0);
  const legacy = await ask<{ status: string; reason?: string }>('keys.usage', { hostId: ids['Old'] });
  assert.equal(legacy.status, 'unsupported');
  assert.ok(legacy.reason && !/audit\.query/.test(legacy.reason));
});

test('bad scoped input gets a specific error and creates nothing', async () => {
  for (const input of [{ name: 'x', purpose: 'everything' }, { purpose: 'read-only' }, 'read-only']) {
    const reply = await request(page, 'keys.planScoped', { hostId: ids['Lab'], input });
    assert.equal(!reply.ok && reply.error.code, 'bad-request', JSON.stringify(input));
  }
  const refused = await request(page, 'keys.planScoped', { hostId: ids['Lab'], input: { name: 'evil', purpose: 'custom', roles: ['API_KEY_WRITE'] } });
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.error.message : '', /API_KEY_WRITE|every user/);
});

test('the full view: Scoped key → purpose and name → review → create; the key is shown once and is in the vault; usage shows', async () => {
  const full = await session.open(`manager/manager.html?host=${encodeURIComponent(ids['Lab']!)}`);
  await full.setViewport({ width: 1280, height: 900 });
  await click(full, '>>> api-key-manager >>> [part~="scoped-button"]');
  await click(full, '>>> scoped-key-form >>> input[name="purpose"][value="read-only"]');
  await fill(full, '>>> scoped-key-form >>> input[name="name"]', 'full-view-scoped');
  await click(full, '>>> scoped-key-form >>> [part~="review-button"]');
  const review = await waitForText(full, '>>> scoped-key-form >>> [part~="review"]', /svc-full-view-scoped/);
  assert.match(review, /read-only|Read-only/i);
  assert.deepEqual(await axeViolations(full), [], 'axe: the review');
  await click(full, '>>> scoped-key-form >>> [part~="create-button"]');
  await waitForText(full, '>>> key-reveal-dialog >>> [part~="warning"]', /Saved to the vault/);
  assert.deepEqual(await axeViolations(full), [], 'axe: the new scoped key shown once');
  await click(full, '>>> key-reveal-dialog >>> [part~="close-button"]');
  const vault = await ask<Array<{ name: string; notes: string }>>('vault.list', {});
  assert.match(vault.find((e) => e.name === 'full-view-scoped')?.notes ?? '', /Scoped key \(read-only\), owned by the service account svc-full-view-scoped/);
  await full.close();
});

test('quick reset offers to end the old key’s open sessions (TrueNAS keeps them): on by default, the result says how many ended', async () => {
  const made = await ask<{ key: { id: number; name: string }; secret: string }>('keys.create', { hostId: ids['Lab'], input: { name: 'session-holder', username: 'truenas_admin' } });
  // A program signed in with the key, still connected.
  const program = new TrueNasClient({ url: lab.url, WebSocket, reconnect: false });
  await program.login({ type: 'apiKey', key: made.secret });
  const closed = new Promise<void>((resolve) => program.on('disconnected', () => resolve()));
  try {
    await page.evaluate((id) => chrome.storage.local.set({ 'popup.selected': id }), ids['Lab']!);
    const popup = await session.open('popup/popup.html');
    await popupRowAction(popup, 'session-holder', 'quick-reset');
    const offer = await find(popup, '>>> dialog.confirm-reset [data-end-sessions] input[name="end-sessions"]');
    assert.equal(await offer.evaluate((el) => (el as HTMLInputElement).checked), true, 'on by default');
    assert.match(await textOf(popup, '>>> dialog.confirm-reset [data-end-sessions]'), /End its open session too/);
    assert.deepEqual(await axeViolations(popup), [], 'axe: the confirmation with the offer');
    await click(popup, '>>> button[name="confirm-quick-reset"]');
    await waitForText(popup, '>>> [data-quick-reset-done] [data-sessions-ended]', /1 open session of the old key ended/);
    // The result is in view, wherever the list was scrolled to.
    const inView = await popup.evaluate(() => {
      const card = document.querySelector('nkm-popup-app')?.shadowRoot?.querySelector('[data-quick-reset-done]');
      const box = card?.getBoundingClientRect();
      return box !== undefined && box.top >= 0 && box.top < window.innerHeight;
    });
    assert.equal(inView, true, 'the result card is on screen');
    await closed; // the NAS closed the program's socket
    await popup.close();
  } finally {
    await program.close();
  }
});
