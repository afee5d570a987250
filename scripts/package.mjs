#!/usr/bin/env node
// `npm run package`: builds the extension for Chrome and Firefox and writes store-ready zips to
// dist/packages/: nas-key-manager-<version>-chrome.zip (Chrome Web Store),
// nas-key-manager-<version>-firefox.zip (addons.mozilla.org) and
// nas-key-manager-<version>-source.zip (the sources AMO asks for when code is bundled/minified).
// Zips are deterministic (sorted entries, fixed timestamps), written with fflate.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { buildExtension, dist, root } from './build.mjs';


// Fixed timestamps make identical inputs give identical zips.
const FIXED_MTIME = new Date(1980, 0, 1);

/** Encodes files ({ name, data }) as a deterministic zip archive (sorted entries, fixed times). */
export function zip(files) {
  const entries = {};
  for (const { name, data } of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    entries[name] = [new Uint8Array(data), { level: 9, mtime: FIXED_MTIME }];
  }
  return Buffer.from(zipSync(entries));
}

/** Lists a zip's entries (name, uncompressed size). */
export function zipEntries(buffer) {
  return Object.entries(unzipSync(new Uint8Array(buffer))).map(([name, data]) => ({ name, size: data.length }));
}

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    out.push({ name: relative(dir, path).split(sep).join('/'), data: await readFile(path) });
  }
  return out;
}

/** Tracked source files (git), without build output and dependencies. */
async function sourceFiles() {
  let names;
  try {
    names = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    throw new Error('The source zip needs a git checkout (it packs the tracked files).');
  }
  const out = [];
  for (const name of names) {
    const data = await readFile(join(root, name)).catch(() => undefined); // deleted but not committed
    if (data) out.push({ name, data });
  }
  return out;
}

/**
 * Builds both browsers into `buildDir` (default dist/) and writes the zips into `outDir`
 * (default dist/packages). Returns the zip paths.
 */
export async function packageExtension({ buildDir = dist, outDir = join(dist, 'packages'), source = true } = {}) {
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  await mkdir(outDir, { recursive: true });
  const written = {};
  for (const browser of ['chrome', 'firefox']) {
    const built = await buildExtension(browser, { outDir: join(buildDir, browser) });
    const file = join(outDir, `nas-key-manager-${version}-${browser}.zip`);
    await writeFile(file, zip(await filesUnder(built)));
    written[browser] = file;
  }
  if (source) {
    const file = join(outDir, `nas-key-manager-${version}-source.zip`);
    await writeFile(file, zip(await sourceFiles()));
    written.source = file;
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await packageExtension();
  for (const [what, file] of Object.entries(written)) console.log(`[package] ${what.padEnd(8)} ${relative(root, file)}`);
}
