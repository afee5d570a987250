// The component package UI teams install, as built: components/dist (ES modules, .d.ts,
// custom-elements.json) and the package.json fields that point at it. What npm packs and a
// consumer installs is tested in test/consumers/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackage, componentsDir } from '../../scripts/build-package.mjs';

// The five components plus the column organizer the table opens (its own element since issue 10).
const TAGS = ['api-key-form', 'api-key-manager', 'api-key-table', 'delete-key-dialog', 'key-reveal-dialog', 'nas-column-organizer', 'scoped-key-form'];
/** The define entry point of a tag (the organizer's folder drops the nas- prefix). */
const defineModule = (tag: string): string => tag.replace(/^nas-/, '');

interface ManifestDeclaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  events?: Array<{ name?: string; type?: { text: string } }>;
  attributes?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  members?: Array<{ name: string; kind: string }>;
}
interface Manifest {
  modules: Array<{ path: string; declarations?: ManifestDeclaration[]; exports?: Array<{ kind: string; name: string; declaration: { name: string; module: string } }> }>;
}

test('builds modules, types and a manifest with every element', { timeout: 120_000 }, async () => {
  const { out, elements } = await buildPackage();
  assert.deepEqual(elements, TAGS);
  for (const file of ['index.js', 'index.d.ts', 'define/index.js', 'define/index.d.ts', 'custom-elements.json', ...TAGS.map(defineModule).flatMap((m) => [`define/${m}.js`, `define/${m}.d.ts`])]) {
    assert.ok(existsSync(join(out, file)), `${file} built`);
  }
  assert.ok(!existsSync(join(out, 'demo')), 'no demo in the package');
  assert.ok(!existsSync(join(out, 'internal/testing')), 'no test helpers in the package');

  // Class modules are side-effect free: only the guarded helper calls customElements.define.
  const index = readFileSync(join(out, 'index.js'), 'utf8');
  assert.doesNotMatch(index, /customElements\.define|defineElement\(/);
  assert.match(readFileSync(join(out, 'define/api-key-form.d.ts'), 'utf8'), /interface HTMLElementTagNameMap[\s\S]*'api-key-form': ApiKeyForm/);
  assert.match(readFileSync(join(out, 'events/key-submit.d.ts'), 'utf8'), /interface GlobalEventHandlersEventMap[\s\S]*'nas-key-submit': NasKeySubmitEvent/);
  // Decorators are compiled, imports keep their bare specifiers for the app's bundler.
  const form = readFileSync(join(out, 'api-key-form/api-key-form.js'), 'utf8');
  assert.match(form, /from "lit"/);
  assert.doesNotMatch(form, /^\s*@property/m);

  const manifest = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8')) as Manifest;
  const elementsByTag = new Map<string, ManifestDeclaration>();
  for (const mod of manifest.modules) {
    assert.match(mod.path, /^dist\/.+\.js$/, 'paths point at the published modules');
    for (const d of mod.declarations ?? []) if (d.tagName) elementsByTag.set(d.tagName, d);
  }
  assert.deepEqual([...elementsByTag.keys()].sort(), TAGS);
  const events = (tag: string) => elementsByTag.get(tag)!.events!.map((e) => `${e.name}:${e.type?.text}`);
  assert.deepEqual(events('api-key-form'), ['nas-key-submit:NasKeySubmitEvent', 'nas-form-cancel:NasFormCancelEvent']);
  assert.ok(events('key-reveal-dialog').includes('nas-key-save:NasKeySaveEvent'));
  assert.ok(events('delete-key-dialog').includes('nas-delete-confirm:NasDeleteConfirmEvent'));
  assert.ok(elementsByTag.get('api-key-form')!.attributes!.some((a) => a.name === 'current-username'));
  assert.ok(elementsByTag.get('key-reveal-dialog')!.cssParts!.some((p) => p.name === 'secret'));
  assert.ok(!elementsByTag.get('key-reveal-dialog')!.attributes!.some((a) => a.name === 'entry'), 'the secret has no attribute');
  const definitions = manifest.modules.flatMap((m) => (m.exports ?? []).filter((e) => e.kind === 'custom-element-definition'));
  assert.deepEqual(definitions.map((d) => d.name).sort(), TAGS);
  for (const d of definitions) assert.ok(existsSync(join(componentsDir, d.declaration.module)), `${d.name} points at its class module`);
});

test('package.json points types, exports and customElements at the built package', () => {
  const pkg = JSON.parse(readFileSync(join(componentsDir, 'package.json'), 'utf8')) as {
    types: string;
    customElements: string;
    exports: Record<string, string | { types: string; default: string }>;
    sideEffects: string[];
    dependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional: boolean }>;
  };
  assert.equal(pkg.customElements, './dist/custom-elements.json');
  assert.ok(existsSync(join(componentsDir, pkg.types)));
  for (const [key, value] of Object.entries(pkg.exports)) {
    assert.ok(!key.includes('*'), `${key}: no wildcard exposes internals`);
    const targets = typeof value === 'string' ? [value] : [value.types, value.default];
    for (const target of targets) assert.ok(existsSync(join(componentsDir, target)), `${key} -> ${target}`);
  }
  for (const tag of TAGS) assert.ok(pkg.exports[`./define/${defineModule(tag)}.js`], `${tag} has a define entry`);
  assert.deepEqual(Object.keys(pkg.dependencies), ['lit']);
  // React and @lit/react serve only the /react entry: peers a non-React page never installs.
  for (const [name, meta] of Object.entries(pkg.peerDependenciesMeta)) assert.ok(meta.optional, `${name} is an optional peer`);
  const published = pkg.sideEffects.filter((p) => p.startsWith('./dist/'));
  assert.deepEqual(published, ['./dist/define/*.js', './dist/react/index.js'], 'of the published modules, only the define modules (and the React entry, which imports them) have side effects');
});

test('the token table in docs/embedding.md is the one generated from the manifest', async () => {
  const { DOC, generatedSection } = await import('../../scripts/docs-tokens.mjs');
  const doc = readFileSync(DOC, 'utf8');
  assert.ok(doc.includes(generatedSection()), 'docs/embedding.md is stale: run `node scripts/docs-tokens.mjs`');
});
