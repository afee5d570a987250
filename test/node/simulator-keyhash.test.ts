/**
 * Key hash eras (truenas-accounts.md §3): 25.x keeps a pre-25.04 pbkdf2-sha256 hash until the key's
 * first login, then stores pbkdf2-sha512; 26.0's upgrade revokes keys that were never rehashed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator, SeedData } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn } from '../../scripts/simulator/raw-client.js';
import { rpcAs, withSim as withSimulator, type SimOptions } from '../helpers/node-sim.js';

const withSim = (options: SimOptions, fn: (sim: RunningSimulator) => Promise<void>) => withSimulator({ rateLimit: false, ...options }, fn);
const SECRET = 'S'.repeat(32) + 'h'.repeat(32);

const seed: SeedData = {
  users: [
    { id: 1, uid: 0, username: 'root', builtin: true, roles: ['FULL_ADMIN'] },
    { id: 70, uid: 950, username: 'truenas_admin', roles: ['FULL_ADMIN'], admin: true },
    { id: 71, uid: 3000, username: 'ro_admin', roles: ['READONLY_ADMIN'] },
  ],
  keys: [
    { name: 'old-cli', owner: 'truenas_admin', createdAt: 'now-400d', keyhash: 'sha256', secret: SECRET },
    { name: 'new-cli', owner: 'truenas_admin', createdAt: 'now-1d' },
  ],
};

describe('keyhash eras', () => {
  for (const profile of ['25.04', '25.10'] as const) {
    test(`${profile}: a sha256 seed key shows $pbkdf2-sha256$ to full admins and is rehashed to sha512 (500000 rounds) on its first login`, async () => {
      await withSim({ profile, seed, realHashes: true }, async (sim) => {
        const admin = await openLoggedIn(sim);
        const hash = async (name: string) => (await admin.rpc('api_key.query', [[['name', '=', name]], { get: true }])).result.keyhash as string;
        assert.match(await hash('old-cli'), /^\$pbkdf2-sha256\$/);
        assert.match(await hash('new-cli'), /^\$pbkdf2-sha512\$500000\$/);
        const ro = await rpcAs(sim, 'ro_admin');
        assert.equal((await ro.rpc('api_key.query', [[['name', '=', 'old-cli']], { get: true }])).result.keyhash, '********', 'masked for read-only admins');
        const id = (await admin.rpc('api_key.query', [[['name', '=', 'old-cli']], { get: true }])).result.id;
        const k = await RawSocket.open(sim.url, '/api/current');
        assert.equal((await k.rpc('auth.login_with_api_key', [`${id}-${SECRET}`])).result, true, 'the old hash still verifies');
        assert.match(await hash('old-cli'), /^\$pbkdf2-sha512\$500000\$/);
        const again = await RawSocket.open(sim.url, '/api/current');
        assert.equal((await again.rpc('auth.login_with_api_key', [`${id}-${SECRET}`])).result, true, 'and the new one too');
        for (const c of [admin, ro, k, again]) c.close();
      });
    });
  }

  test('25.10 without realHashes: fast hashes say their real round count', async () => {
    await withSim({ profile: '25.10', seed }, async (sim) => {
      const admin = await openLoggedIn(sim);
      const row = (await admin.rpc('api_key.query', [[['name', '=', 'new-cli']], { get: true }])).result;
      assert.match(row.keyhash, /^\$pbkdf2-sha512\$1000\$/);
      admin.close();
    });
  });

  test('26.0: a key still on sha256 came out of the upgrade revoked; SCRAM fields replace keyhash', async () => {
    await withSim({ profile: '26.0', seed }, async (sim) => {
      const admin = await openLoggedIn(sim);
      const old = (await admin.rpc('api_key.query', [[['name', '=', 'old-cli']], { get: true }])).result;
      assert.deepEqual([old.revoked, old.revoked_reason, old.iterations], [true, '$pbkdf2-sha256: unsupported cryptographic algorithm', 0]);
      assert.ok(!('keyhash' in old));
      const fresh = (await admin.rpc('api_key.query', [[['name', '=', 'new-cli']], { get: true }])).result;
      assert.deepEqual(Object.keys(fresh).slice(0, 8), ['id', 'name', 'username', 'user_identifier', 'iterations', 'salt', 'stored_key', 'server_key']);
      const k = await RawSocket.open(sim.url, '/api/current');
      assert.equal((await k.rpc('auth.login_with_api_key', [`${old.id}-${SECRET}`])).result, false);
      admin.close();
      k.close();
    });
  });

  test('the default seed has a pre-upgrade sha256 key on 25.10', async () => {
    await withSim({ profile: '25.10' }, async (sim) => {
      const admin = await openLoggedIn(sim);
      const rows = (await admin.rpc('api_key.query', [[['keyhash', '^', '$pbkdf2-sha256$']], { select: ['name'] }])).result;
      assert.deepEqual(rows, [{ name: 'pre-upgrade-cli' }]);
      admin.close();
    });
  });
});
