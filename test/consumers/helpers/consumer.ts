/**
 * What a consumer does: pack each publishable package (`npm pack`), install the tarballs into a
 * fresh project, build it with the project's own tools. The projects live in
 * test/consumers/projects/<name>/ and are copied to .cache/consumers/<name>/, whose node_modules
 * is kept between runs so npm only reinstalls the tarballs that changed (plus its own cache in
 * ~/.npm): the first run on a clean machine downloads React or Angular once.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackage, clientDir, componentsDir, simulatorDir } from '../../../scripts/build-package.mjs';

export const root = fileURLToPath(new URL('../../..', import.meta.url));
const cacheDir = join(root, '.cache', 'consumers');
const tarballDir = join(cacheDir, 'tarballs');

export type PackageName = '@nas-key-manager/components' | '@nas-key-manager/truenas-client' | 'truenas-api-simulator';
const PACKAGE_DIRS: Record<PackageName, string> = {
  '@nas-key-manager/components': componentsDir,
  '@nas-key-manager/truenas-client': clientDir,
  'truenas-api-simulator': simulatorDir,
};

export interface Tarball {
  name: PackageName;
  path: string;
  /** Bytes of the .tgz and of its unpacked files. */
  size: number;
  unpackedSize: number;
  files: string[];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting output (a failing build's output goes into the assertion). */
export function run(command: string, args: string[], cwd: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr });
    });
  });
}

const npm = (args: string[], cwd: string, timeoutMs?: number) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, { timeoutMs: timeoutMs ?? 300_000 });

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

let packed: Promise<Map<PackageName, Tarball>> | undefined;

/**
 * One `npm test` run packs once: its consumer stage sets NKM_CONSUMER_PACK_ID, and the first test
 * file to pack records the tarballs under that id; the others (separate processes) reuse them.
 * Without the variable (one file run by hand) every process builds and packs afresh.
 */
const PACK_ID = process.env.NKM_CONSUMER_PACK_ID;
const packRecord = join(tarballDir, 'packed.json');

async function reusablePack(): Promise<Map<PackageName, Tarball> | undefined> {
  if (!PACK_ID) return undefined;
  try {
    const record = JSON.parse(await readFile(packRecord, 'utf8')) as { id: string; tarballs: Tarball[] };
    return record.id === PACK_ID ? new Map(record.tarballs.map((t) => [t.name, t])) : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the three packages and packs them into .cache/consumers/tarballs (once per test run, see above). */
export function packAll(): Promise<Map<PackageName, Tarball>> {
  packed ??= (async () => {
    const reused = await reusablePack();
    if (reused) return reused;
    await buildPackage();
    await rm(tarballDir, { recursive: true, force: true });
    await mkdir(tarballDir, { recursive: true });
    const result = new Map<PackageName, Tarball>();
    for (const [name, dir] of Object.entries(PACKAGE_DIRS) as Array<[PackageName, string]>) {
      const out = await npm(['pack', '--json', '--pack-destination', tarballDir], dir);
      if (out.code !== 0) throw new Error(`npm pack ${name} failed:\n${out.stderr}`);
      const [info] = JSON.parse(out.stdout) as PackResult[];
      if (!info) throw new Error(`npm pack ${name} printed no result`);
      result.set(name, { name, path: join(tarballDir, info.filename), size: info.size, unpackedSize: info.unpackedSize, files: info.files.map((f) => f.path).sort() });
    }
    if (PACK_ID) await writeFile(packRecord, JSON.stringify({ id: PACK_ID, tarballs: [...result.values()] }));
    return result;
  })();
  return packed;
}

/** What a consumer folder keeps between runs: installed modules, the lockfile, Angular's build cache. */
const KEPT = new Set(['node_modules', 'package-lock.json', '.angular']);

/**
 * The tarballs change with every build under the same file name: drop them from the kept lockfile
 * and node_modules, so npm installs this build's tarball instead of failing on the old integrity.
 */
async function forgetOurPackages(target: string, names: PackageName[]): Promise<void> {
  for (const name of names) await rm(join(target, 'node_modules', name), { recursive: true, force: true });
  const lockPath = join(target, 'package-lock.json');
  let lock: { packages?: Record<string, unknown> };
  try {
    lock = JSON.parse(await readFile(lockPath, 'utf8')) as { packages?: Record<string, unknown> };
  } catch {
    return; // first install
  }
  const ours = (path: string) => names.some((name) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`));
  lock.packages = Object.fromEntries(Object.entries(lock.packages ?? {}).filter(([path]) => !ours(path)));
  await writeFile(lockPath, JSON.stringify(lock, null, 2));
}

/**
 * Copies test/consumers/projects/<project> to .cache/consumers/<project> (sources replaced,
 * node_modules kept), points its dependencies on our packages at the tarballs, and installs.
 * In the project's package.json a dependency written as "tarball:" is one of ours.
 */
export async function installConsumer(project: string): Promise<string> {
  const tarballs = await packAll();
  const source = join(root, 'test', 'consumers', 'projects', project);
  const target = join(cacheDir, project);
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(target)) {
    if (!KEPT.has(entry)) await rm(join(target, entry), { recursive: true, force: true });
  }
  await cp(source, target, { recursive: true });
  const manifestPath = join(target, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  for (const deps of [manifest.dependencies, manifest.devDependencies]) {
    for (const [name, spec] of Object.entries(deps ?? {})) {
      if (spec !== 'tarball:') continue;
      const tarball = tarballs.get(name as PackageName);
      if (!tarball) throw new Error(`${project}: "${name}" is not one of our packages`);
      deps![name] = `file:${tarball.path}`;
    }
  }
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await forgetOurPackages(target, [...tarballs.keys()]);
  const install = await npm(['install', '--prefer-offline'], target, 600_000);
  if (install.code !== 0) throw new Error(`npm install in the ${project} consumer failed:\n${install.stderr.slice(-4000)}`);
  return target;
}
