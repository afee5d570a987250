#!/usr/bin/env node
// Builds everything with esbuild: the demo page (dist/demo) and the unpacked extension for each
// browser (dist/chrome, dist/firefox). `node scripts/build.mjs` or import { build }.
import * as esbuild from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestFor } from './lib/manifest.mjs';
import { buildPackage } from './build-package.mjs';
import { minifyTemplatesPlugin } from './lib/esbuild-minify-templates.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const dist = join(root, 'dist');

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  conditions: ['production'],
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
  plugins: [minifyTemplatesPlugin()],
};

/** Extension entry points, relative to extension/ (each becomes <name>.js next to its HTML). */
const extensionEntries = [
  { in: 'background/index.ts', out: 'background' },
  // The popup's first paint (popup/first-paint/paint.ts): one classic script with no imports, the
  // only script popup.html names; it paints the last picture and then starts the two below.
  { in: 'popup/first-paint/paint.ts', out: 'popup/first-paint', classic: true },
  // Split: code it needs only sometimes (the vault view, a dialog) and each language's tables,
  // English too (lazyEnglish), come as their own chunks. startup.ts is an entry of its own, started
  // ahead of the main bundle (it sends the first requests); popup.js imports it.
  { in: 'popup/popup.ts', out: 'popup/popup', split: 'popup/chunks', with: [{ in: 'popup/startup.ts', out: 'popup/startup' }], lazyEnglish: true },
  { in: 'options/options.ts', out: 'options/options' },
  // The full view: the whole key manager for one host, in a tab.
  { in: 'manager/manager.ts', out: 'manager/manager' },
  // Chrome only: Firefox has no offscreen API (its background page has a DOM of its own).
  { in: 'offscreen/offscreen.ts', out: 'offscreen/offscreen', only: 'chrome', dir: 'offscreen' },
];

async function copyStatic(fromDir, toDir, extensions) {
  if (!existsSync(fromDir)) return;
  for (const entry of await readdir(fromDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !extensions.some((ext) => entry.name.endsWith(ext))) continue;
    const from = join(entry.parentPath ?? entry.path, entry.name);
    const to = join(toDir, relative(fromDir, from));
    await mkdir(dirname(to), { recursive: true });
    await cp(from, to);
  }
}

/**
 * For a page that loads English as a chunk, as it loads any other language (the popup, see
 * extension/shared/i18n/lazy.ts): the localizer's own import of the components' English
 * (components/localize/localize.ts registers it for every other bundle) gets a table with no terms,
 * so German users do not load English too. The page registers the real table before its first render.
 */
function lazyEnglishPlugin() {
  const localizer = join(root, 'components', 'localize', 'localize.ts');
  return {
    name: 'lazy-english',
    setup(build) {
      build.onResolve({ filter: /^\.\/translations\/en-base\.js$/ }, (args) => (args.importer === localizer ? { path: 'en-base', namespace: 'lazy-english' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'lazy-english' }, () => ({ contents: "export default { $code: 'en', $name: 'English', $dir: 'ltr' };", loader: 'js' }));
    },
  };
}

/**
 * Builds the unpacked extension for `browser` into dist/<browser> (or `outDir`). `manifest` keys
 * are merged over the generated manifest (e2e tests use this for test-only grants).
 */
/**
 * Builds the extension for `browser`. `testHooks: true` compiles in the e2e tests' fault points
 * (extension/background/test-hooks.ts); every other build drops them.
 */
export async function buildExtension(browser, { outDir, manifest: overrides = {}, testHooks = false } = {}) {
  const out = outDir ?? join(dist, browser);
  await rm(out, { recursive: true, force: true });
  const wanted = extensionEntries.filter((entry) => existsSync(join(root, 'extension', entry.in)) && (!entry.only || entry.only === browser));
  const point = (entry) => ({ in: join(root, 'extension', entry.in), out: entry.out });
  const define = { __BROWSER__: JSON.stringify(browser), __TEST_HOOKS__: JSON.stringify(testHooks) };
  await esbuild.build({ ...common, entryPoints: wanted.filter((e) => !e.split && !e.classic).map(point), outdir: out, define });
  const classic = wanted.filter((e) => e.classic);
  if (classic.length) await esbuild.build({ ...common, format: 'iife', entryPoints: classic.map(point), outdir: out, define });
  // A split entry is built on its own, so its chunks are only its own (never shared with the
  // background, whose service worker cannot import() at run time).
  for (const entry of wanted.filter((e) => e.split)) {
    await esbuild.build({
      ...common,
      entryPoints: [point(entry), ...(entry.with ?? []).map(point)],
      outdir: out,
      define,
      plugins: entry.lazyEnglish ? [...common.plugins, lazyEnglishPlugin()] : common.plugins,
      splitting: true,
      chunkNames: `${entry.split}/[name]-[hash]`,
    });
  }
  await copyStatic(join(root, 'extension'), out, ['.html', '.css', '.png', '.svg', 'messages.json']);
  for (const entry of extensionEntries) {
    if (entry.only && entry.only !== browser) await rm(join(out, entry.dir), { recursive: true, force: true });
  }
  const source = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  await writeFile(join(out, 'manifest.json'), JSON.stringify({ ...manifestFor(source, browser, { version }), ...overrides }, null, 2));
  return out;
}

export async function buildDemo() {
  const out = join(dist, 'demo');
  await rm(out, { recursive: true, force: true });
  await esbuild.build({ ...common, entryPoints: [join(root, 'components/demo/demo.ts')], outdir: out });
  await copyStatic(join(root, 'components/demo'), out, ['.html', '.css']);
  return out;
}

export async function build() {
  const started = performance.now();
  const outputs = [await buildDemo(), await buildExtension('chrome'), await buildExtension('firefox'), (await buildPackage()).out];
  const ms = Math.round(performance.now() - started);
  console.log(`[build] ${outputs.map((o) => relative(root, o)).join(', ')} in ${ms} ms`);
  return outputs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build();
}
