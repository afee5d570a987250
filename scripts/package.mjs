#!/usr/bin/env node
// `npm run package`: builds the extension for Chrome and Firefox and writes store-ready zips to
// dist/packages/: nas-key-manager-<version>-chrome.zip (Chrome Web Store),
// nas-key-manager-<version>-firefox.zip (addons.mozilla.org) and
// nas-key-manager-<version>-source.zip (the sources AMO asks for when code is bundled/minified).
// Zips are deterministic (sorted entries, fixed timestamps), written by a small zip encoder here.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { buildExtension, dist, root } from './build.mjs';


// 1980-01-01 00:00 in DOS format: stable bytes for identical inputs.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Encodes files ({ name, data }) as a zip archive (deflate, or store when deflate does not help). */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const method = deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: Unix, spec 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Lists a zip's entries (name, uncompressed size) from its central directory. */
export function zipEntries(buffer) {
  const endAt = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error('Not a zip archive');
  const count = buffer.readUInt16LE(endAt + 10);
  let at = buffer.readUInt32LE(endAt + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    entries.push({ name: buffer.toString('utf8', at + 46, at + 46 + nameLength), size: buffer.readUInt32LE(at + 24) });
    at += 46 + nameLength + extra;
  }
  return entries;
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
