#!/usr/bin/env node
// `npm run bench`: runs every benchmark and prints one table. Node benchmarks are
// test/bench/node/*.bench.ts; browser benchmarks are test/bench/browser/*.bench.ts, bundled with
// esbuild and run in headless Chromium. Each module default-exports
// `async function run(): Promise<Array<{ name, value, unit, note? }>>`.
// Results also go to dist/bench/results.json. `npm run bench -- table` runs only matching files.
import * as esbuild from 'esbuild';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { tsImport } from 'tsx/esm/api';
import { ensureChromium, chromiumArgs } from './lib/chromium.mjs';
import { minifyTemplatesPlugin } from './lib/esbuild-minify-templates.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist', 'bench');
const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));

async function list(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return (await readdir(abs)).filter((f) => f.endsWith('.bench.ts') && (filter.length === 0 || filter.some((x) => f.includes(x)))).map((f) => join(abs, f));
}

async function runNode(file) {
  const mod = await tsImport(file, import.meta.url);
  return mod.default();
}

async function runBrowser(files) {
  if (files.length === 0) return [];
  await mkdir(outDir, { recursive: true });
  // Serve the bundles over http://127.0.0.1 so pages get a secure context (WebCrypto, IndexedDB).
  const server = createServer(async (req, res) => {
    const name = basename(new URL(req.url, 'http://x').pathname);
    if (name === '' || name === 'index.html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><body></body></html>');
      return;
    }
    const body = await readFile(join(outDir, name)).catch(() => undefined);
    if (body) res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await puppeteer.launch({ executablePath: ensureChromium(), headless: true, pipe: true, args: [...chromiumArgs, '--window-size=1280,800'] });
  const results = [];
  try {
    for (const file of files) {
      const name = basename(file).replace(/\.ts$/, '');
      await esbuild.build({
        stdin: { contents: `import run from ${JSON.stringify(file)}; window.__bench = run();`, resolveDir: root, loader: 'ts' },
        bundle: true, format: 'esm', minify: true, target: 'es2022', conditions: ['production'],
        tsconfig: join(root, 'tsconfig.json'), outfile: join(outDir, `${name}.js`), logLevel: 'warning',
        plugins: [minifyTemplatesPlugin()],
      });
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      page.on('pageerror', (e) => console.error(`[${name}] ${e.message}`));
      await page.goto(`${base}/index.html`);
      await page.addScriptTag({ url: `${base}/${name}.js`, type: 'module' });
      await page.waitForFunction(() => globalThis.__bench !== undefined);
      const rows = await page.evaluate(() => globalThis.__bench);
      results.push(...rows.map((r) => ({ file: name, ...r })));
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return results;
}

const all = [];
for (const file of await list('test/bench/node')) {
  console.log(`[bench] ${basename(file)}`);
  all.push(...(await runNode(file)).map((r) => ({ file: basename(file, '.ts'), ...r })));
}
const browserFiles = await list('test/bench/browser');
if (browserFiles.length) console.log(`[bench] ${browserFiles.map((f) => basename(f)).join(', ')} (headless Chromium)`);
all.push(...(await runBrowser(browserFiles)));

await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'results.json'), JSON.stringify({ date: new Date().toISOString(), results: all }, null, 2));
const width = Math.max(10, ...all.map((r) => r.name.length));
console.log(`\n${'benchmark'.padEnd(width)}  ${'value'.padStart(12)}  unit`);
for (const r of all) console.log(`${r.name.padEnd(width)}  ${String(r.value).padStart(12)}  ${r.unit}${r.note ? `  (${r.note})` : ''}`);
if (all.length === 0) console.log('(no benchmarks matched)');
process.exit(0);
