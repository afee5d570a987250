// Finds the browsers for tests and benchmarks. Chromium: $CHROME_PATH, `chromium` on PATH, Debian's
// locations; Firefox (optional, for the extension's Firefox smoke tests): $FIREFOX_PATH, firefox-esr,
// firefox. When one is missing and we run as root with apt-get, installs Debian's package.
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

/** Installs Debian packages when running as root with apt-get; returns whether it ran and succeeded. */
function aptInstall(packages, quiet) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = onPath('apt-get');
  if (!isRoot || !apt) return false;
  if (!quiet) console.log(`[browsers] installing Debian's ${packages.join(', ')} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync(apt, ['update', '-qq'], { stdio: 'inherit', env });
  return update.status === 0 && spawnSync(apt, ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env }).status === 0;
}

/** Returns the path of a Firefox executable ($FIREFOX_PATH, firefox-esr, firefox), or undefined. */
export function locateFirefox() {
  if (process.env.FIREFOX_PATH && executable(process.env.FIREFOX_PATH)) return process.env.FIREFOX_PATH;
  return onPath('firefox-esr') ?? onPath('firefox') ?? ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find(executable);
}

/**
 * Makes sure the browsers the tests need exist, installing Debian's packages in one apt run when
 * allowed. Chromium is required (exits with a clear message otherwise); Firefox is optional (its
 * smoke tests say why they cannot run). Returns { chromium, firefox }.
 */
export function ensureBrowsers({ firefox = false, quiet = false } = {}) {
  const missing = [];
  if (!locateChromium()) missing.push('chromium');
  if (firefox && !locateFirefox()) missing.push('firefox-esr');
  if (missing.length) aptInstall(missing, quiet);
  const chromium = locateChromium();
  if (!chromium) {
    console.error(
      'No Chromium found. Install one and run again:\n' +
        '  Debian/Ubuntu: sudo apt-get install chromium\n' +
        '  or point CHROME_PATH at a Chromium or Chrome executable.',
    );
    process.exit(1);
  }
  const found = firefox ? locateFirefox() : undefined;
  if (firefox && !found && !quiet) console.warn('[browsers] no Firefox found: install firefox-esr (or set FIREFOX_PATH) to run the Firefox smoke tests.');
  return { chromium, firefox: found };
}

/** Locates Chromium, installing Debian's package when allowed; exits with a clear message otherwise. */
export function ensureChromium({ quiet = false } = {}) {
  return ensureBrowsers({ quiet }).chromium;
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
