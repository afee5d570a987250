#!/usr/bin/env node
// Builds the component package UI teams install: unbundled ES modules in dist/components (bare
// imports such as `lit` stay bare, so the host app's bundler dedupes them), their .d.ts files
// (components/tsconfig.build.json) and dist/components/custom-elements.json (the analyzer's
// --litelement mode plus a plugin that reads tag names from our `defineElement()` calls).
// `node scripts/build-package.mjs` or import { buildPackage }.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minifyTemplatesPlugin } from './lib/esbuild-minify-templates.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'components');
const out = join(root, 'dist', 'components');

/** Not part of the package: tests, test helpers, the demo page. */
const excluded = (path) => path.endsWith('.test.ts') || path.startsWith('internal/testing/') || path.startsWith('demo/');

async function sourceFiles() {
  const files = await readdir(source, { recursive: true });
  return files
    .map((file) => String(file).split('\\').join('/'))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !excluded(file))
    .sort();
}

/** Source paths (`components/x/y.ts`) in the manifest become the published ones (`dist/components/x/y.js`). */
function publishedPaths(value) {
  if (Array.isArray(value)) return value.map(publishedPaths);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, publishedPaths(v)]));
  }
  if (typeof value === 'string' && /^components\/.+\.ts$/.test(value)) return `dist/${value.replace(/\.ts$/, '.js')}`;
  return value;
}

async function buildManifest(files) {
  const { cli } = await import('@custom-elements-manifest/analyzer/cli.js');
  const globs = files.map((file) => `components/${file}`);
  const argv = ['analyze', '--litelement', '--quiet', '--config', 'scripts/cem.config.mjs', '--globs', ...globs];
  const manifest = await cli({ argv, cwd: root, noWrite: true });
  await writeFile(join(out, 'custom-elements.json'), `${JSON.stringify(publishedPaths(manifest), null, 2)}\n`);
  return manifest;
}

function buildDeclarations() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(source, 'tsconfig.build.json')], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    // Types are still written; the typecheck stage reports the errors in full.
    console.warn(`[build] .d.ts emitted with type errors:\n${(result.stdout + result.stderr).split('\n').slice(0, 10).join('\n')}`);
  }
}

export async function buildPackage() {
  await rm(out, { recursive: true, force: true });
  const files = await sourceFiles();
  await esbuild.build({
    entryPoints: files.map((file) => join(source, file)),
    outbase: source,
    outdir: out,
    bundle: false,
    format: 'esm',
    target: 'es2022',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
    // Readable code, but compact css``/html`` text: a UI team's bundler minifies JS, never template contents.
    plugins: [minifyTemplatesPlugin()],
  });
  buildDeclarations();
  const manifest = await buildManifest(files);
  const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement && d.tagName);
  return { out, elements: elements.map((e) => e.tagName).sort() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { out: dir, elements } = await buildPackage();
  console.log(`[build] ${relative(root, dir)}: ${elements.join(', ')}`);
}
