/**
 * api_key.query events per era (truenas-api.md §5) on both protocols: payload shapes, who may
 * subscribe, unsubscribe, and logout dropping subscriptions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn, type Frame } from '../../scripts/simulator/raw-client.js';
import { legacyAs, rpcAs, withSim as withSimulator, type SimOptions } from '../helpers/node-sim.js';

/** These tests sign in many times a second: run them without the NAS's login rate limit. */
const withSim = (options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>) => withSimulator({ rateLimit: false, ...options }, fn);

const isEvent = (f: Frame) => typeof f.msg === 'string' && ['added', 'changed', 'removed'].includes(f.msg);
const isNotification = (f: Frame) => f.method === 'collection_update';

describe('legacy events', () => {
  test('22.02: ADDED/CHANGED carry fields (key included); delete sends CHANGED cleared, then REMOVED', async () => {
    await withSim({ profile: '22.02' }, async (sim) => {
      const s = await openLoggedIn(sim);
      s.send({ msg: 'sub', id: 's1', name: 'api_key.query' });
      assert.deepEqual(await s.next((f) => f.msg === 'ready'), { msg: 'ready', subs: ['s1'] });
      const created = (await s.call('api_key.create', [{ name: 'ev' }])).result;
      const added = await s.next(isEvent);
      assert.deepEqual(added, { msg: 'added', collection: 'api_key.query', id: created.id, fields: created });
      await s.call('api_key.update', [created.id, { name: 'ev2' }]);
      const changed = await s.next(isEvent);
      assert.deepEqual([changed.msg, changed.id, changed.fields.name], ['changed', created.id, 'ev2']);
      await s.call('api_key.delete', [created.id]);
      assert.deepEqual(await s.next(isEvent), { msg: 'changed', collection: 'api_key.query', id: created.id, cleared: true });
      assert.deepEqual(await s.next(isEvent), { msg: 'removed', collection: 'api_key.query', id: created.id });
      s.send({ msg: 'unsub', id: 's1' });
      assert.ok(await s.silent(150), 'unsub has no reply');
      await s.call('api_key.create', [{ name: 'quiet' }]);
      assert.ok(await s.silent(150), 'no events after unsub');
      s.close();
    });
  });

  test('24.10: id-only events; the event needs READONLY_ADMIN (API_KEY_WRITE alone is refused)', async () => {
    await withSim({ profile: '24.10' }, async (sim) => {
      const ro = await legacyAs(sim, 'ro_admin');
      ro.send({ msg: 'sub', id: 'w', name: 'api_key.query' });
      assert.equal((await ro.next((f) => f.msg === 'ready')).subs[0], 'w');
      const writer = await legacyAs(sim, 'key_writer');
      writer.send({ msg: 'sub', id: 'x', name: 'api_key.query' });
      assert.equal((await writer.next((f) => f.id === 'x')).error.reason, 'Not authorized');
      const admin = await openLoggedIn(sim);
      const r = (await admin.call('api_key.create', [{ name: 'ev', allowlist: [{ method: '*', resource: '*' }] }])).result;
      assert.deepEqual(await ro.next(isEvent), { msg: 'added', collection: 'api_key.query', id: r.id });
      await admin.call('api_key.update', [r.id, { reset: true }]);
      assert.deepEqual(await ro.next(isEvent), { msg: 'changed', collection: 'api_key.query', id: r.id });
      await admin.call('api_key.delete', [r.id]);
      assert.deepEqual(await ro.next(isEvent), { msg: 'removed', collection: 'api_key.query', id: r.id });
      for (const s of [ro, writer, admin]) s.close();
    });
  });
});

describe('JSON-RPC events', () => {
  test('25.04: core.subscribe returns an id; collection_update notifications are id-only', async () => {
    await withSim({ profile: '25.04' }, async (sim) => {
      const s = await openLoggedIn(sim);
      const sub = (await s.rpc('core.subscribe', ['api_key.query'])).result;
      assert.match(sub, /^[0-9a-f-]{36}$/);
      const r = (await s.rpc('api_key.create', [{ name: 'ev', username: 'truenas_admin' }])).result;
      assert.deepEqual(await s.next(isNotification), {
        jsonrpc: '2.0',
        method: 'collection_update',
        params: { msg: 'added', collection: 'api_key.query', id: r.id },
      });
      assert.equal((await s.rpc('core.unsubscribe', [sub])).result, null);
      await s.rpc('api_key.delete', [r.id]);
      assert.ok(await s.silent(150), 'no event after unsubscribing');
      s.close();
    });
  });

  test('25.10: fields again, including the plaintext key and unmasked keyhash, even for read-only subscribers', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const ro = await rpcAs(sim, 'ro_admin');
      await ro.rpc('core.subscribe', ['api_key.query']);
      const legacy = await RawSocket.open(sim.url, '/websocket');
      await legacy.connect();
      await legacy.call('auth.login_with_api_key', [sim.admin.apiKey]);
      legacy.send({ msg: 'sub', id: 'l', name: 'api_key.query' });
      await legacy.next((f) => f.msg === 'ready');

      const admin = await openLoggedIn(sim);
      const created = (await admin.rpc('api_key.create', [{ name: 'ev', username: 'ro_admin' }])).result;
      const n = await ro.next(isNotification);
      assert.equal(n.params.msg, 'added');
      assert.equal(n.params.fields.key, created.key, 'the 25.10 event leaks the key (reproduced; clients must ignore it)');
      assert.match(n.params.fields.keyhash, /^\$pbkdf2-sha512\$/, 'unmasked although the subscriber only sees ******** in queries');
      const l = await legacy.next(isEvent);
      assert.deepEqual([l.msg, l.id, l.fields.name], ['added', created.id, 'ev']);

      await admin.rpc('api_key.update', [created.id, { name: 'ev2' }]);
      const changed = (await ro.next(isNotification)).params;
      assert.deepEqual([changed.msg, changed.fields.name, 'key' in changed.fields], ['changed', 'ev2', false]);
      await admin.rpc('api_key.delete', [created.id]);
      assert.deepEqual((await ro.next(isNotification)).params, { msg: 'removed', collection: 'api_key.query', id: created.id });
      for (const s of [ro, legacy, admin]) s.close();
    });
  });

  test('who may subscribe: API_KEY_READ for the event, FULL_ADMIN for "*", anyone for core.get_jobs', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const ro = await rpcAs(sim, 'ro_admin');
      const star = (await ro.rpc('core.subscribe', ['*'])).error;
      assert.deepEqual([star.code, star.data.error, star.data.reason], [-32001, 13, '[EACCES] Not authorized']);
      assert.ok((await ro.rpc('core.subscribe', ['core.get_jobs'])).result, 'any session may subscribe to core.get_jobs');
      const anon = await RawSocket.open(sim.url, '/api/current');
      assert.equal((await anon.rpc('core.subscribe', ['api_key.query'])).error.data.error, 207);
      const admin = await openLoggedIn(sim);
      await admin.rpc('core.subscribe', ['*']);
      await admin.rpc('api_key.create', [{ name: 'star', username: 'truenas_admin' }]);
      assert.equal((await admin.next(isNotification)).params.collection, 'api_key.query');
      for (const s of [ro, anon, admin]) s.close();
    });
  });

  test('auth.logout drops subscriptions (25.04+)', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const s = await openLoggedIn(sim);
      await s.rpc('core.subscribe', ['api_key.query']);
      await s.rpc('auth.logout');
      const admin = await openLoggedIn(sim);
      await admin.rpc('api_key.create', [{ name: 'after-logout', username: 'truenas_admin' }]);
      assert.ok(await s.silent(200), 'no event after logout');
      s.close();
      admin.close();
    });
  });

  test('26.0: event fields carry the SCRAM material and client_key', async () => {
    await withSim({ profile: '26.0' }, async (sim) => {
      const s = await openLoggedIn(sim);
      await s.rpc('core.subscribe', ['api_key.query']);
      const created = (await s.rpc('api_key.create', [{ name: 'ev', username: 'truenas_admin' }])).result;
      const fields = (await s.next(isNotification)).params.fields;
      assert.deepEqual([fields.key, fields.client_key, fields.stored_key], [created.key, created.client_key, created.stored_key]);
      s.close();
    });
  });
});
