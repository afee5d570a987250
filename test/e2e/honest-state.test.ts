/**
 * Honest state (issue 10) in the built extension, against simulated NAS hosts: saving a host
 * tests its sign-in (a bad login is refused, an offline NAS is refused with "unreachable" unless
 * saved anyway, a good one reports the detected version), and a host that goes down mid-session
 * is pushed as reconnecting/offline while actions on it fail within seconds with a message that
 * says nothing was sent and names no method.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { createVault } from './helpers/flows.js';
import { deadAddress, startNas, stopAll, stopNas, type RunningSimulator } from './helpers/nas.js';
import { delay, launch, request, type Session } from './helpers/session.js';
import { find } from './helpers/ui.js';

/** Internal method names never reach a person. */
const METHOD_NAME = /\b(system|api_key|auth|core|user)\.[a-z_]+/;

let session: Session;
let page: Page;
let lab: RunningSimulator;

interface Saved {
  host: { id: string; name: string; version: string | null; protocol: string | null };
  report: { outcome: string; version: string | null } | null;
}

const hostInput = (name: string, address: string, secret: string, extra: Record<string, unknown> = {}) => ({
  name,
  address,
  login: 'apiKey',
  username: null,
  allowInsecure: false,
  secret,
  ...extra,
});

async function hostNames(): Promise<string[]> {
  const state = await request<{ hosts: Array<{ name: string }> }>(page, 'app.state', null);
  assert.ok(state.ok);
  return state.value.hosts.map((h) => h.name);
}

/** Collects host-status pushes in the page, as the popup's service receives them. */
async function listenForStatus(target: Page): Promise<void> {
  await target.evaluate(() => {
    const seen: Array<{ hostId: string; state: string; error: { code: string; message: string } | null }> = [];
    (globalThis as { __statuses?: typeof seen }).__statuses = seen;
    chrome.runtime.connect({ name: 'events' }).onMessage.addListener((event: { type: string; status?: (typeof seen)[number] }) => {
      if (event.type === 'host-status' && event.status) seen.push(event.status);
    });
  });
}

async function statesOf(target: Page, hostId: string): Promise<string[]> {
  return target.evaluate((id) => ((globalThis as { __statuses?: Array<{ hostId: string; state: string }> }).__statuses ?? []).filter((s) => s.hostId === id).map((s) => s.state), hostId);
}

async function waitForState(target: Page, hostId: string, state: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await statesOf(target, hostId)).includes(state)) {
    if (Date.now() > until) throw new Error(`no ${state} push for the host: ${JSON.stringify(await statesOf(target, hostId))}`);
    await delay(50);
  }
}

/** Sends a request and measures how long its (failed) reply took. */
async function timedFailure(type: string, payload: unknown): Promise<{ code: string; message: string; ms: number }> {
  const started = Date.now();
  const reply = await request<unknown>(page, type, payload);
  const ms = Date.now() - started;
  assert.ok(!reply.ok, `${type} should fail: ${JSON.stringify(reply)}`);
  return { ...reply.error, ms };
}

before(async () => {
  lab = await startNas({ profile: '25.10' });
  session = await launch();
  page = await session.open('options/options.html');
  await createVault(page);
});

after(async () => {
  await session?.close();
  await stopAll();
});

test('saving a host tests the sign-in and returns the detected version', async () => {
  const saved = await request<Saved>(page, 'hosts.save', hostInput('Lab', lab.url, lab.admin.apiKey));
  assert.ok(saved.ok, JSON.stringify(saved));
  assert.equal(saved.value.report?.outcome, 'ok');
  assert.match(saved.value.report?.version ?? '', /^25\.10/);
  assert.equal(saved.value.host.version, saved.value.report?.version, 'the saved host carries the version at once');
  assert.equal(saved.value.host.protocol, 'jsonrpc');
  // The tested session became the host's connection: the first list needs no second sign-in.
  const listed = await request(page, 'keys.list', { hostId: saved.value.host.id });
  assert.ok(listed.ok, JSON.stringify(listed));
  const stats = (await lab.command('stats')) as { connections: number; authenticated: number };
  assert.deepEqual([stats.connections, stats.authenticated], [1, 1]);
});

test('a bad login is refused and nothing is saved', async () => {
  const wrongKey = lab.admin.apiKey.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
  const refused = await timedFailure('hosts.save', hostInput('Wrong', lab.url.replace('127.0.0.1', 'localhost'), wrongKey));
  assert.equal(refused.code, 'auth-failed');
  assert.match(refused.message, /rejected the sign-in/);
  assert.ok(!(await hostNames()).includes('Wrong'));
});

test('an offline NAS is refused as unreachable within seconds; "save anyway" saves it untested', async () => {
  const dead = await deadAddress();
  const refused = await timedFailure('hosts.save', hostInput('Down', dead, lab.admin.apiKey));
  assert.equal(refused.code, 'unreachable');
  assert.ok(refused.ms < 5000, `refused after ${refused.ms} ms`);
  assert.doesNotMatch(refused.message, METHOD_NAME);
  assert.ok(!(await hostNames()).includes('Down'));
  const saved = await request<Saved>(page, 'hosts.save', hostInput('Down', dead, lab.admin.apiKey, { saveAnyway: true }));
  assert.ok(saved.ok, JSON.stringify(saved));
  assert.equal(saved.value.report, null);
  assert.equal(saved.value.host.version, null);
  assert.ok((await hostNames()).includes('Down'));
});

test('a host that goes down mid-session: pushed as reconnecting then offline, and actions fail within seconds', async () => {
  const own = await startNas({ profile: '25.10' });
  const saved = await request<Saved>(page, 'hosts.save', hostInput('Flaky', own.url, own.admin.apiKey));
  assert.ok(saved.ok, JSON.stringify(saved));
  const hostId = saved.value.host.id;
  await listenForStatus(page);
  const listed = await request<{ keys: Array<{ id: number }> }>(page, 'keys.list', { hostId });
  assert.ok(listed.ok, JSON.stringify(listed));
  // The save's sign-in test became the host's connection (pushed as signed-in at save time).
  const state = await request<string>(page, 'keys.connection', { hostId });
  assert.deepEqual(state, { ok: true, value: 'signed-in' });
  const keyId = listed.value.keys[0]!.id;

  await stopNas(own);
  await waitForState(page, hostId, 'reconnecting', 5000);
  // An edit and a create (whose timeout is 2 minutes) on the host that went away: both fail in
  // seconds, saying nothing reached the NAS, not that it "did not accept" or "did not answer".
  const update = await timedFailure('keys.update', { hostId, id: keyId, input: { name: 'renamed-while-down' } });
  const create = await timedFailure('keys.create', { hostId, input: { name: 'created-while-down', username: own.admin.username } });
  for (const failure of [update, create]) {
    assert.equal(failure.code, 'unreachable', JSON.stringify(failure));
    assert.ok(failure.ms < 5000, `failed after ${failure.ms} ms`);
    assert.match(failure.message, /Cannot reach the NAS .*nothing was sent/);
    assert.doesNotMatch(failure.message, METHOD_NAME);
    assert.doesNotMatch(failure.message, /did not accept|may have/);
  }
  // Once the reconnect attempts are spent, the host is offline, with the reason.
  await waitForState(page, hostId, 'offline', 60_000);
  assert.deepEqual(await request<string>(page, 'keys.connection', { hostId }), { ok: true, value: 'offline' });
  const last = await page.evaluate((id) => ((globalThis as { __statuses?: Array<{ hostId: string; error: { code: string } | null }> }).__statuses ?? []).filter((s) => s.hostId === id).at(-1), hostId);
  assert.equal(last?.error?.code, 'unreachable');
});

test('the popup shows the live connection state: signed in, then reconnecting and offline when the NAS goes away', async () => {
  const own = await startNas({ profile: '25.10' });
  const saved = await request<Saved>(page, 'hosts.save', hostInput('Vanishing', own.url, own.admin.apiKey));
  assert.ok(saved.ok, JSON.stringify(saved));
  await page.evaluate((id) => chrome.storage.local.set({ 'popup.selected': id }), saved.value.host.id);
  const popup = await session.open('popup/popup.html');
  try {
    await find(popup, '>>> [data-connection-state="signed-in"]');
    const started = Date.now();
    await stopNas(own);
    await find(popup, '>>> [data-connection-state="reconnecting"], >>> [data-connection-state="offline"]', 5000);
    const seenAfter = Date.now() - started;
    assert.ok(seenAfter < 5000, `state changed after ${seenAfter} ms`);
    await find(popup, '>>> [data-connection-state="offline"]', 60_000);
  } finally {
    await popup.close();
  }
});
