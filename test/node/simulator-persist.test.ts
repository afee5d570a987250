/**
 * Seeds and persistence: seed files and their errors, state surviving restarts, atomic writes
 * (a corrupt file is reported and left alone; a crash mid-write never leaves a torn file).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../../scripts/simulator/index.js';
import { RawSocket, openLoggedIn } from '../../scripts/simulator/raw-client.js';
import { loadSeed } from '../../scripts/simulator/seed.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SEED = join(root, 'test/fixtures/seed-example.json');

/** A control call over node:http (settles on reply or on the connection dying). */
function post(control: { url: string; token: string }, body: unknown): Promise<void> {
  return new Promise((resolve) => {
    const req = request(control.url, { method: 'POST', agent: false, headers: { authorization: `Bearer ${control.token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.end(JSON.stringify(body));
  });
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'nas-sim-test-'));
}

describe('seed files', () => {
  test('a seed file defines users, passwords, keys (a fixed secret logs in)', async () => {
    const sim = await startSimulator({ seed: SEED, loginDelay: false });
    try {
      assert.deepEqual(
        sim.users.map((u) => u.username),
        ['root', 'truenas_admin', 'auditor', 'guest'],
      );
      assert.equal(sim.admin.password, 'demo-admin-password');
      const s = await RawSocket.open(sim.url, '/api/current');
      const backupId = 2; // the bootstrap key is id 1, seeded keys follow in order
      const r = await s.rpc('auth.login_ex', [
        { mechanism: 'API_KEY_PLAIN', username: 'truenas_admin', api_key: `${backupId}-DemoSecretForTheBackupJobKey0123456789abcdefghijklmnopqrstuvwxyz` },
      ]);
      assert.equal(r.result.response_type, 'SUCCESS');
      const keys = (await s.rpc('api_key.query', [[], { select: ['name', 'revoked', 'expires_at'], order_by: ['name'] }])).result;
      assert.equal(keys.length, 5);
      assert.equal(keys.find((k: { name: string }) => k.name === 'old-laptop').revoked, true);
      s.close();
    } finally {
      await sim.close();
    }
  });

  test('bad seeds fail with a specific message', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /expected an object/],
      [{ users: [] }, /"users" must be a non-empty array/],
      [{ users: [{ id: 1, uid: 0, username: 'a b' }] }, /users\[0\]\.username must be a valid account name/],
      [{ users: [{ id: 1, uid: 0, username: 'a' }, { id: 1, uid: 1, username: 'b' }] }, /users\[1\]\.id 1 is used twice/],
      [{ users: [{ id: 1, uid: 0, username: 'a' }], keys: [{ name: 'k', owner: 'zed' }] }, /keys\[0\]\.owner "zed" is not a seeded user/],
      [{ users: [{ id: 1, uid: 0, username: 'a' }], keys: [{ name: 'k', secret: 'short' }] }, /keys\[0\]\.secret must be 64 characters/],
      [{ users: [{ id: 1, uid: 0, username: 'a' }], keys: [{ name: 'k', expiresAt: 'soon' }] }, /keys\[0\]\.expiresAt: "soon" is not a date/],
      [{ users: [{ id: 1, uid: 0, username: 'a' }], keys: [{ name: 'k' }, { name: 'k' }] }, /keys\[1\]\.name "k" is used twice/],
    ];
    for (const [seed, message] of cases) assert.throws(() => loadSeed(seed as never), message);
    const dir = scratch();
    writeFileSync(join(dir, 'seed.json'), '{"users": [');
    assert.throws(() => loadSeed(join(dir, 'seed.json')), /Seed file .*seed\.json is not valid JSON/);
    assert.throws(() => loadSeed(join(dir, 'missing.json')), /Cannot read seed file/);
    rmSync(dir, { recursive: true });
  });
});

describe('persistence', () => {
  test('keys survive a restart; the bootstrap key keeps id 1 but gets a new secret each run', async () => {
    const dir = scratch();
    const file = join(dir, 'state.json');
    const first = await startSimulator({ persist: file, loginDelay: false });
    const s = await openLoggedIn(first);
    const created = (await s.rpc('api_key.create', [{ name: 'survivor', username: 'ro_admin' }])).result;
    s.close();
    const oldAdminKey = first.admin.apiKey;
    await first.close();

    const second = await startSimulator({ persist: file, loginDelay: false });
    try {
      assert.ok(second.admin.apiKey.startsWith('1-'), 'a new bootstrap key with id 1');
      assert.notEqual(second.admin.apiKey, oldAdminKey);
      const t = await openLoggedIn(second);
      const again = (await t.rpc('api_key.get_instance', [created.id])).result;
      assert.deepEqual([again.name, again.username], ['survivor', 'ro_admin']);
      const stale = await RawSocket.open(second.url, '/api/current');
      assert.equal((await stale.rpc('auth.login_with_api_key', [oldAdminKey])).result, false);
      assert.equal((await stale.rpc('auth.login_with_api_key', [created.key])).result, true, 'a created key still works after restart');
      t.close();
      stale.close();
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(saved.format, 'nas-key-manager-simulator-state');
      assert.ok(!JSON.stringify(saved).includes(created.key.slice(created.key.indexOf('-') + 1)), 'only hashes are stored');
    } finally {
      await second.close();
    }

    // Another profile gets its own section; the 25.10 one is kept.
    const legacy = await startSimulator({ profile: '24.10', persist: file, loginDelay: false });
    await legacy.close();
    const both = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(both.profiles).sort(), ['24.10', '25.10']);
    rmSync(dir, { recursive: true });
  });

  test('a corrupt or foreign state file is a clear error and is not overwritten', async () => {
    const dir = scratch();
    const file = join(dir, 'state.json');
    for (const [content, why] of [
      ['{"format": "nas-key-manager-simulator-state", "version": 1, "profiles": {"25.10": {"nextKeyId": 3, "keys": [', /not valid JSON/],
      ['{"hello": "world"}', /expected "format": "nas-key-manager-simulator-state"/],
      ['{"format": "nas-key-manager-simulator-state", "version": 1, "profiles": {"25.10": {"nextKeyId": 3, "keys": [{"id": "x"}]}}}', /keys\[0\] is malformed/],
    ] as const) {
      writeFileSync(file, content);
      await assert.rejects(startSimulator({ persist: file }), (e: Error) => {
        assert.match(e.message, why);
        assert.match(e.message, /left untouched/);
        assert.ok(e.message.includes(file), 'the error names the state file');
        return true;
      });
      assert.equal(readFileSync(file, 'utf8'), content);
    }
    rmSync(dir, { recursive: true });
  });

  test('a state file in a missing directory is refused at start with a clear message', async () => {
    await assert.rejects(startSimulator({ persist: join(tmpdir(), 'no-such-dir-for-nas-sim', 'state.json') }), /Cannot save simulator state to .*no-such-dir-for-nas-sim.*ENOENT/);
  });

  test('writes go to a temporary file first: a failed write leaves the previous state intact', async () => {
    const dir = scratch();
    const file = join(dir, 'state.json');
    const sim = await startSimulator({ persist: file, loginDelay: false });
    try {
      const before = readFileSync(file, 'utf8');
      // Block the temporary path so the next save fails before the rename.
      mkdirSync(`${file}.tmp-${process.pid}`);
      const s = await openLoggedIn(sim);
      const r = await s.rpc('api_key.create', [{ name: 'unsaved', username: 'ro_admin' }]);
      assert.equal(r.error.code, -32001, 'the failed save surfaces as an error');
      assert.match(r.error.data.reason, /^Cannot save simulator state to .*state\.json: .*The previous state file, if any, is unchanged\.$/);
      assert.equal(readFileSync(file, 'utf8'), before);
      s.close();
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true });
    }
  });

  test('killing the simulator mid-write never leaves a torn state file', async () => {
    const dir = scratch();
    const file = join(dir, 'state.json');
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ['scripts/nas-sim.mjs', '--port', '0', '--persist', file, '--control', '--login-delay', '0'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((r) => child.once('exit', r));
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const control = await new Promise<{ url: string; token: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 15_000);
        child.stdout.on('data', () => {
          const m = /control: POST (\S+) with "Authorization: Bearer (\S+)"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve({ url: m[1]!, token: m[2]! });
          }
        });
      });
      // Keep the simulator writing, and kill it while requests are in flight.
      const writes = Array.from({ length: 40 }, (_, i) => post(control, { action: 'createKey', options: { name: `r${round}-k${i}` } }));
      await new Promise((r) => setTimeout(r, 10 + round * 40));
      child.kill('SIGKILL');
      await Promise.all(writes);
      await exited;
      const state = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(state.format, 'nas-key-manager-simulator-state');
      // And the simulator can load it.
      const sim = await startSimulator({ persist: file });
      await sim.close();
    }
    const keys = JSON.parse(readFileSync(file, 'utf8')).profiles['25.10'].keys as Array<{ name: string }>;
    assert.ok(keys.some((k) => /^r\d-k\d+$/.test(k.name)), 'some writes landed before the kills');
    assert.ok(existsSync(file), 'the state file survives the kills');
    rmSync(dir, { recursive: true });
  });
});
