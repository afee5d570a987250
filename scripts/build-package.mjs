#!/usr/bin/env node
// Builds the two packages UI teams and integrators install, each into its own dist/:
// - @nas-key-manager/components (components/dist): the elements, events, model, service
//   interface, localization and /testing, as unbundled ES modules (bare imports such as `lit`
//   stay bare, so the host app's bundler dedupes them), their .d.ts files and
//   custom-elements.json (the analyzer's --litelement mode plus a plugin that reads tag names from
//   our `defineElement()` calls);
// - @nas-key-manager/truenas-client (components/client/dist): the connection library and its
//   ApiKeyService adapter, with the shared contract it implements (model/api-key.ts,
//   service/api-key-service.ts) and the one display helper it uses compiled in, so it needs
//   neither Lit nor the components package.
// - truenas-api-simulator (scripts/simulator/dist): the NAS simulator, its `truenas-api-simulator`
//   command and its .d.ts, for Node; its one dependency is `ws`.
// `node scripts/build-package.mjs` or import { buildPackage }.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmod, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minifyTemplatesPlugin } from './lib/esbuild-minify-templates.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'components');
export const componentsDir = source;
export const clientDir = join(source, 'client');
export const simulatorDir = join(root, 'scripts', 'simulator');

/** Source files of the components package: not tests, test helpers, the demo or the client. */
const inComponents = (path) =>
  !path.endsWith('.test.ts') && !path.startsWith('internal/testing/') && !path.startsWith('demo/') && !path.startsWith('client/') && !path.startsWith('dist/');

/** The client package: its own folder plus the contract (the whole model) and the helper it compiles in. */
const CLIENT_SHARED = ['service/api-key-service.ts', 'internal/display-text.ts'];
const inClient = (path) =>
  (path.startsWith('client/') && !path.startsWith('client/dist/') && !path.endsWith('.test.ts')) ||
  (path.startsWith('model/') && !path.endsWith('.test.ts')) ||
  CLIENT_SHARED.includes(path);

async function sourceFiles(keep, dir = source) {
  const files = await readdir(dir, { recursive: true });
  return files
    .map((file) => String(file).split('\\').join('/'))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && keep(file))
    .sort();
}

/** Source paths (`components/x/y.ts`) in the manifest become the published ones (`dist/x/y.js`). */
function publishedPaths(value) {
  if (Array.isArray(value)) return value.map(publishedPaths);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, publishedPaths(v)]));
  }
  if (typeof value === 'string' && /^components\/.+\.ts$/.test(value)) return `dist/${value.slice('components/'.length).replace(/\.ts$/, '.js')}`;
  return value;
}

async function buildManifest(files, out) {
  const { cli } = await import('@custom-elements-manifest/analyzer/cli.js');
  const globs = files.map((file) => `components/${file}`);
  const argv = ['analyze', '--litelement', '--quiet', '--config', 'scripts/cem.config.mjs', '--globs', ...globs];
  const manifest = await cli({ argv, cwd: root, noWrite: true });
  await writeFile(join(out, 'custom-elements.json'), `${JSON.stringify(publishedPaths(manifest), null, 2)}\n`);
  return manifest;
}

function buildDeclarations(project) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    // Types are still written; the typecheck stage reports the errors in full.
    console.warn(`[build] .d.ts emitted with type errors (${relative(root, project)}):\n${(result.stdout + result.stderr).split('\n').slice(0, 10).join('\n')}`);
  }
}

async function transpile(files, out, { dir = source, platform = 'neutral' } = {}) {
  await esbuild.build({
    entryPoints: files.map((file) => join(dir, file)),
    outbase: dir,
    platform,
    outdir: out,
    bundle: false,
    format: 'esm',
    target: 'es2022',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
    // Readable code, but compact css``/html`` text: a UI team's bundler minifies JS, never template contents.
    plugins: [minifyTemplatesPlugin()],
  });
}

async function buildComponents() {
  const out = join(source, 'dist');
  await rm(out, { recursive: true, force: true });
  const files = await sourceFiles(inComponents);
  await transpile(files, out);
  buildDeclarations(join(source, 'tsconfig.build.json'));
  const manifest = await buildManifest(files, out);
  const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
  return { out, elements: elements.map((e) => e.tagName).sort() };
}

async function buildClient() {
  const out = join(clientDir, 'dist');
  await rm(out, { recursive: true, force: true });
  await transpile(await sourceFiles(inClient), out);
  buildDeclarations(join(clientDir, 'tsconfig.build.json'));
  return out;
}

async function buildSimulator() {
  const out = join(simulatorDir, 'dist');
  await rm(out, { recursive: true, force: true });
  await transpile(await sourceFiles((path) => !path.startsWith('dist/') && !path.endsWith('.test.ts'), simulatorDir), out, { dir: simulatorDir, platform: 'node' });
  buildDeclarations(join(simulatorDir, 'tsconfig.build.json'));
  await chmod(join(out, 'bin.js'), 0o755);
  return out;
}

export async function buildPackage() {
  const components = await buildComponents();
  const client = await buildClient();
  const simulator = await buildSimulator();
  return { out: components.out, client, simulator, elements: components.elements };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { out, client, simulator, elements } = await buildPackage();
  console.log(`[build] ${relative(root, out)}: ${elements.join(', ')}; ${relative(root, client)}; ${relative(root, simulator)}`);
}
