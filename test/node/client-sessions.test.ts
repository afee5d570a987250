/**
 * Open sessions per key against the simulator per profile: the count per key from one call, the
 * list for one key, ending them (the ended sockets close; the caller's own session stays), the
 * sessions of a deleted key, a missing role, and 22.02's sessions without a key id.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILES } from '../../scripts/simulator/index.js';
import { InvalidInputError, keySessions, normalizeSession, sessionsOfKey, terminateKeySessions, type TrueNasClient } from '../../components/client/index.js';
import { createTrueNasService } from '../../components/client/service.js';
import { PROFILE_N, useClientSim } from '../helpers/client-sim.js';

function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`Timed out waiting for ${what}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

test('session rows: a key session needs an id and a key id; login time from login_at, else created_at', () => {
  const row = { id: 's1', current: false, origin: '127.0.0.1:5000', credentials: 'API_KEY', credentials_data: { api_key: { id: 4, name: 'k' } }, created_at: { $date: 5 } };
  assert.deepEqual(normalizeSession(row), { id: 's1', keyId: 4, origin: '127.0.0.1:5000', loginAt: 5, current: false, secureTransport: null });
  assert.equal(normalizeSession({ ...row, credentials_data: { ...row.credentials_data, login_at: { $date: 9 } }, secure_transport: true })?.loginAt, 9);
  for (const bad of [null, {}, { id: 's' }, { ...row, id: 3 }, { ...row, credentials_data: { username: 'x' } }, { ...row, credentials_data: { api_key: { id: '4' } } }]) assert.equal(normalizeSession(bad), null);
});

for (const profile of PROFILES) {
  const n = PROFILE_N[profile];

  describe(`key sessions on ${profile}`, () => {
    const h = useClientSim(profile);
    const newKey = (c: TrueNasClient, name: string) => c.apiKeys.create({ name, ...(n >= 2504 ? { username: 'truenas_admin' } : {}) });
    const keyClient = (secret: string) => h.withKey(secret, n >= 2504 ? 'truenas_admin' : undefined, { reconnect: false });

    if (n < 2404) {
      test('sessions carry no key id: unsupported, nothing listed, ending refused with the reason', async () => {
        const c = await h.admin();
        const caps = await c.capabilities();
        assert.deepEqual([caps.keySessions, caps.endSessions], [false, false]);
        const report = await keySessions(c);
        assert.equal(report.status, 'unsupported');
        assert.match(report.status === 'unsupported' ? report.reason : '', /which key opened a session/);
        assert.deepEqual(await sessionsOfKey(c, 1), []);
        await assert.rejects(terminateKeySessions(c, 1), InvalidInputError);
      });
      return;
    }

    test('count per key from one call, and the list for one key', async () => {
      const c = await h.admin();
      const k = await newKey(c, 'two-sessions');
      await keyClient(k.secret);
      await keyClient(k.secret);
      const report = await createTrueNasService(c).allKeySessions!();
      assert.ok(report.status === 'ok');
      assert.equal(report.byKey.get(k.key.id)?.length, 2);
      const adminKeyId = Number(h.sim.admin.apiKey.split('-')[0]);
      assert.equal(report.byKey.get(adminKeyId)?.filter((s) => s.current).length, 1, 'the caller’s own session is marked');
      const list = await sessionsOfKey(c, k.key.id);
      assert.equal(list.length, 2);
      for (const s of list) {
        assert.match(s.origin ?? '', /127\.0\.0\.1:\d+/);
        assert.equal(typeof s.loginAt, 'number');
        assert.equal(s.current, false);
        assert.equal(s.secureTransport, n >= 2504 ? true : null);
      }
    });

    test('ending a deleted key’s sessions closes their sockets and says how many', async () => {
      const c = await h.admin();
      const k = await newKey(c, 'to-delete');
      const a = await keyClient(k.secret);
      const b = await keyClient(k.secret);
      const other = await keyClient((await newKey(c, 'bystander')).secret);
      await c.apiKeys.delete(k.key.id);
      // Deleting a key leaves its sessions open (as TrueNAS does).
      assert.equal((await sessionsOfKey(c, k.key.id)).length, 2);
      const result = await createTrueNasService(c).endKeySessions!(k.key.id);
      assert.deepEqual(result, { ended: 2, keptCurrent: false, failed: 0 });
      await until(() => a.state !== 'authenticated' && b.state !== 'authenticated', 'the ended sessions to close');
      assert.deepEqual(await sessionsOfKey(c, k.key.id), []);
      assert.equal(other.state, 'authenticated', 'another key’s session stays');
      await other.system.version();
    });

    test('the caller’s own session is never ended', async () => {
      const c = await h.admin();
      const adminKeyId = Number(h.sim.admin.apiKey.split('-')[0]);
      const second = await h.admin({ reconnect: false });
      const result = await terminateKeySessions(c, adminKeyId);
      assert.deepEqual(result, { ended: 1, keptCurrent: true, failed: 0 });
      await c.system.version();
      await until(() => second.state !== 'authenticated', 'the other admin-key session to close');
    });

    test('an account without the sessions role gets "not permitted"', async () => {
      const c = await h.as('key_writer');
      const report = await keySessions(c);
      assert.equal(report.status, 'not-permitted');
    });

    test('a failing end is counted, not thrown', async () => {
      const c = await h.admin();
      const k = await newKey(c, 'flaky');
      await keyClient(k.secret);
      await h.command('failNext', { method: 'auth.terminate_session' });
      assert.deepEqual(await terminateKeySessions(c, k.key.id), { ended: 0, keptCurrent: false, failed: 1 });
      assert.deepEqual(await terminateKeySessions(c, k.key.id), { ended: 1, keptCurrent: false, failed: 0 });
      await assert.rejects(terminateKeySessions(c, 0), InvalidInputError);
    });
  });
}
