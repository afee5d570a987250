/**
 * The connection library and the simulator as an integrator installs them: both from their
 * tarballs into a plain Node project, the simulator started through its `truenas-api-simulator`
 * command, the client signing in and listing keys over real sockets, per protocol era.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installConsumer, run } from './helpers/consumer.js';

let project: string;
const command = () => join(project, 'node_modules', '.bin', 'truenas-api-simulator');

before(async () => {
  project = await installConsumer('node');
});

interface Started {
  url: string;
  username: string;
  password: string;
  apiKey: string;
  stop: () => Promise<void>;
}

/** Starts the installed command and reads the URL and throwaway credentials it prints. */
function startCommand(args: string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(command(), args, { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const admin = /admin: (\S+) \/ (\S+)/.exec(output);
      const apiKey = /admin API key: (\S+)/.exec(output)?.[1];
      if (url && admin?.[1] && admin[2] && apiKey) resolve({ url, username: admin[1], password: admin[2], apiKey, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`truenas-api-simulator exited (${code}) before it listened:\n${output}`)));
  });
}

for (const { profile, protocol, version } of [
  { profile: '25.10', protocol: 'jsonrpc', version: /^25\.10/ },
  { profile: '24.10', protocol: 'legacy', version: /^24\.10/ },
]) {
  test(`npx truenas-api-simulator --profile ${profile}: the client signs in (password and API key) and lists keys`, { timeout: 60_000 }, async () => {
    const sim = await startCommand(['--profile', profile, '--login-delay', '0']);
    try {
      for (const secret of [sim.password, sim.apiKey]) {
        const out = await run(process.execPath, ['list-keys.mjs', sim.url, sim.username, secret], project, { timeoutMs: 30_000 });
        assert.equal(out.code, 0, out.stderr);
        const result = JSON.parse(out.stdout) as { version: string; protocol: string; keys: Array<{ id: number; name: string }> };
        assert.equal(result.protocol, protocol);
        assert.match(result.version, version);
        assert.ok(result.keys.length > 1, 'the seeded keys are listed');
        assert.equal(result.keys[0]?.id, 1, 'the bootstrap key comes first');
      }
      const wrong = await run(process.execPath, ['list-keys.mjs', sim.url, sim.username, 'not-the-password'], project, { timeoutMs: 30_000 });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /^bad login: /m, 'a wrong password is an InvalidCredentialsError');
    } finally {
      await sim.stop();
    }
  });
}

test('the simulator package works as a library too (startSimulator, PROFILES)', { timeout: 30_000 }, async () => {
  const out = await run(process.execPath, ['start-sim.mjs'], project);
  assert.equal(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout) as { profiles: string[]; profile: string; url: string; admin: string };
  assert.deepEqual(result.profiles, ['22.02', '24.10', '25.04', '25.10', '26.0']);
  assert.equal(result.profile, '22.02');
  assert.equal(result.admin, 'root', 'only root may log in on 22.02');
});

test('truenas-api-simulator --help explains itself; a bad profile or flag exits 2 and says what is accepted', async () => {
  const help = await run(command(), ['--help'], project);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: truenas-api-simulator \[options\]/);
  assert.match(help.stdout, /--profile <22\.02\|24\.10\|25\.04\|25\.10\|26\.0>/);

  const profile = await run(command(), ['--profile', '23.10'], project);
  assert.equal(profile.code, 2);
  assert.match(profile.stderr, /Unknown profile "23\.10"\. Choose one of: 22\.02, 24\.10, 25\.04, 25\.10, 26\.0/);

  const flag = await run(command(), ['--prot', '1'], project);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /Unknown option '--prot'/);
  assert.match(flag.stderr, /Usage: truenas-api-simulator/);
});
