/**
 * The connection library against the NAS simulator in every profile, over real sockets (`ws`):
 * sign-in with each mechanism and every outcome, every api_key call and its errors, owners,
 * events, reconnects with resubscription, pending calls on close, timeouts, the 20-in-flight
 * queue, keepalive, the transport guard, and revocation over an insecure transport with its
 * recovery by reset.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { PROFILES, startSimulator, type ProfileName, type RunningSimulator } from '../../scripts/simulator/index.js';
import {
  AccessDeniedError,
  ConnectionClosedError,
  CredentialExpiredError,
  InsecureTransportError,
  InvalidCredentialsError,
  InvalidInputError,
  LoginLimiter,
  MethodNotFoundError,
  NotFoundError,
  RateLimitError,
  RedirectError,
  TimeoutError,
  TrueNasClient,
  ValidationError,
  type ClientOptions,
  type Credentials,
} from '../../components/client/index.js';
import { createTrueNasService } from '../../components/client/service.js';
import type { KeyChange } from '../../components/model/api-key.js';

const N: Record<ProfileName, number> = { '22.02': 2202, '24.10': 2410, '25.04': 2504, '25.10': 2510, '26.0': 2600 };

function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
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

async function untilAsync(predicate: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const profile of PROFILES) {
  const n = N[profile];
  const userLinked = n >= 2504;

  describe(`client against the ${profile} simulator`, () => {
    let sim: RunningSimulator;
    const clients: TrueNasClient[] = [];
    const limiter = new LoginLimiter({ maxAttempts: 10_000 });

    const client = (options: Partial<ClientOptions> = {}) => {
      const c = new TrueNasClient({ url: sim.url, WebSocket, loginLimiter: limiter, callTimeoutMs: 5000, ...options });
      clients.push(c);
      return c;
    };
    const adminKey = (): Credentials => ({ type: 'apiKey', key: sim.admin.apiKey, username: sim.admin.username });
    const adminPassword = (): Credentials => ({ type: 'password', username: sim.admin.username, password: sim.admin.password, allowInsecureTransport: true });
    const admin = async (options: Partial<ClientOptions> = {}) => {
      const c = client(options);
      await c.login(adminKey());
      return c;
    };
    const fixtureKey = (options: Record<string, unknown>) => sim.command('createKey', options) as Promise<{ id: number; key: string }>;
    const stats = () => sim.command('stats') as Promise<{ inFlight: number; subscriptions: number; connections: number }>;

    before(async () => {
      sim = await startSimulator({ profile, port: 0, loginDelay: false });
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    });
    beforeEach(async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await sim.command('reset');
    });

    test('detects the protocol and reports capabilities', async () => {
      const c = await admin();
      assert.equal(c.protocol, userLinked ? 'jsonrpc' : 'legacy');
      assert.equal(c.state, 'authenticated');
      const caps = await c.capabilities();
      assert.equal(caps.userLinkedKeys, userLinked);
      assert.equal(caps.allowlist, !userLinked);
      assert.equal(caps.myKeys, userLinked);
      assert.equal(caps.revokedReason, n >= 2510);
      assert.equal(caps.scram, n >= 2600);
      assert.equal(caps.maxKeysPerUser, n === 2504 || n === 2510 ? 10 : null);
      assert.ok(caps.version.startsWith(profile), caps.version);
      assert.equal(c.apiDocsUrl, `${sim.url}/api/docs`);
      if (userLinked) {
        // The legacy endpoint still exists on 25.04+ and can be forced.
        const legacy = client({ url: `${sim.url}/websocket` });
        await legacy.login(adminKey());
        assert.equal(legacy.protocol, 'legacy');
        assert.equal((await legacy.apiKeys.query()).length, (await c.apiKeys.query()).length);
      } else {
        await assert.rejects(client({ protocol: 'jsonrpc', connectTimeoutMs: 2000 }).connect(), (e: Error) => e.name === 'TransportError' && /Could not connect/.test(e.message));
      }
    });

    test('API-key sign-in uses the era’s mechanism; bad, revoked and expired keys fail distinctly', async () => {
      const c = client();
      const outcome = await c.login(adminKey());
      assert.equal(outcome.type, 'SUCCESS');
      assert.equal(outcome.type === 'SUCCESS' && outcome.mechanism, n >= 2600 ? 'SCRAM' : userLinked ? 'API_KEY_PLAIN' : 'LEGACY');
      if (userLinked) assert.equal(c.username, sim.admin.username);

      // Without a username: the login_with_api_key wrapper before 26.0; SCRAM needs one.
      const anonymous = client();
      if (n >= 2600) {
        await assert.rejects(anonymous.login({ type: 'apiKey', key: sim.admin.apiKey }), (e: unknown) => e instanceof InvalidInputError && e.field === 'username');
        const plain = await client().login({ ...adminKey(), mechanism: 'plain' } as Credentials);
        assert.equal(plain.type === 'SUCCESS' && plain.mechanism, 'API_KEY_PLAIN');
      } else {
        assert.equal((await anonymous.login({ type: 'apiKey', key: sim.admin.apiKey })).type, 'SUCCESS');
      }

      const wrong = `${sim.admin.apiKey.split('-')[0]}-${'Z'.repeat(64)}`;
      await assert.rejects(client().login({ type: 'apiKey', key: wrong, username: sim.admin.username }), InvalidCredentialsError);
      await assert.rejects(client().login({ type: 'apiKey', key: 'not-a-key' }), (e: unknown) => e instanceof InvalidInputError && e.field === 'key');

      if (userLinked) {
        const revoked = await fixtureKey({ name: 'revoked', username: sim.admin.username, revoked: true });
        await assert.rejects(client().login({ type: 'apiKey', key: revoked.key, username: sim.admin.username }), InvalidCredentialsError);
        const expired = await fixtureKey({ name: 'expired', username: sim.admin.username, expiresAt: Date.now() - 86_400_000 });
        await assert.rejects(client().login({ type: 'apiKey', key: expired.key, username: sim.admin.username }), (e: unknown) => e instanceof CredentialExpiredError && e.outcome === 'EXPIRED');
        // Someone else's key with my username: AUTH_ERR.
        const other = await fixtureKey({ name: 'ro', username: 'ro_admin' });
        await assert.rejects(client().login({ type: 'apiKey', key: other.key, username: sim.admin.username }), InvalidCredentialsError);
      }
      if (n >= 2600) {
        // A user without roles holds a valid key but has no API access.
        const denied = await fixtureKey({ name: 'no-roles', username: 'no_roles' });
        await assert.rejects(client().login({ type: 'apiKey', key: denied.key, username: 'no_roles' }), (e: unknown) => e instanceof AccessDeniedError && e.outcome === 'DENIED');
      }
    });

    test('password sign-in: opt-in required over ws://, wrong password, OTP step', async () => {
      const refused = client();
      await assert.rejects(refused.login({ type: 'password', username: sim.admin.username, password: sim.admin.password }), (e: unknown) => {
        return e instanceof InsecureTransportError && e.credential === 'password' && !e.message.includes(sim.admin.password);
      });
      assert.equal((await client().login(adminPassword())).type, 'SUCCESS');
      await assert.rejects(client().login({ ...adminPassword(), password: 'wrong-password' } as Credentials), InvalidCredentialsError);
      if (n === 2202) return; // 22.02 lets only root sign in with a password, and root has no 2FA here.
      const otpUser = sim.users.find((u) => u.otpSecret)!;
      const creds: Credentials = { type: 'password', username: otpUser.username, password: otpUser.password, allowInsecureTransport: true };
      const code = async () => ((await sim.command('otp', { username: otpUser.username })) as { code: string }).code;
      if (userLinked) {
        const c = client();
        const first = await c.login(creds);
        assert.equal(first.type, 'OTP_REQUIRED');
        assert.equal(first.type === 'OTP_REQUIRED' && first.username, otpUser.username);
        await assert.rejects(c.continueLogin('12'), InvalidInputError);
        const wrong = String((Number(await code()) + 1) % 1_000_000).padStart(6, '0');
        if (n >= 2600) {
          // 26.0: a wrong code ends the attempt, and a code that signed in once is refused
          // (MW@TS-26.0.0-BETA.3:plugins/auth_/login_ex_impl.py:300-338).
          await assert.rejects(c.continueLogin(wrong), InvalidCredentialsError);
          const again = client();
          assert.equal((await again.login(creds)).type, 'OTP_REQUIRED');
          const used = await code();
          assert.equal((await again.continueLogin(used)).type, 'SUCCESS');
          await assert.rejects(client().login({ ...creds, otp: used }), InvalidCredentialsError, 'a replayed code is refused');
          // The code of the window before (still accepted) has not been used: it signs in.
          const previous = ((await sim.command('otp', { username: otpUser.username, step: -1 })) as { code: string }).code;
          assert.equal((await client().login({ ...creds, otp: previous })).type, 'SUCCESS');
          return;
        }
        const retry = await c.continueLogin(wrong);
        assert.equal(retry.type, 'OTP_REQUIRED', 'a wrong code may be retried (25.x: three times)');
        assert.equal((await c.continueLogin(await code())).type, 'SUCCESS');
        assert.equal(c.authenticated, true);
        // The code can also be given up front.
        assert.equal((await client().login({ ...creds, otp: await code() })).type, 'SUCCESS');
      } else {
        await assert.rejects(client().login(creds), InvalidCredentialsError);
        assert.equal((await client().login({ ...creds, otp: await code() })).type, 'SUCCESS');
      }
    });

    test('token sign-in', async () => {
      const c = await admin();
      const token = await c.call<string>('auth.generate_token', [600]);
      assert.equal(typeof token, 'string');
      assert.equal((await client().login({ type: 'token', token, allowInsecureTransport: true })).type, 'SUCCESS');
      await assert.rejects(client().login({ type: 'token', token: 'x'.repeat(64), allowInsecureTransport: true }), InvalidCredentialsError);
      await assert.rejects(client().login({ type: 'token', token }), InsecureTransportError);
    });

    if (userLinked) {
      test('REDIRECT from an HA standby', async () => {
        await sim.command('redirect', { urls: ['10.0.0.11', '10.0.0.12'] });
        await assert.rejects(client().login(adminKey()), (e: unknown) => e instanceof RedirectError && e.urls.join() === '10.0.0.11,10.0.0.12' && /10\.0\.0\.11/.test(e.message));
      });
    }

    test('api_key.query with filters and options, count, get, get_instance', async () => {
      const c = await admin();
      const all = await c.apiKeys.query();
      assert.ok(all.length >= 5, `${all.length} seeded keys`);
      const sorted = await c.apiKeys.query([], { order_by: ['-name'] });
      assert.deepEqual(sorted.map((k) => k.name), all.map((k) => k.name).sort().reverse());
      const page = await c.apiKeys.query([], { order_by: ['name'], offset: 1, limit: 2 });
      assert.deepEqual(page.map((k) => k.name), [...all.map((k) => k.name)].sort().slice(1, 3));
      assert.equal(await c.apiKeys.count(), all.length);
      assert.equal(await c.apiKeys.count([['name', '^', 'legacy']]), all.filter((k) => k.name.startsWith('legacy')).length);
      const selected = await c.call<Record<string, unknown>[]>('api_key.query', [[], { select: ['name'], order_by: ['name'] }]);
      assert.deepEqual(Object.keys(selected[0]!), ['name']);
      const names = await c.apiKeys.query([], { select: ['name'], order_by: ['name'] });
      assert.deepEqual(names.map((k) => k.name), [...all.map((k) => k.name)].sort(), 'select keeps rows readable');
      assert.ok(names.every((k) => k.id > 0 && k.createdAt === null), 'unselected fields read as null');
      const one = await c.apiKeys.get([['name', '=', 'ci-backup']]);
      assert.equal(one.name, 'ci-backup');
      assert.deepEqual(await c.apiKeys.getInstance(one.id), one);
      await assert.rejects(c.apiKeys.get([['name', '=', 'no-such-key']]), NotFoundError);
      await assert.rejects(c.apiKeys.getInstance(9999), (e: unknown) => e instanceof NotFoundError && /9999/.test(e.message));
      if (userLinked) {
        const revoked = all.find((k) => k.name === 'revoked-insecure')!;
        assert.equal(revoked.revoked, true);
        assert.equal(revoked.revokedReason, n >= 2510 ? 'Attempt to use over an insecure transport' : null);
        assert.equal(all.find((k) => k.name === 'expiring-soon')!.expiresAt! > Date.now(), true);
        assert.equal(all.find((k) => k.name === 'departed-user')!.revoked, true);
      } else {
        assert.deepEqual(all.find((k) => k.name === 'ci-backup')!.allowlist, [{ method: '*', resource: '*' }]);
      }
      // Whole-second dates both ways.
      for (const k of all) if (k.createdAt !== null) assert.equal(k.createdAt % 1000, n === 2202 ? k.createdAt % 1000 : 0);
    });

    test('create, update, reset, delete and their validation errors', async () => {
      const c = await admin();
      const expiresAt = Date.now() + 30 * 86_400_000 + 123;
      const created = await c.apiKeys.create(userLinked ? { name: 'new-key', username: 'ro_admin', expiresAt } : { name: 'new-key' });
      assert.match(created.secret, new RegExp(`^${created.key.id}-[A-Za-z0-9]{64}$`));
      assert.equal(created.key.name, 'new-key');
      if (userLinked) {
        assert.equal(created.key.username, 'ro_admin');
        assert.equal(created.key.expiresAt, Math.floor(expiresAt / 1000) * 1000, 'whole seconds');
        assert.equal(typeof created.key.userIdentifier, 'number');
      } else {
        assert.deepEqual(created.key.allowlist, [{ method: '*', resource: '*' }]);
      }
      assert.ok(!JSON.stringify(created.key).includes(created.secret.slice(-64)), 'the entry itself carries no secret');

      // Duplicate name: the path differs by era, the field is always "name".
      const dup = await c.apiKeys.create(userLinked ? { name: 'new-key', username: 'ro_admin' } : { name: 'new-key' }).catch((e: unknown) => e);
      assert.ok(dup instanceof ValidationError, String(dup));
      assert.equal(dup.fieldErrors[0]!.field, 'name');
      assert.equal(dup.fieldErrors[0]!.path, userLinked ? 'api_key_create' : 'api_key_create.name');
      const empty = await c.apiKeys.create(userLinked ? { name: '', username: 'ro_admin' } : { name: '' }).catch((e: unknown) => e);
      assert.ok(empty instanceof ValidationError && empty.fieldErrors.some((f) => f.field === 'name'), String(empty));

      if (userLinked) {
        const past = await c.apiKeys.create({ name: 'past', username: 'ro_admin', expiresAt: Date.now() - 86_400_000 }).catch((e: unknown) => e);
        assert.ok(past instanceof ValidationError && past.fieldErrors[0]!.field === 'expiresAt', String(past));
        const noRoles = await c.apiKeys.create({ name: 'x', username: 'no_roles' }).catch((e: unknown) => e);
        assert.ok(noRoles instanceof ValidationError && noRoles.fieldErrors[0]!.field === 'username' && /role/.test(noRoles.message), String(noRoles));
        const ghost = await c.apiKeys.create({ name: 'y', username: 'nobody_here' }).catch((e: unknown) => e);
        assert.ok(ghost instanceof ValidationError && ghost.fieldErrors.some((f) => f.field === 'username'), String(ghost));
        await assert.rejects(c.apiKeys.create({ name: 'z', username: 'ro_admin', allowlist: [] }), (e: unknown) => e instanceof InvalidInputError && e.field === 'allowlist');
        if (n < 2600) {
          // 10 keys per user on 25.04-25.10.
          let limit: unknown;
          for (let i = 0; i < 11 && !limit; i++) limit = await c.apiKeys.create({ name: `many-${i}`, username: 'key_writer' }).then(() => undefined, (e: unknown) => e);
          assert.ok(limit instanceof ValidationError && limit.fieldErrors[0]!.field === 'username' && /limit of 10/.test(limit.message), String(limit));
        }
      } else {
        await assert.rejects(c.apiKeys.create({ name: 'x', expiresAt: Date.now() + 1e9 }), (e: unknown) => e instanceof InvalidInputError && e.field === 'expiresAt');
        await assert.rejects(c.apiKeys.create({ name: 'x', username: 'root' }), (e: unknown) => e instanceof InvalidInputError && e.field === 'username');
        const scoped = await c.apiKeys.create({ name: 'scoped', allowlist: [{ method: 'CALL', resource: 'system.info' }] });
        assert.deepEqual(scoped.key.allowlist, [{ method: 'CALL', resource: 'system.info' }]);
        await assert.rejects(c.apiKeys.create({ name: 'bad', allowlist: [{ method: 'FETCH' as 'GET', resource: 'x' }] }), InvalidInputError);
      }

      const renamed = await c.apiKeys.update(created.key.id, { name: 'renamed' });
      assert.equal(renamed.name, 'renamed');
      if (userLinked) {
        const never = await c.apiKeys.update(created.key.id, { expiresAt: null });
        assert.equal(never.expiresAt, null);
      }
      const reset = await c.apiKeys.reset(created.key.id);
      assert.notEqual(reset.secret, created.secret);
      assert.equal(reset.key.id, created.key.id);
      if (userLinked) {
        // The new secret works; the old one does not.
        assert.equal((await client().login({ type: 'apiKey', key: reset.secret, username: 'ro_admin' })).type, 'SUCCESS');
        await assert.rejects(client().login({ type: 'apiKey', key: created.secret, username: 'ro_admin' }), InvalidCredentialsError);
      } else {
        assert.equal((await client().login({ type: 'apiKey', key: reset.secret })).type, 'SUCCESS');
      }
      // A reset may carry other changes in the same call; update() refuses a reset so no secret is lost.
      const resetRenamed = await c.apiKeys.reset(created.key.id, { name: 'reset-renamed' });
      assert.equal(resetRenamed.key.name, 'reset-renamed', 'reset applies the rename in the same call');
      assert.notEqual(resetRenamed.secret, reset.secret, 'a second reset gives a new secret');
      await assert.rejects(c.apiKeys.update(created.key.id, { name: 'lost', reset: true }), InvalidInputError);
      assert.equal((await c.apiKeys.getInstance(created.key.id)).name, 'reset-renamed', 'a refused update changes nothing');
      await c.apiKeys.delete(created.key.id);
      await assert.rejects(c.apiKeys.getInstance(created.key.id), NotFoundError);
      await assert.rejects(c.apiKeys.update(9999, { name: 'x' }), NotFoundError);
      await assert.rejects(c.apiKeys.reset(9999), NotFoundError);
      await assert.rejects(c.apiKeys.delete(9999), NotFoundError);
      await assert.rejects(c.apiKeys.delete(0), InvalidInputError);
    });

    test('my_keys, key owners and the signed-in user', async () => {
      const c = await admin();
      const service = createTrueNasService(c);
      if (userLinked) {
        const mine = await c.apiKeys.myKeys();
        assert.ok(mine.length > 0 && mine.every((k) => k.username === sim.admin.username), JSON.stringify(mine.map((k) => k.username)));
        const owners = await service.users();
        assert.ok(owners.some((u) => u.username === 'ro_admin'), 'ro_admin may own keys');
        assert.ok(!owners.some((u) => u.username === 'no_roles'), 'users without roles cannot own keys');
        assert.deepEqual((await service.users('ADMIN')).map((u) => u.username).sort(), owners.filter((u) => /admin/i.test(u.username) || /admin/i.test(u.fullName)).map((u) => u.username).sort());
        assert.equal(await service.currentUsername(), sim.admin.username);
      } else {
        await assert.rejects(c.apiKeys.myKeys(), MethodNotFoundError);
        assert.deepEqual(await service.users(), []);
        assert.equal(await service.currentUsername(), null, 'auth.me is unavailable for API-key sessions before 25.04');
        const pw = client();
        await pw.login(adminPassword());
        assert.equal(await createTrueNasService(pw).currentUsername(), sim.admin.username);
      }
    });

    test('service listPage: server-side sort and paging, local status filter, search', async () => {
      const c = await admin();
      const service = createTrueNasService(c, { hostId: 'h1', hostName: 'NAS 1' });
      const all = await service.list();
      const first = await service.listPage!({ offset: 0, limit: 3, sort: { field: 'name', direction: 'desc' } });
      assert.equal(first.total, all.length);
      assert.deepEqual(first.rows.map((r) => r.name), all.map((k) => k.name).sort().reverse().slice(0, 3));
      assert.equal(first.rows[0]!.hostId, 'h1');
      const created = await service.listPage!({ offset: 0, limit: 100, sort: { field: 'createdAt', direction: 'asc' } });
      assert.deepEqual(created.rows.map((r) => r.createdAt), [...created.rows.map((r) => r.createdAt)].sort((a, b) => a! - b!));
      const search = await service.listPage!({ offset: 0, limit: 100, search: 'LEGACY' });
      assert.deepEqual(search.rows.map((r) => r.name).sort(), all.filter((k) => /legacy/i.test(k.name) || /legacy/i.test(k.username ?? '')).map((k) => k.name).sort());
      if (userLinked) {
        const revoked = await service.listPage!({ offset: 0, limit: 100, status: 'revoked' });
        assert.ok(revoked.total >= 2 && revoked.rows.every((r) => r.revoked), `revoked filter: ${revoked.total}`);
        const byStatus = await service.listPage!({ offset: 0, limit: 100, sort: { field: 'status', direction: 'asc' } });
        assert.equal(byStatus.rows.at(-1)!.revoked, true);
        const byExpiry = await service.listPage!({ offset: 0, limit: 100, sort: { field: 'expiresAt', direction: 'asc' } });
        assert.equal(byExpiry.rows.at(-1)!.expiresAt, null, 'never-expiring keys sort last');
      }
      await assert.rejects(service.listPage!({ offset: -1, limit: 10 }), InvalidInputError);
    });

    test('events: added/changed/removed as KeyChange, without the plaintext key', async () => {
      const watcher = await admin();
      const changes: KeyChange[] = [];
      const sub = await watcher.apiKeys.subscribe((ch) => changes.push(ch));
      const actor = await admin();
      const created = await actor.apiKeys.create(userLinked ? { name: 'evented', username: 'ro_admin' } : { name: 'evented' });
      await until(() => changes.some((ch) => ch.type === 'added'), 5000, 'added');
      await actor.apiKeys.update(created.key.id, { name: 'evented-2' });
      await until(() => changes.some((ch) => ch.type === 'changed' && ch.key.name === 'evented-2'), 5000, 'changed');
      await actor.apiKeys.delete(created.key.id);
      await until(() => changes.some((ch) => ch.type === 'removed'), 5000, 'removed');
      const added = changes.find((ch) => ch.type === 'added')!;
      assert.equal(added.type === 'added' && added.key.name, 'evented');
      assert.deepEqual(changes.find((ch) => ch.type === 'removed'), { type: 'removed', id: created.key.id });
      assert.ok(!JSON.stringify(changes).includes(created.secret.slice(-64)), 'no secret in any change');
      assert.ok(!changes.some((ch) => ch.type === 'changed' && ch.key.name === undefined), 'every change carries a full key');
      await sub.unsubscribe();
      let left = -1;
      await untilAsync(async () => (left = (await stats()).subscriptions) === 0, 2000, 'unsubscribed on the NAS').catch(() => undefined);
      assert.equal(left, 0, 'unsubscribed on the NAS');
    });

    test('reconnect after a dropped socket: re-authenticates, resubscribes, delivers later events', async () => {
      const watcher = await admin({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
      const changes: KeyChange[] = [];
      await watcher.apiKeys.subscribe((ch) => changes.push(ch));
      let reconnected = 0;
      watcher.on('reconnected', () => reconnected++);
      await sim.command('drop');
      await until(() => reconnected === 1, 5000, 'reconnected');
      assert.equal(watcher.state, 'authenticated');
      const actor = await admin();
      await actor.apiKeys.create(userLinked ? { name: 'after-drop', username: 'ro_admin' } : { name: 'after-drop' });
      await until(() => changes.some((ch) => ch.type === 'added' && ch.key.name === 'after-drop'), 5000, 'event after reconnect');
      assert.equal((await watcher.apiKeys.query()).some((k) => k.name === 'after-drop'), true);
      // A restart of the NAS (new boot) is survived the same way.
      await sim.command('restart');
      await until(() => reconnected === 2, 10_000, 'reconnected after restart');
      assert.ok((await watcher.apiKeys.count()) > 0, 'works after the restart');
    });

    test('service: after a reconnect, changes missed during the gap are reported', async () => {
      const watcher = await admin({ reconnect: { initialDelayMs: 400, maxDelayMs: 400 } });
      const service = createTrueNasService(watcher);
      const keys = await service.list();
      const changes: KeyChange[] = [];
      const stop = service.subscribe((change) => changes.push(change));
      await untilAsync(async () => (await stats()).subscriptions === 1, 3000, 'subscribed');
      const victim = keys.find((k) => k.name === 'ci-backup')!;
      const target = keys.find((k) => k.name === 'legacy-admin')!;
      await sim.command('drop');
      // A revocation never sends an event; a delete while the watcher is away is missed.
      if (userLinked) await sim.command('setKeyState', { id: target.id, revoked: true });
      const actor = await admin();
      await actor.apiKeys.delete(victim.id);
      await until(() => changes.some((c) => c.type === 'removed' && c.id === victim.id), 5000, 'removal reported after the reconnect');
      if (userLinked) await until(() => changes.some((c) => c.type === 'changed' && c.key.id === target.id && c.key.revoked), 5000, 'revocation reported');
      stop();
    });

    test('pending calls settle with typed errors on close; changes are never retried', async () => {
      const c = await admin({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
      await c.capabilities(); // cached, so create sends only api_key.create
      await sim.command('delay', { ms: 800 });
      const read = c.apiKeys.query().catch((e: unknown) => e);
      const write = c.apiKeys.create(userLinked ? { name: 'maybe', username: 'ro_admin' } : { name: 'maybe' }).catch((e: unknown) => e);
      await until(() => c.load.inFlight === 2, 2000, 'two calls in flight');
      await sim.command('close', { code: 1011, reason: 'server error' });
      const [r, w] = await Promise.all([read, write]);
      assert.ok(r instanceof ConnectionClosedError && r.retryable === true && r.closeCode === 1011, String(r));
      assert.ok(w instanceof ConnectionClosedError && w.retryable === false && /may or may not/.test(w.message), String(w));
      await sim.command('delay', { ms: 0 });
      // The NAS does not cancel a call whose socket closed: the create lands later. The client
      // comes back by itself on the next call and never replays the create.
      await untilAsync(async () => (await c.apiKeys.query()).some((k) => k.name === 'maybe'), 5000, 'the delayed create to land');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await c.apiKeys.query()).filter((k) => k.name === 'maybe').length, 1, 'the create was not replayed');
    });

    test('per-call timeouts; the late reply is dropped and the connection keeps working', async () => {
      const c = await admin();
      await sim.command('delay', { ms: 400, method: 'api_key.query' });
      await assert.rejects(c.apiKeys.query([], {}, { timeoutMs: 100 }), (e: unknown) => e instanceof TimeoutError && e.method === 'api_key.query');
      const t0 = Date.now();
      assert.equal(typeof (await c.system.version()), 'string');
      assert.ok(Date.now() - t0 < 300, 'other calls are not held up');
      await sim.command('delay', { ms: 0 });
      assert.ok((await c.apiKeys.query()).length > 0, 'query works again');
      const aborted = new AbortController();
      const call = c.apiKeys.count([], { signal: aborted.signal });
      aborted.abort(new Error('user cancelled'));
      await assert.rejects(call, /user cancelled/);
    });

    test('at most 20 calls in flight; the rest queue and all succeed', async () => {
      const c = await admin();
      await sim.command('delay', { ms: 60, method: 'api_key.query' });
      let maxClient = 0;
      let maxServer = 0;
      let done = false;
      const sampler = (async () => {
        while (!done) {
          maxClient = Math.max(maxClient, c.load.inFlight);
          maxServer = Math.max(maxServer, (await stats()).inFlight);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const results = await Promise.all(Array.from({ length: 70 }, () => c.apiKeys.count()));
      done = true;
      await sampler;
      assert.equal(results.length, 70);
      assert.deepEqual(new Set(results), new Set([results[0]]), 'every count is the same');
      assert.equal(maxClient, 20, `client in flight peaked at ${maxClient}`);
      assert.ok(maxServer <= 20 && maxServer >= 10, `server saw at most ${maxServer}`);
    });

    test('keepalive pings only while in use; an unanswered ping triggers a reconnect', async () => {
      let pings = 0;
      const logger = { debug: (m: string) => void (m === 'keepalive ping' && pings++) };
      const idle = await admin({ keepaliveIntervalMs: 50, keepaliveIdleMs: 150, logger });
      await new Promise((r) => setTimeout(r, 300));
      const afterIdle = pings;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(pings, afterIdle, `no pings once idle (${pings})`);
      await idle.close();

      pings = 0;
      const c = await admin({ keepaliveIntervalMs: 80, keepaliveTimeoutMs: 300, reconnect: { initialDelayMs: 20, maxDelayMs: 50 }, logger });
      await c.apiKeys.subscribe(() => undefined);
      let reconnected = 0;
      c.on('reconnected', () => reconnected++);
      await new Promise((r) => setTimeout(r, 600));
      assert.ok(pings >= 3, `pings while subscribed (${pings})`);
      assert.equal(reconnected, 0, 'pings are answered (legacy pong before 25.04, core.ping after)');
      if (userLinked) {
        await sim.command('delay', { ms: 5000, method: 'core.ping' });
        await until(() => reconnected > 0, 5000, 'reconnect after a dead ping');
        await sim.command('delay', { ms: 0 });
      }
    });

    test('transport guard: no plain API key or password to a non-loopback host over ws://', async () => {
      // The client believes it talks to nas.example.test over plain ws; the socket reaches the simulator.
      const port = sim.port;
      const remote = () =>
        client({ url: `http://nas.example.test:${port}`, createWebSocket: (url) => new WebSocket(url.replace('nas.example.test', '127.0.0.1')) });
      const before = await client().login(adminKey()).then(() => sim.command('stats'));
      assert.ok(before, 'the admin key works before');
      const plain = remote().login({ ...adminKey(), mechanism: 'plain' } as Credentials);
      await assert.rejects(plain, (e: unknown) => e instanceof InsecureTransportError && /25\.04/.test(e.message) && /revoke/.test(e.message) && !e.message.includes(sim.admin.apiKey));
      if (n >= 2600) {
        // SCRAM never sends the key, so it is allowed.
        const scram = await remote().login(adminKey());
        assert.equal(scram.type === 'SUCCESS' && scram.mechanism, 'SCRAM');
      } else {
        await assert.rejects(remote().login(adminKey()), InsecureTransportError);
      }
      await assert.rejects(remote().login({ type: 'password', username: sim.admin.username, password: sim.admin.password }), InsecureTransportError);
      assert.equal((await remote().login(adminPassword())).type, 'SUCCESS', 'explicit opt-in');
      // The key was never sent, so it still works.
      assert.equal((await client().login(adminKey())).type, 'SUCCESS');
    });

    test('revocation over an insecure transport, and recovery by reset', async () => {
      const fixture = await fixtureKey({ name: 'exposed', ...(userLinked ? { username: sim.admin.username } : {}) });
      await sim.command('setInsecure', { insecure: true });
      const creds = { type: 'apiKey', key: fixture.key, username: sim.admin.username, mechanism: 'plain' } as Credentials;
      if (!userLinked) {
        assert.equal((await client().login(creds)).type, 'SUCCESS', 'before 25.04 keys are never revoked');
        return;
      }
      await assert.rejects(client().login(creds), (e: unknown) => e instanceof CredentialExpiredError && /insecure/.test(e.message));
      const adminClient = client();
      await adminClient.login(adminPassword());
      const revoked = await adminClient.apiKeys.getInstance(fixture.id);
      assert.equal(revoked.revoked, true);
      assert.equal(revoked.revokedReason, n >= 2510 ? 'Attempt to use over an insecure transport' : null);
      if (n >= 2600) {
        // SCRAM does not send the key: no revocation.
        const other = await fixtureKey({ name: 'scram-ok', username: sim.admin.username });
        assert.equal((await client().login({ type: 'apiKey', key: other.key, username: sim.admin.username })).type, 'SUCCESS');
      }
      const reset = await adminClient.apiKeys.reset(fixture.id);
      assert.equal(reset.key.revoked, false);
      if (n >= 2510) assert.equal(reset.key.revokedReason, 'Attempt to use over an insecure transport', 'a reset keeps the stale reason');
      await sim.command('setInsecure', { insecure: false });
      assert.equal((await client().login({ ...creds, key: reset.secret } as Credentials)).type, 'SUCCESS');
    });

    test('gives up after the last reconnect attempt; a later call connects afresh', async () => {
      const own = await startSimulator({ profile, port: 0, loginDelay: false });
      const c = new TrueNasClient({ url: own.url, WebSocket, loginLimiter: limiter, reconnect: { initialDelayMs: 20, maxDelayMs: 40, maxAttempts: 2 }, connectTimeoutMs: 500 });
      clients.push(c);
      try {
        await c.login({ type: 'apiKey', key: own.admin.apiKey, username: own.admin.username });
        await c.apiKeys.subscribe(() => undefined);
        let disconnected = null as Error | null;
        c.on('disconnected', (e) => (disconnected = e.error));
        await own.close();
        await until(() => disconnected !== null, 5000, 'disconnected');
        assert.equal(c.state, 'closed');
        assert.ok(disconnected! instanceof Error && disconnected.name === 'TransportError', String(disconnected));
        // The fresh attempt is refused too: the call hears at once that nothing reached the NAS.
        await assert.rejects(c.apiKeys.count(), (e: Error) => e.name === 'UnreachableError' && /nothing was sent/.test(e.message));
      } finally {
        await own.close().catch(() => undefined);
      }
    });

    test('a failed re-authentication after a reconnect fails queued calls with the auth error, never sends them unsigned', async () => {
      const fixture = await fixtureKey({ name: 'short-lived', ...(userLinked ? { username: sim.admin.username } : {}) });
      const c = client({ reconnect: { initialDelayMs: 200, maxDelayMs: 200 } });
      await c.login({ type: 'apiKey', key: fixture.key, username: sim.admin.username, mechanism: 'plain' });
      await c.capabilities();
      const changes: KeyChange[] = [];
      await c.apiKeys.subscribe((change) => changes.push(change));
      let reauthFailed = null as Error | null;
      c.on('reauthFailed', (e) => (reauthFailed = e.error));
      const adminClient = await admin();
      await adminClient.apiKeys.delete(fixture.id);
      await sim.command('drop');
      await until(() => c.state === 'reconnecting', 2000, 'reconnecting');
      // Queued while the client is away; it must not go out unauthenticated.
      const queued = c.apiKeys.count().catch((e: unknown) => e);
      await until(() => reauthFailed !== null, 5000, 'reauthFailed');
      assert.ok(reauthFailed instanceof InvalidCredentialsError, String(reauthFailed));
      const result = await queued;
      assert.ok(result instanceof InvalidCredentialsError, `queued call: ${String(result)}`);
      assert.equal(c.state, 'connected');
      assert.equal(c.authenticated, false);
      // Signing in again brings the subscription back.
      await c.login(adminKey());
      await adminClient.apiKeys.create(userLinked ? { name: 'after-relogin', username: 'ro_admin' } : { name: 'after-relogin' });
      await until(() => changes.some((ch) => ch.type === 'added' && ch.key.name === 'after-relogin'), 5000, 'event after signing in again');
      // Also after an explicit logout and login.
      await c.logout();
      await c.login(adminKey());
      await adminClient.apiKeys.create(userLinked ? { name: 'after-logout', username: 'ro_admin' } : { name: 'after-logout' });
      await until(() => changes.some((ch) => ch.type === 'added' && ch.key.name === 'after-logout'), 5000, 'event after logout and login');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(changes.filter((ch) => ch.type === 'added' && ch.key.name === 'after-logout').length, 1, 'no duplicate subscription');
    });

    test('close code 1008 (address not allowed) is final: no reconnect', async () => {
      const c = await admin({ reconnect: { initialDelayMs: 10, maxDelayMs: 20 } });
      await c.apiKeys.subscribe(() => undefined);
      let disconnected = null as Error | null;
      c.on('disconnected', (e) => (disconnected = e.error));
      await sim.command('close', { code: 1008, reason: 'You are not allowed to access this resource' });
      await until(() => disconnected !== null, 3000, 'disconnected');
      assert.ok(disconnected! instanceof ConnectionClosedError && disconnected.closeCode === 1008 && /allowlist/.test(disconnected.message), String(disconnected));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(c.state, 'closed');
      assert.equal((await stats()).connections, 0, 'no reconnect');
    });

    test('malformed frames from the NAS are ignored; calls keep working', async () => {
      const c = await admin();
      for (const frame of ['{not json', '[]', '{"id":"x","msg":"result"}', '{"jsonrpc":"2.0","id":999,"result":1}', '{"jsonrpc":"2.0","method":"collection_update","params":[1]}']) {
        await sim.command('malformed', { frame });
      }
      await sim.command('malformed', { frame: 'binary', binary: true });
      assert.ok((await c.apiKeys.count()) > 0, 'still answering');
      assert.equal(c.state, 'authenticated');
    });

    test('oversized requests are refused locally; the socket stays open', async () => {
      const c = client();
      await c.connect();
      await assert.rejects(c.call('auth.login_with_api_key', ['x'.repeat(9000)]), (e: Error) => e.name === 'RequestTooLargeError' && /8 kB/.test(e.message));
      await c.login(adminKey());
      await assert.rejects(c.apiKeys.query([['name', '=', 'y'.repeat(70_000)]]), (e: Error) => e.name === 'RequestTooLargeError' && /64 kB/.test(e.message));
      assert.ok((await c.apiKeys.count()) > 0, 'the socket survived');
      const bad = await c.apiKeys.query([], { bogus: 1 } as never).catch((e: unknown) => e);
      assert.ok(bad instanceof ValidationError || (bad as Error).name === 'CallError', String(bad));
    });

    if (n >= 2410) {
      test('the NAS rate limit (20 anonymous calls a minute) surfaces as RateLimitError', async () => {
        const c = client();
        await c.connect();
        const results: unknown[] = [];
        for (let i = 0; i < 21; i++) results.push(await c.call('auth.login_with_token', ['not-a-token']).catch((e: unknown) => e));
        assert.deepEqual(results.slice(0, 20), Array(20).fill(false));
        assert.ok(results[20] instanceof RateLimitError && results[20].source === 'server', String(results[20]));
      });
    }

    test('the login limiter stops a burst before the NAS locks the client out', async () => {
      const tight = new LoginLimiter({ maxAttempts: 3 });
      const wrong = { type: 'password', username: sim.admin.username, password: 'nope', allowInsecureTransport: true } as Credentials;
      const c = client({ loginLimiter: tight });
      for (let i = 0; i < 3; i++) await assert.rejects(c.login(wrong), InvalidCredentialsError);
      await assert.rejects(c.login(adminPassword()), (e: unknown) => e instanceof RateLimitError && e.source === 'client' && e.retryAfterMs! > 0);
      // Another client to the same host shares the budget; another host does not.
      await assert.rejects(client({ loginLimiter: tight }).login(adminPassword()), RateLimitError);
      assert.equal((await client({ loginLimiter: tight, url: sim.url.replace('127.0.0.1', 'localhost') }).login(adminPassword())).type, 'SUCCESS');
    });
  });
}
