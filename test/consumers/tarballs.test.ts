/**
 * What `npm pack` puts in each tarball: the built modules, their types, README and license, and
 * nothing else (no tests, scripts, demo, test helpers or extension code); every exports and bin
 * target is in it; the components depend on lit alone, the client on nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, type PackageName, type Tarball } from './helpers/consumer.js';

interface PackedManifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  bin?: Record<string, string>;
  files: string[];
}

/** Unpacks a tarball (as npm does on install) and returns its folder. */
function unpack(tarball: Tarball): string {
  const dir = mkdtempSync(join(tmpdir(), 'nkm-tarball-'));
  const result = spawnSync('tar', ['-xzf', tarball.path, '-C', dir], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return join(dir, 'package');
}

const FORBIDDEN = [/\.test\.[jt]s$/, /(^|\/)test\//, /(^|\/)scripts\//, /(^|\/)extension\//, /(^|\/)demo\//, /internal\/testing\//, /\.ts$(?<!\.d\.ts)/, /tsconfig/];

for (const [name, expectedDeps] of [
  ['@nas-key-manager/components', ['lit']],
  ['@nas-key-manager/truenas-client', []],
  // @types/ws: the simulator's .d.ts import ws's types, so a TypeScript consumer needs them.
  ['truenas-api-simulator', ['@types/ws', 'ws']],
] as Array<[PackageName, string[]]>) {
  test(`${name}: the tarball holds the package and nothing else`, { timeout: 180_000 }, async (t) => {
    const tarball = (await packAll()).get(name)!;
    t.diagnostic(`${name}: ${tarball.size} B packed, ${tarball.unpackedSize} B unpacked, ${tarball.files.length} files`);
    for (const file of tarball.files) {
      for (const pattern of FORBIDDEN) assert.doesNotMatch(file, pattern, `${file} does not belong in the tarball`);
    }
    assert.ok(tarball.files.includes('README.md') && tarball.files.includes('LICENSE'), 'README and license');
    assert.ok(tarball.files.every((f) => f === 'README.md' || f === 'LICENSE' || f === 'package.json' || f.startsWith('dist/')));

    const dir = unpack(tarball);
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackedManifest;
      assert.deepEqual(Object.keys(manifest.dependencies ?? {}), expectedDeps, 'dependencies');
      for (const [entry, target] of Object.entries(manifest.exports)) {
        for (const file of typeof target === 'string' ? [target] : [target.types, target.default]) {
          assert.ok(tarball.files.includes(file.replace(/^\.\//, '')), `exports["${entry}"] -> ${file} is in the tarball`);
        }
      }
      for (const [command, file] of Object.entries(manifest.bin ?? {})) {
        assert.ok(tarball.files.includes(file), `bin ${command} -> ${file}`);
        assert.match(readFileSync(join(dir, file), 'utf8'), /^#!\/usr\/bin\/env node\n/, `${command} starts with a node shebang`);
      }
      // Every bare import in the shipped code is a declared dependency (or an optional peer, or node:).
      const allowed = new Set([...expectedDeps, ...Object.keys(manifest.peerDependencies ?? {})]);
      // Every bare import in the shipped .d.ts resolves to a declared package (or its @types/).
      for (const file of readdirSync(join(dir, 'dist'), { recursive: true }).map(String).filter((f) => f.endsWith('.d.ts'))) {
        const types = readFileSync(join(dir, 'dist', file), 'utf8');
        // `from` as a keyword (after a space or `}`), not inside a key such as "table.lastUsed.from".
        for (const match of types.matchAll(/(?:^|[\s}])from\s*["']([^"'./][^"'\n]*)["']|import\(["']([^"'./][^"'\n]*)["']\)/gm)) {
          const specifier = match[1] ?? match[2];
          if (!specifier || specifier.startsWith('node:')) continue;
          const pkg = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
          assert.ok(allowed.has(pkg) || allowed.has(`@types/${pkg}`), `dist/${file} needs the types of "${specifier}", which ${name} does not declare`);
        }
      }
      const imported = new Set<string>();
      for (const file of readdirSync(join(dir, 'dist'), { recursive: true }).map(String).filter((f) => f.endsWith('.js'))) {
        const code = readFileSync(join(dir, 'dist', file), 'utf8');
        for (const match of code.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\(["']([^"']+)["']\)/gm)) {
          const specifier = match[1] ?? match[2] ?? match[3];
          if (!specifier || specifier.startsWith('.') || specifier.startsWith('node:')) continue;
          const pkg = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
          assert.ok(allowed.has(pkg), `dist/${file} imports "${specifier}", which ${name} does not declare`);
          imported.add(pkg);
        }
      }
      for (const dep of expectedDeps.filter((d) => !d.startsWith('@types/'))) assert.ok(imported.has(dep), `the scan sees the ${dep} imports`);
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
}
