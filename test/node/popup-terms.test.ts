/**
 * The popup loads only its own extension terms (extension/shared/i18n/en-popup.ts, de-popup.ts):
 * every `ext.*` term the popup's code names must be there, or the popup would show the key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import enPopup from '../../extension/shared/i18n/en-popup.js';
import dePopup from '../../extension/shared/i18n/de-popup.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The source files the popup's bundle is made of (not the tables themselves). */
async function popupSources(): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: ['popup/first-paint/paint.ts', 'popup/popup.ts', 'popup/startup.ts'].map((f) => join(root, 'extension', f)),
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    splitting: true,
    outdir: join(root, 'dist', 'popup-terms'),
    logLevel: 'silent',
    tsconfig: join(root, 'tsconfig.json'),
  });
  return Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules') && !/i18n\/(en|de)(-popup)?\.ts$|translations\//.test(f));
}

test('every extension term the popup names is in the popup tables, and none is built at run time', async () => {
  const sources = await popupSources();
  assert.ok(sources.some((f) => f.endsWith('popup/popup-app.ts')), 'the popup app was scanned');
  const named = new Set<string>();
  for (const file of sources) {
    const text = await readFile(join(root, file), 'utf8');
    for (const match of text.matchAll(/['"`](ext\.[A-Za-z0-9_.]+)(\$\{)?/g)) {
      assert.equal(match[2], undefined, `${file} builds a term key at run time (${match[1]}…): name each key in full`);
      named.add(match[1]!);
    }
  }
  assert.ok(named.size > 50);
  const missing = [...named].filter((key) => !Object.hasOwn(enPopup, key));
  assert.deepEqual(missing, [], 'terms the popup names but does not load');
  assert.deepEqual(Object.keys(dePopup).sort(), Object.keys(enPopup).sort(), 'German has the same popup terms');
});
