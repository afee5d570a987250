#!/usr/bin/env node
// `npm test`: typecheck, lint, build, Node tests, browser tests (Web Test Runner in headless
// Chromium), extension end-to-end tests (puppeteer-core) and the consumer stage (our packages
// installed from their tarballs into fresh projects). Runs every stage, then prints one
// summary line. Extra arguments pick stages: `npm test -- node browser`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBrowsers } from './lib/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const scratch = mkdtempSync(join(tmpdir(), 'nkm-test-'));

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function findTests(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .map((f) => relative(root, join(abs, String(f))))
    .sort();
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function nodeTests(label, files, summaryFile) {
  if (files.length === 0) return { code: 0, counts: { passed: 0, failed: 0, skipped: 0 } };
  const code = await run(process.execPath, [
    '--import', 'tsx',
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/lib/node-test-counter.mjs')}`, `--test-reporter-destination=${summaryFile}`,
    ...files,
  ]);
  return { code, counts: readCounts(summaryFile) };
}

const stages = {
  typecheck: async () => ({ code: await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) }),
  lint: async () => ({ code: await run(bin('eslint'), ['--config', 'scripts/eslint.config.mjs', '--max-warnings=0', '.']) }),
  build: async () => ({ code: await run(process.execPath, ['scripts/build.mjs']) }),
  node: async () => nodeTests('node', findTests('test/node'), join(scratch, 'node.json')),
  browser: async () => {
    const file = join(scratch, 'browser.json');
    const code = await run(bin('wtr'), ['--config', 'test/web-test-runner.config.mjs'], { WTR_SUMMARY_FILE: file });
    return { code, counts: readCounts(file) };
  },
  e2e: async () => nodeTests('e2e', findTests('test/e2e'), join(scratch, 'e2e.json')),
  // Packs the published packages and installs the tarballs into plain HTML, React, Angular and
  // Node consumer projects (test/consumers/); installs are cached in .cache/consumers.
  consumers: async () => {
    // The test files share one build and pack of the packages (test/consumers/helpers/consumer.ts).
    process.env.NKM_CONSUMER_PACK_ID = `${process.pid}-${Date.now()}`;
    return nodeTests('consumers', findTests('test/consumers'), join(scratch, 'consumers.json'));
  },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = wanted.length ? wanted : Object.keys(stages);
for (const name of selected) {
  if (!stages[name]) {
    console.error(`Unknown stage "${name}". Stages: ${Object.keys(stages).join(', ')}`);
    process.exit(2);
  }
}
if (selected.some((s) => s === 'browser' || s === 'e2e' || s === 'consumers')) {
  const browsers = ensureBrowsers({ firefox: selected.includes('e2e') });
  process.env.CHROME_PATH = browsers.chromium;
  if (browsers.firefox) process.env.FIREFOX_PATH = browsers.firefox;
}

const started = performance.now();
const results = [];
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  const t0 = performance.now();
  const result = await stages[name]();
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  results.push({ name, ...result, seconds });
  console.log(`=== ${name}: ${result.code === 0 ? 'ok' : 'FAILED'} (${seconds} s) ===`);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const { counts } of results) {
  if (!counts) continue;
  totals.passed += counts.passed ?? 0;
  totals.failed += (counts.failed ?? 0) + (counts.fileErrors ?? 0);
  totals.skipped += counts.skipped ?? 0;
}
const failedStages = results.filter((r) => r.code !== 0).map((r) => r.name);
// A stage that failed without failing a counted test (typecheck, lint, a crash) still counts.
if (failedStages.length > 0 && totals.failed === 0) totals.failed = failedStages.length;

console.log('');
for (const r of results) {
  const c = r.counts ? ` ${r.counts.passed} passed, ${(r.counts.failed ?? 0) + (r.counts.fileErrors ?? 0)} failed` : '';
  console.log(`  ${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.name.padEnd(10)} ${r.seconds.padStart(6)} s${c}`);
}
console.log(`  total ${((performance.now() - started) / 1000).toFixed(1)} s${failedStages.length ? `; failed stages: ${failedStages.join(', ')}` : ''}`);
console.log(`Summary: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length > 0 ? 1 : 0);
