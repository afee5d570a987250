/**
 * `truenas-api-simulator --profile 25.10 --port 0 [--tls] [--seed file] [--insecure]
 *  [--persist file] [--control] [--no-rate-limit] [--login-delay 0..1] [--real-hashes]` (in this repository:
 * `npm run sim -- …`)
 * Prints the URL and this run's bootstrap admin credential (a throwaway for local testing).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PROFILE, PROFILES, startSimulator } from './index.js';
import { isProfileName } from './profiles.js';

const USAGE = `Usage: truenas-api-simulator [options]
  --profile <${PROFILES.join('|')}>  TrueNAS release to simulate (default ${DEFAULT_PROFILE})
  --host <address>        listen address (default 127.0.0.1)
  --port <n>              port, 0 = any free port (default 0)
  --tls                   serve https/wss with a generated self-signed certificate
  --seed <file>           seed JSON (users and keys); default: the built-in seed
  --persist <file>        keep keys in this file across restarts (atomic writes)
  --insecure              treat connections as remote and insecure (API keys get revoked)
  --control               expose the test control channel at /_sim/control (token printed)
  --no-rate-limit         turn off the 20-calls-per-minute limit on anonymous calls
  --login-delay <scale>   scale failed-login sleeps (0 = none, 1 = real; default 1)
  --real-hashes           25.04/25.10 key hashes with a NAS's 500,000 PBKDF2 rounds (slower)
  --help                  show this help`;

export async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        profile: { type: 'string', default: DEFAULT_PROFILE },
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        tls: { type: 'boolean', default: false },
        seed: { type: 'string' },
        persist: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        control: { type: 'boolean', default: false },
        'no-rate-limit': { type: 'boolean', default: false },
        'login-delay': { type: 'string', default: '1' },
        'real-hashes': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!isProfileName(values.profile)) {
    console.error(`Unknown profile "${values.profile}". Choose one of: ${PROFILES.join(', ')}`);
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
    process.exit(2);
  }
  const loginDelay = Number(values['login-delay']);
  if (!Number.isFinite(loginDelay) || loginDelay < 0) {
    console.error(`--login-delay must be a number >= 0, not "${values['login-delay']}"`);
    process.exit(2);
  }
  let sim;
  try {
    sim = await startSimulator({
      profile: values.profile,
      port,
      host: values.host,
      tls: values.tls,
      insecure: values.insecure,
      control: values.control,
      rateLimit: !values['no-rate-limit'],
      loginDelay,
      realHashes: values['real-hashes'],
      ...(values.seed ? { seed: values.seed } : {}),
      ...(values.persist ? { persist: values.persist } : {}),
    });
  } catch (e) {
    console.error(`Cannot start the NAS simulator: ${(e as Error).message}`);
    process.exit(1);
  }
  const ws = sim.url.replace(/^http/, 'ws');
  console.log(`NAS simulator (TrueNAS ${sim.profile}) listening on ${sim.url}`);
  console.log(`  websocket: ${ws}/websocket${sim.profile >= '25.04' ? `  json-rpc: ${ws}/api/current` : ''}`);
  console.log(`  admin: ${sim.admin.username} / ${sim.admin.password}`);
  console.log(`  admin API key: ${sim.admin.apiKey}`);
  if (sim.certificate) console.log(`  TLS certificate SHA-256: ${sim.certificate.fingerprint256}`);
  if (sim.control) console.log(`  control: POST ${sim.control.url} with "Authorization: Bearer ${sim.control.token}"`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
