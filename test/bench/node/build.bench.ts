import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { build, dist } from '../../../scripts/build.mjs';
import type { BenchRow } from '../bench.js';

/** Build time of everything, and the gzipped size of each built extension script. */
export default async function run(): Promise<BenchRow[]> {
  const t0 = performance.now();
  await build();
  const rows: BenchRow[] = [{ name: 'build: demo + chrome + firefox', value: Math.round(performance.now() - t0), unit: 'ms' }];
  for (const file of ['background.js', 'popup/popup.js', 'options/options.js']) {
    const path = join(dist, 'chrome', file);
    const size = await stat(path).then((s) => s.size, () => 0);
    if (!size) continue;
    rows.push({ name: `chrome ${file} gzip`, value: gzipSync(await readFile(path)).length, unit: 'bytes', note: `${size} bytes minified` });
  }
  return rows;
}
