import { parseArgs } from 'node:util';
import { DEFAULT_PROFILE, PROFILES, startSimulator, type ProfileName } from './index.js';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string', default: DEFAULT_PROFILE },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const profile = values.profile as ProfileName;
  if (!PROFILES.includes(profile)) {
    console.error(`Unknown profile "${values.profile}". Choose one of: ${PROFILES.join(', ')}`);
    process.exit(2);
  }
  const sim = await startSimulator({ profile, port: Number(values.port), host: values.host });
  console.log(`NAS simulator (TrueNAS ${sim.profile}) listening on ${sim.url}`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
