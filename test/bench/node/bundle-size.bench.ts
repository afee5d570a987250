/**
 * Exact bundle weight of the components for a UI team's app: esbuild bundles each entry with Lit
 * (minified, `production` condition, css``/html`` text compacted by the template plugin, as
 * scripts/build.mjs does) and gzips it (zlib level 9 and the default 6). Target for the three
 * embeddable components (table, form, reveal dialog): < 30 KB gzip. One row repeats the three
 * without the template plugin, to show what it saves.
 */
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minifyTemplatesPlugin } from '../../../scripts/lib/esbuild-minify-templates.mjs';
import type { BenchRow } from '../bench.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

const THREE = ['api-key-table', 'api-key-form', 'key-reveal-dialog'].map((n) => `import './components/define/${n}.js';`);

const ENTRIES: Array<[string, string[], boolean]> = [
  ['Lit alone (baseline)', ["import { LitElement, html } from 'lit'; customElements.define('x-y', class extends LitElement { render() { return html`x`; } });"], true],
  ['table + form + reveal + Lit', THREE, true],
  ['table + form + reveal + Lit, templates not minified', THREE, false],
  ['all five components + Lit', ["import './components/define/index.js';"], true],
];

/**
 * Source modules the three must never pull in: other languages, the English of the delete dialog
 * and the manager (only en-base.ts belongs), tests, test helpers.
 */
const FOREIGN = /translations\/(?!en-base\.ts$)|\.test\.ts$|internal\/testing\/|^test\//;

async function bundle(contents: string, minifyTemplates: boolean): Promise<{ code: Uint8Array; inputs: string[] }> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    conditions: ['production'],
    tsconfig: join(root, 'tsconfig.json'),
    write: false,
    metafile: true,
    logLevel: 'warning',
    plugins: minifyTemplates ? [minifyTemplatesPlugin()] : [],
  });
  return { code: result.outputFiles[0]!.contents, inputs: Object.keys(result.metafile.inputs) };
}

export default async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [name, imports, minifyTemplates] of ENTRIES) {
    const { code, inputs } = await bundle(imports.join('\n'), minifyTemplates);
    if (name === 'table + form + reveal + Lit') {
      const foreign = inputs.filter((input) => FOREIGN.test(input));
      rows.push({ name: 'bundle: table + form + reveal, modules that do not belong', value: foreign.length, unit: 'modules', note: foreign.join(', ') || 'no other language or component terms, test or test helper' });
    }
    rows.push({
      name: `bundle: ${name}, gzip -9`,
      value: gzipSync(code, { level: 9 }).length,
      unit: 'bytes',
      note: `${code.length} minified, ${gzipSync(code).length} gzip -6${name === 'table + form + reveal + Lit' ? '; target < 30720' : ''}`,
    });
  }
  return rows;
}
