/**
 * Transport limits and NAS text, against the simulator over real sockets (`ws`): an oversized reply
 * fails the waiting calls at once with ResponseTooLargeError (with `ws`'s maxPayload and with the
 * client's own check, as in a browser), a new key is never received over plain ws:// to a
 * non-loopback host, and REDIRECT addresses are quoted NAS text. Each error is also checked
 * through the extension's mapping, in English and German.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startSimulator, type RunningSimulator } from '../../scripts/simulator/index.js';
import {
  CallError,
  InsecureTransportError,
  LoginLimiter,
  RedirectError,
  ResponseTooLargeError,
  TrueNasClient,
  type ClientOptions,
  type TrueNasError,
} from '../../components/client/index.js';
import { clientErrorText, mapClientError } from '../../extension/background/client-errors.js';
import { MAX_INCOMING_FRAME } from '../../extension/background/client-limits.js';
import { isolate } from '../../components/internal/display-text.js';

const limiter = new LoginLimiter({ maxAttempts: 10_000 });

/** The extension's text for an error in English and in German. */
function texts(error: TrueNasError): { en: string; de: string } {
  const en = clientErrorText(error);
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { languages: ['de-DE'] }, configurable: true, writable: true });
  try {
    return { en, de: clientErrorText(error) };
  } finally {
    if (previous) Object.defineProperty(globalThis, 'navigator', previous);
    else delete (globalThis as { navigator?: unknown }).navigator;
  }
}

describe('transport limits and NAS text (25.10 simulator)', () => {
  let sim: RunningSimulator;
  const clients: TrueNasClient[] = [];
  const client = (options: Partial<ClientOptions> = {}) => {
    const c = new TrueNasClient({ url: sim.url, WebSocket, loginLimiter: limiter, callTimeoutMs: 10_000, ...options });
    clients.push(c);
    return c;
  };
  const stats = () => sim.command('stats') as Promise<{ handlerCalls: number; keys: number }>;

  before(async () => {
    sim = await startSimulator({ profile: '25.10', port: 0, loginDelay: false });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sim.close();
  });

  for (const via of ['ws maxPayload', 'the client’s own check (as in a browser)'] as const) {
    test(`a reply over the extension's ${MAX_INCOMING_FRAME / 1024 / 1024} MiB limit fails every waiting call fast (${via})`, async () => {
      await sim.command('reset');
      const c = client({
        maxIncomingFrame: MAX_INCOMING_FRAME,
        ...(via === 'ws maxPayload' ? {} : { WebSocket: undefined, createWebSocket: (url: string) => new WebSocket(url) }),
      });
      await c.login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
      await sim.command('delay', { ms: 2000 });
      const started = Date.now();
      const pendingChange = c.call('api_key.delete', [999_999]).catch((e: unknown) => e);
      const pendingQuery = c.apiKeys.query().catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      // A hostile NAS answers with one frame of 9 MiB.
      await sim.command('malformed', { frame: JSON.stringify({ jsonrpc: '2.0', id: 2, result: 'x'.repeat(9 * 1024 * 1024) }) });
      const [change, query] = await Promise.all([pendingChange, pendingQuery]);
      const elapsed = Date.now() - started;
      await sim.command('delay', { ms: 0 });
      assert.ok(query instanceof ResponseTooLargeError, `the query fails with ResponseTooLargeError, not ${String(query)}`);
      assert.equal(query.retryable, true);
      assert.match(query.message, /^The NAS sent a reply larger than 8 MB/);
      assert.ok(change instanceof ResponseTooLargeError && !change.retryable, 'the waiting change fails too, saying it may have been applied');
      assert.match(change.message, /may or may not have been applied/);
      assert.ok(elapsed < 1500, `failed fast, not after the delayed call's 2 s (${elapsed} ms)`);
      const { en, de } = texts(query);
      assert.equal(en, 'The NAS sent a reply larger than 8 MB, more than the extension accepts; the connection was closed and the request did not complete.');
      assert.match(de, /^Das NAS hat eine Antwort größer als 8 MB gesendet/);
      assert.match(texts(change).en, /may or may not have been applied/);
      assert.equal(mapClientError(query)?.code, 'nas-error');
      // Nothing else is affected: the same client reconnects and works again.
      assert.ok((await c.apiKeys.count()) >= 1, 'the next call reconnects and works');
    });
  }

  test('over plain ws:// to a non-loopback host a new key is never received, however it is asked for', async () => {
    await sim.command('reset');
    const fixture = (await sim.command('createKey', { name: 'exposed', username: sim.admin.username })) as { id: number };
    // Our rule calls nas.example.test remote; the socket still reaches the simulator on 127.0.0.1.
    const remote = client({
      url: `http://nas.example.test:${sim.port}`,
      WebSocket: undefined,
      createWebSocket: (url: string) => new WebSocket(url.replace('nas.example.test', '127.0.0.1')),
    });
    assert.equal(remote.address.loopback, false);
    const outcome = await remote.login({ type: 'password', username: sim.admin.username, password: sim.admin.password, allowInsecureTransport: true });
    assert.equal(outcome.type, 'SUCCESS', 'a password host with "allow unencrypted" signs in');
    assert.ok((await remote.apiKeys.count()) >= 1, 'reads work');
    const before = await stats();
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['apiKeys.create', () => remote.apiKeys.create({ name: 'new', username: sim.admin.username })],
      ['apiKeys.reset', () => remote.apiKeys.reset(fixture.id)],
      ['apiKeys.update with reset', () => remote.apiKeys.update(fixture.id, { reset: true })],
      ['call api_key.create', () => remote.call('api_key.create', [{ name: 'raw', username: sim.admin.username }])],
      ['call api_key.update reset', () => remote.call('api_key.update', [fixture.id, { reset: true }])],
    ];
    for (const [what, attempt] of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      assert.ok(error instanceof InsecureTransportError && error.reason === 'receive-key' && error.credential === null, `${what} is refused: ${String(error)}`);
      assert.match(error.message, /in clear/);
      assert.match(error.message, /https:\/\//);
    }
    const after = await stats();
    assert.equal(after.handlerCalls, before.handlerCalls, 'nothing reached the NAS');
    assert.equal(after.keys, before.keys, 'no key was created');
    const refused = new InsecureTransportError('receive-key', 'nas.example.test');
    const { en, de } = texts(refused);
    assert.match(en, /^Refused: .*new API key would come back from the NAS in clear.*https:\/\//);
    assert.match(de, /^Abgelehnt: .*Klartext.*https:\/\//);
    assert.equal(mapClientError(refused)?.code, 'insecure-refused');
    // A plain rename still works over the same connection, and loopback may create.
    await remote.apiKeys.update(fixture.id, { name: 'renamed' });
    const local = client({ url: `http://127.0.0.1:${sim.port}` });
    await local.login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
    assert.match((await local.apiKeys.create({ name: 'loopback', username: sim.admin.username })).secret, /^\d+-[A-Za-z0-9]{64}$/);
  });

  test('REDIRECT addresses are quoted NAS text with hidden characters visible, never advice or links', async () => {
    await sim.command('reset');
    const hostile = ['10.0.0.11', 'https://evil.example/\u202Elmth.exe', 'line\nbreak\u0007', `nas-${'a'.repeat(300)}`];
    await sim.command('redirect', { urls: hostile });
    try {
      const error = await client().login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username }).catch((e: unknown) => e);
      assert.ok(error instanceof RedirectError, String(error));
      assert.deepEqual(error.urls, hostile, 'the addresses are kept as the NAS wrote them');
      const message = error.message;
      assert.match(message, /^The NAS answered that it is a standby node and named these addresses: “\u206810\.0\.0\.11\u2069”, “/);
      assert.match(message, /\. Connect to the active controller\.$/);
      for (const text of [message, texts(error).en, texts(error).de]) {
        const raw = [...text].filter((ch) => /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e]/u.test(ch));
        assert.deepEqual(raw, [], `no raw control or bidi character: ${JSON.stringify(text)}`);
        for (const url of hostile.slice(1, 3)) assert.ok(text.includes(isolate(url)), `the address is shown with visible markers: ${JSON.stringify(url)}`);
        assert.ok(!text.includes('a'.repeat(201)), 'a long address is cut');
      }
      assert.equal(texts(error).en.split('“').length - 1, hostile.length, 'each address quoted once');
      assert.match(texts(error).de, /^Das NAS hat geantwortet, dass es ein Standby-Knoten ist, und diese Adressen genannt: „\u206810\.0\.0\.11\u2069“/);
    } finally {
      await sim.command('redirect', { urls: null });
    }
    await sim.command('redirect', { urls: [] });
    try {
      const error = await client().login({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username }).catch((e: unknown) => e);
      assert.ok(error instanceof RedirectError);
      assert.equal(error.message, 'The NAS answered that it is a standby node. Connect to the active controller.');
      assert.equal(texts(error).en, error.message);
    } finally {
      await sim.command('redirect', { urls: null });
    }
  });

  test('a reason the NAS wrote is shown as its quoted words', () => {
    const reason = 'User does not exist\u202E.';
    const error = new CallError({ method: 'api_key.update', errno: 22, errname: 'EINVAL', reason, rpcCode: -32001, extra: null });
    const { en, de } = texts(error);
    assert.ok(isolate(reason) !== `\u2068${reason}\u2069`, 'the bidi override becomes a visible marker');
    assert.equal(en, `The NAS answered: “${isolate(reason)}”`);
    assert.equal(de, `Das NAS hat geantwortet: „${isolate(reason)}“`);
  });
});
