/**
 * Bundle weight of the embeddable components as a browser loads them: this module imports the
 * define entry points of <api-key-table>, <api-key-form> and <key-reveal-dialog>; scripts/bench.mjs
 * bundles it with Lit (esbuild, minified, production build), and the page measures its own script
 * (minified bytes, and gzip via CompressionStream) plus the time to create and first-render each
 * element. The exact, harness-free sizes come from test/bench/node/bundle-size.bench.ts.
 * Target: under 30 KB gzipped.
 */
import '../../../components/define/api-key-table.js';
import '../../../components/define/api-key-form.js';
import '../../../components/define/key-reveal-dialog.js';
import { median, type BenchRow } from '../bench.js';

const RUNS = 7;

async function gzipSize(bytes: ArrayBuffer): Promise<number> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function firstRender(tag: 'api-key-table' | 'api-key-form' | 'key-reveal-dialog'): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const el = document.createElement(tag);
    document.body.append(el);
    await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    times.push(performance.now() - start);
    el.remove();
  }
  return Math.round(median(times) * 100) / 100;
}

export default async function run(): Promise<BenchRow[]> {
  const script = await (await fetch(import.meta.url)).arrayBuffer();
  const gzip = await gzipSize(script);
  return [
    {
      name: 'bundle: table + form + reveal + Lit, gzip (as loaded)',
      value: gzip,
      unit: 'bytes',
      note: `${script.byteLength} bytes minified; includes this bench's few lines; target < 30720`,
    },
    { name: 'first render: <api-key-table> (empty)', value: await firstRender('api-key-table'), unit: 'ms' },
    { name: 'first render: <api-key-form>', value: await firstRender('api-key-form'), unit: 'ms' },
    { name: 'first render: <key-reveal-dialog> (closed)', value: await firstRender('key-reveal-dialog'), unit: 'ms' },
  ];
}
