// Finds a Chromium for tests and benchmarks. Order: $CHROME_PATH, `chromium` on PATH, Debian's
// locations. When none exists and we run as root with apt-get, installs Debian's `chromium`.
// Never downloads a browser build of its own.
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && executable(candidate)) return candidate;
  }
  return undefined;
}

/** Returns the path of a Chromium executable, or undefined. */
export function locateChromium() {
  if (process.env.CHROME_PATH) {
    if (executable(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    throw new Error(`CHROME_PATH is set to ${process.env.CHROME_PATH}, which is not an executable file.`);
  }
  return onPath('chromium') ?? ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find(executable);
}

/** Locates Chromium, installing Debian's package when allowed; exits with a clear message otherwise. */
export function ensureChromium({ quiet = false } = {}) {
  let found = locateChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = onPath('apt-get');
  if (isRoot && apt) {
    if (!quiet) console.log('[chromium] not found; installing Debian\'s chromium package (apt-get)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync(apt, ['update', '-qq'], { stdio: 'inherit', env });
    const install = update.status === 0 && spawnSync(apt, ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    if (install && install.status === 0) found = locateChromium();
  }
  if (!found) {
    console.error(
      'No Chromium found. Install one and run again:\n' +
        '  Debian/Ubuntu: sudo apt-get install chromium\n' +
        '  or point CHROME_PATH at a Chromium or Chrome executable.',
    );
    process.exit(1);
  }
  return found;
}

/** Flags every headless Chromium we launch needs on these machines (root, closed network). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
