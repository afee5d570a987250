/** Pure parts of the client: addresses, loopback, dates, normalisation per era, SCRAM maths, limiter, capabilities. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import {
  InvalidUrlError,
  LoginLimiter,
  ProtocolError,
  capabilitiesFrom,
  decodeDate,
  encodeDate,
  fieldErrorsFrom,
  isLoopbackHost,
  normalizeApiKey,
  normalizeKeyWithSecret,
  parseHostAddress,
  redactSecrets,
} from '../../components/client/index.js';
import { ScramClient } from '../../components/client/scram.js';
import { interpretLoginResponse } from '../../components/client/auth.js';
import {
  AccessDeniedError,
  AuthError,
  CredentialExpiredError,
  InvalidCredentialsError,
  InvalidInputError,
  RedirectError,
  TrueNasClient,
} from '../../components/client/index.js';
import { containsPattern } from '../../components/client/service.js';

test('addresses: a bare host means https; ws:// only when the address asks for it', () => {
  const bare = parseHostAddress('nas.local');
  assert.equal(bare.tls, true);
  assert.equal(bare.baseUrl, 'https://nas.local');
  assert.equal(parseHostAddress('  10.0.0.5:8443 ').host, '10.0.0.5:8443');
  assert.equal(parseHostAddress('10.0.0.5:8443').tls, true);
  assert.equal(parseHostAddress('http://10.0.0.5').tls, false);
  assert.equal(parseHostAddress('ws://10.0.0.5').tls, false);
  assert.equal(parseHostAddress('wss://nas/websocket').forcedProtocol, 'legacy');
  const pinned = parseHostAddress('https://nas/api/v25.04.2');
  assert.equal(pinned.forcedProtocol, 'jsonrpc');
  assert.equal(pinned.jsonRpcPath, '/api/v25.04.2');
  assert.equal(parseHostAddress('https://nas/ui/dashboard').forcedProtocol, null);
  for (const bad of ['', '   ', 'ftp://nas', 'https://admin:secret@nas', 'http://', 'https://exa mple']) {
    assert.throws(() => parseHostAddress(bad), InvalidUrlError, bad);
  }
  // The refusal of userinfo never echoes the password, not even when the rest is invalid too.
  assert.throws(() => parseHostAddress('https://admin:hunter2@nas'), (e: Error) => !e.message.includes('hunter2'));
  assert.throws(() => parseHostAddress('https://admin:hunter2@nas:99999'), (e: Error) => e instanceof InvalidUrlError && !e.message.includes('hunter2'));
  // An API key pasted into the address field is refused without being echoed.
  const pasted = `3-${'k'.repeat(64)}`;
  for (const text of [pasted, `${pasted} `, `https://nas.local/${pasted}`]) {
    assert.throws(() => parseHostAddress(text), (e: Error) => e instanceof InvalidUrlError && !e.message.includes('k'.repeat(64)), text);
  }
});

test('loopback is 127.0.0.0/8, ::1 and exactly localhost (not localhost., not *.localhost)', () => {
  for (const h of ['http://127.0.0.1', 'http://127.8.9.10:81', 'http://[::1]:8080', 'http://localhost', 'http://LOCALHOST', 'http://127.1', 'http://[::ffff:127.0.0.1]']) {
    assert.equal(parseHostAddress(h).loopback, true, h);
  }
  for (const h of ['http://128.0.0.1', 'http://10.0.0.1', 'http://127.0.0.1.nip.io', 'http://localhost.example.com', 'http://[::2]', 'http://[::ffff:10.0.0.1]', 'http://0.0.0.0', 'http://localhost.', 'http://nas.localhost']) {
    assert.equal(parseHostAddress(h).loopback, false, h);
  }
  assert.equal(isLoopbackHost('[::1]'), true);
});

test('dates: {"$date": ms} both ways, whole seconds', () => {
  assert.deepEqual(encodeDate(1_798_761_600_999), { $date: 1_798_761_600_000 });
  assert.equal(encodeDate(null), null);
  assert.throws(() => encodeDate(Number.NaN), /not valid/);
  assert.equal(decodeDate({ $date: 1740000000000 }), 1740000000000);
  for (const bad of [null, '2025-01-01T00:00:00', { $date: 'x' }, 5, []]) assert.equal(decodeDate(bad), null);
});

test('normalisation: every era maps to the one model and drops secrets', () => {
  const legacy = normalizeApiKey({ id: 3, name: 'ci', created_at: { $date: 1718000000000 }, allowlist: [{ method: '*', resource: '*' }, { method: 'BOGUS', resource: 'x' }] });
  assert.deepEqual(legacy, {
    id: 3, name: 'ci', username: null, userIdentifier: null, local: null, createdAt: 1718000000000, expiresAt: null,
    revoked: false, revokedReason: null, allowlist: [{ method: '*', resource: '*' }],
  });
  const c = normalizeApiKey({ id: 3, name: 'ci', username: 'truenas_admin', user_identifier: 70, keyhash: '$pbkdf2-sha512$500000$x$y', created_at: { $date: 1740000000000 }, expires_at: null, local: true, revoked: false });
  assert.equal(c.username, 'truenas_admin');
  assert.equal(c.allowlist, null);
  assert.ok(!JSON.stringify(c).includes('$x$y') && !JSON.stringify(c).includes('$pbkdf2'), 'keyhash dropped');
  // Only its scheme is kept (upgrade readiness); a masked hash reads as unknown.
  assert.equal(c.hashScheme, 'pbkdf2-sha512');
  assert.equal(normalizeApiKey({ id: 3, name: 'ci', username: 'u', keyhash: '$pbkdf2-sha256$29000$a$b' }).hashScheme, 'pbkdf2-sha256');
  assert.equal(normalizeApiKey({ id: 3, name: 'ci', username: 'u', keyhash: '********' }).hashScheme, null);
  assert.ok(!('hashScheme' in legacy), 'no keyhash field, no scheme');
  const d = normalizeApiKey({ id: 3, name: 'ci', username: null, user_identifier: 70, keyhash: 'k', created_at: { $date: 1 }, expires_at: { $date: 1790000000000 }, local: true, revoked: true, revoked_reason: 'Attempt to use over an insecure transport' });
  assert.equal(d.username, null);
  assert.equal(d.revokedReason, 'Attempt to use over an insecure transport');
  assert.equal(d.expiresAt, 1790000000000);
  // The v25.04.x endpoints turn a null username into "".
  assert.equal(normalizeApiKey({ id: 1, name: 'x', username: '', revoked: true }).username, null);
  const e = normalizeApiKey({ id: 4, name: 'n', username: 'bob', user_identifier: '71', iterations: 500000, salt: 's', stored_key: 'sk', server_key: 'svk', created_at: { $date: 1 }, expires_at: null, local: true, revoked: false, revoked_reason: null, key: '4-' + 'a'.repeat(64), client_key: 'ck' });
  assert.equal(e.userIdentifier, 71, 'the create result string form is normalised');
  assert.ok(!/"(key|client_key|stored_key|server_key|salt)"|aaaa/.test(JSON.stringify(e)), 'no secret material survives');
  const withSecret = normalizeKeyWithSecret({ id: 4, name: 'n', username: 'bob', key: `4-${'B'.repeat(64)}` });
  assert.equal(withSecret.secret, `4-${'B'.repeat(64)}`);
  assert.throws(() => normalizeKeyWithSecret({ id: 4, name: 'n' }), ProtocolError);
  for (const bad of [null, [], 'x', { id: '3', name: 'x' }, { id: 3 }, { id: 1.5, name: 'x' }]) assert.throws(() => normalizeApiKey(bad), ProtocolError);
});

test('validation items keep the NAS path and name the form field', () => {
  const items = fieldErrorsFrom([
    ['api_key_create.name', 'Field required', 22],
    ['api_key_create', 'name must be unique', 22],
    ['api_key_create', 'Expiration date is in the past', 22],
    ['api_key_create', 'User lacks privilege role membership.', 22],
    ['api_key_create.username', 'User already meets or exceeds maximum per-user API key limit of 10', 22],
    ['api_key_update.expires_at', 'Input should be a valid datetime', 22],
    ['api_key_create.allowlist.0.resource', 'String should have at least 1 character', 22],
    [null, 'ApiKey 99 does not exist', 2],
    'garbage',
    [1, 2, 3],
  ]);
  assert.deepEqual(
    items.map((i) => [i.path, i.field, i.errno]),
    [
      ['api_key_create.name', 'name', 22],
      ['api_key_create', 'name', 22],
      ['api_key_create', 'expiresAt', 22],
      ['api_key_create', 'username', 22],
      ['api_key_create.username', 'username', 22],
      ['api_key_update.expires_at', 'expiresAt', 22],
      ['api_key_create.allowlist.0.resource', 'allowlist', 22],
      [null, null, 2],
    ],
  );
});

test('capabilities per release', () => {
  const caps = (v: string) => capabilitiesFrom(v, 'jsonrpc');
  assert.deepEqual(capabilitiesFrom('TrueNAS-SCALE-22.02.4', 'legacy'), {
    version: '22.02.4', protocol: 'legacy', userLinkedKeys: false, allowlist: true, revokedReason: false, scram: false, myKeys: false, maxKeysPerUser: null,
    scopedKeys: false, keyUsage: false, keySessions: false, endSessions: false, keyHashScheme: false, nextUpgrade: { target: '25.04', revokes: 'allowlist-dropped' },
  });
  assert.equal(caps('TrueNAS-SCALE-24.10.2.4').allowlist, true);
  assert.equal(caps('TrueNAS-25.04.2.6').userLinkedKeys, true);
  assert.equal(caps('TrueNAS-25.04.2.6').revokedReason, false);
  assert.equal(caps('TrueNAS-25.04.2.6').maxKeysPerUser, 10);
  assert.equal(caps('TrueNAS-25.10.6').revokedReason, true);
  assert.equal(caps('TrueNAS-26.0.0-BETA.3').scram, true);
  assert.equal(caps('TrueNAS-26.0.0-BETA.3').maxKeysPerUser, null);
  assert.equal(caps('TrueNAS-27.0.0-MASTER-20260701').version, '27.0.0');
  assert.throws(() => caps('nonsense'), ProtocolError);
});

test('login limiter: a few attempts per host per minute, then the wait until a slot frees', () => {
  let now = 1_000_000;
  const limiter = new LoginLimiter({ maxAttempts: 3, windowMs: 60_000, now: () => now });
  assert.equal(limiter.tryAcquire('a'), 0);
  assert.equal(limiter.tryAcquire('a'), 0);
  now += 10_000;
  assert.equal(limiter.tryAcquire('a'), 0);
  assert.equal(limiter.tryAcquire('a'), 50_000);
  assert.equal(limiter.tryAcquire('b'), 0, 'hosts are counted separately');
  now += 50_000;
  assert.equal(limiter.tryAcquire('a'), 0);
  assert.equal(new LoginLimiter().maxAttempts, 5);
});

test('redaction masks key-shaped strings and known secrets', () => {
  const key = `12-${'x'.repeat(64)}`;
  assert.equal(redactSecrets(`bad key ${key} here`), 'bad key <redacted> here');
  assert.equal(redactSecrets('password hunter22 leaked', ['hunter22']), 'password <redacted> leaked');
});

test('search pattern: case-insensitive contains that Python re.match and JS accept', () => {
  const p = containsPattern('Nas-1.x');
  assert.equal(p, '.*[nN][aA][sS]-1\\.[xX]');
  assert.ok(new RegExp(p, 'yu').test('my-nas-1.X-key'), 'contains, any case');
  assert.ok(!new RegExp(p, 'yu').test('nas-1yx'), 'the dot is literal');
  assert.doesNotThrow(() => new RegExp(containsPattern('a(b)[c]{d}*+?^$|\\/'), 'yu'));
});

/** An independent SCRAM-SHA-512 server (node:crypto), to check the client's WebCrypto maths. */
function scramServer(secret: string, iterations: number) {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(secret, salt, iterations, 64, 'sha512');
  const clientKey = createHmac('sha512', salted).update('Client Key').digest();
  const storedKey = createHash('sha512').update(clientKey).digest();
  const serverKey = createHmac('sha512', salted).update('Server Key').digest();
  let clientFirstBare = '';
  let serverFirst = '';
  return {
    first(clientFirst: string): string {
      assert.match(clientFirst, /^n,,n=([^,]+),r=([A-Za-z0-9+/=]+)$/);
      clientFirstBare = clientFirst.slice(3);
      const nonce = /r=(.*)$/.exec(clientFirstBare)![1]!;
      serverFirst = `r=${nonce}${randomBytes(32).toString('base64')},s=${salt.toString('base64')},i=${iterations}`;
      return serverFirst;
    },
    final(clientFinal: string): string | null {
      const [, withoutProof, proof] = /^(c=biws,r=[^,]+),p=(.+)$/.exec(clientFinal) ?? [];
      const auth = `${clientFirstBare},${serverFirst},${withoutProof}`;
      const signature = createHmac('sha512', storedKey).update(auth).digest();
      const recovered = Buffer.from(proof!, 'base64').map((b, i) => b ^ signature[i]!);
      if (!createHash('sha512').update(recovered).digest().equals(storedKey)) return null;
      return `v=${createHmac('sha512', serverKey).update(auth).digest('base64')}`;
    },
  };
}

test('SCRAM-SHA-512: proof verifies at an independent server, the server proof verifies at the client, the key never appears', async () => {
  const secret = 'Q'.repeat(32) + 'w'.repeat(32);
  const server = scramServer(secret, 4096);
  const client = new ScramClient('bob,=x', 7, secret);
  assert.ok(client.clientFirst.startsWith('n,,n=bob=2C=3Dx:7,r='), 'saslname escaping and the key id');
  const serverFirst = server.first(client.clientFirst);
  const clientFinal = await client.clientFinal(serverFirst);
  assert.ok(!clientFinal.includes(secret) && !client.clientFirst.includes(secret), 'the secret is not in any SCRAM message');
  const serverFinal = server.final(clientFinal);
  assert.ok(serverFinal, 'the server accepted the proof');
  assert.equal(await client.verifyServerFinal(serverFinal), true);

  // A wrong key is refused by the server; a forged server signature is refused by the client.
  const wrong = new ScramClient('bob', 7, 'Z'.repeat(64));
  const s2 = scramServer(secret, 4096);
  assert.equal(s2.final(await wrong.clientFinal(s2.first(wrong.clientFirst))), null);
  const c3 = new ScramClient('bob', 7, secret);
  const s3 = scramServer(secret, 4096);
  await c3.clientFinal(s3.first(c3.clientFirst));
  assert.equal(await c3.verifyServerFinal(`v=${randomBytes(64).toString('base64')}`), false);

  // A hostile server-first message is refused.
  const c4 = new ScramClient('bob', 7, secret);
  await assert.rejects(c4.clientFinal('r=someone-elses-nonce,s=AAAA,i=4096'), ProtocolError);
  const nonce = /r=(.*)$/.exec(new ScramClient('bob', 1, secret).clientFirst)![1]!;
  const c5 = new ScramClient('bob', 7, secret);
  const n5 = /r=(.*)$/.exec(c5.clientFirst)![1]!;
  await assert.rejects(c5.clientFinal(`r=${n5}x,s=AAAA,i=99999999`), /iteration/);
  assert.ok(nonce.length > 40, `nonce of ${nonce.length} characters`);
});

test('every login response type maps to a distinct outcome with a human message', () => {
  const ok = interpretLoginResponse({ response_type: 'SUCCESS', user_info: { pw_name: 'bob' }, authenticator: 'LEVEL_1' }, 'API_KEY_PLAIN', null);
  assert.deepEqual([ok.type, ok.type === 'SUCCESS' && ok.username], ['SUCCESS', 'bob']);
  const otp = interpretLoginResponse({ response_type: 'OTP_REQUIRED', username: 'bob' }, 'PASSWORD_PLAIN', 'bob');
  assert.equal(otp.type, 'OTP_REQUIRED');
  assert.match(otp.message, /one-time code/);
  const failures: [string, new (...args: never[]) => AuthError, RegExp][] = [
    ['AUTH_ERR', InvalidCredentialsError, /rejected|Wrong/],
    ['EXPIRED', CredentialExpiredError, /expired/],
    ['DENIED', AccessDeniedError, /not allowed/],
    ['REDIRECT', RedirectError, /standby/],
  ];
  const seen = new Set<unknown>();
  for (const [type, cls, text] of failures) {
    assert.throws(() => interpretLoginResponse({ response_type: type, urls: ['10.0.0.2'] }, 'API_KEY_PLAIN', 'bob'), (e: unknown) => {
      seen.add((e as object).constructor);
      return e instanceof cls && e instanceof AuthError && e.outcome === type && text.test(e.message);
    });
  }
  assert.equal(seen.size, 4, 'four distinct classes');
  // The key-specific EXPIRED text explains insecure-transport revocation.
  assert.throws(() => interpretLoginResponse({ response_type: 'EXPIRED' }, 'API_KEY_PLAIN', null), /insecure connection/);
  for (const bad of [null, 'SUCCESS', { response_type: 7 }, { response_type: 'WAT<script>' }]) {
    assert.throws(() => interpretLoginResponse(bad, 'PASSWORD_PLAIN', null), (e: Error) => e.name === 'ProtocolError' && !e.message.includes('<script>'));
  }
});

test('without a WebSocket (Node 20 has no global one) the client says to pass one', () => {
  const g = globalThis as { WebSocket?: unknown };
  const saved = g.WebSocket;
  delete g.WebSocket;
  try {
    assert.throws(() => new TrueNasClient({ url: 'nas.local' }), (e: unknown) => e instanceof InvalidInputError && /`ws`/.test(e.message));
  } finally {
    if (saved !== undefined) g.WebSocket = saved;
  }
});
