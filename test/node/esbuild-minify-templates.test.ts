import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minifyCss, minifyHtml, minifyTemplates, minifyTemplatesPlugin } from '../../scripts/lib/esbuild-minify-templates.mjs';

test('css: drops comments and whitespace, keeps strings, url() and calc() operators', () => {
  const source = `
    /* a comment */
    :host {
      --_font: var(--nas-font-family, 'Segoe UI' , sans-serif);
      padding: calc(var(--_space) * 1.5) calc(1rem - 2px);
      background: url( "a b.png" );
    }
    .a > .b :focus-visible,
    .c   .d {
      content: 'x ; { y }';
    }
  `;
  assert.equal(
    minifyCss(source).trim(),
    ":host{--_font:var(--nas-font-family,'Segoe UI',sans-serif);padding:calc(var(--_space) * 1.5) calc(1rem - 2px);background:url( \"a b.png\" )}.a>.b :focus-visible,.c .d{content:'x ; { y }'}",
  );
});

test('html: line-broken whitespace becomes one space, none before a tag end; single spaces stay', () => {
  assert.equal(minifyHtml('<div\n    part="a"\n    class="b c"\n  >\n  <span>x</span> <span>y</span>\n</div>'), '<div part="a" class="b c"> <span>x</span> <span>y</span> </div>');
  // `a=${x}/>` would read `/` into an unquoted value: the space before `/>` stays.
  assert.equal(minifyHtml('\n  />'), ' />');
});

test('templates: only css/html/svg tagged templates change, nested ones too, code and strings never', () => {
  const source = [
    "const s = 'html`  keep\\n  this`';",
    'const plain = `a\n   b`;',
    'const other = tag`a\n   b`;',
    'const t = html`<ul>\n  ${items.map((i) => html`<li>\n    ${i}\n  </li>`)}\n</ul>`;',
    'const c = css`\n  .a {\n    color: ${unsafeCSS(x)};\n  }\n`;',
    '// html`\n   in a comment`',
  ].join('\n');
  const out = minifyTemplates(source);
  assert.equal(
    out,
    [
      "const s = 'html`  keep\\n  this`';",
      'const plain = `a\n   b`;',
      'const other = tag`a\n   b`;',
      'const t = html`<ul> ${items.map((i) => html`<li> ${i} </li>`)} </ul>`;',
      'const c = css`.a{color:${unsafeCSS(x)}}`;',
      '// html`\n   in a comment`',
    ].join('\n'),
  );
});

test('templates: text inside <pre> or <textarea> is content, so those templates stay as written', () => {
  const source = 'const t = html`<pre>\n  a\n    b\n</pre>`;\nconst u = html`<textarea>\n x</textarea>`;';
  assert.equal(minifyTemplates(source), source);
});

test('plugin: esbuild output carries the compact templates and still runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'minify-'));
  try {
    await writeFile(join(dir, 'styles.ts'), "const css = (s: TemplateStringsArray) => s.join('|');\nexport const out: string = css`\n  .a {\n    color: red;\n  }\n`;\n");
    const built = await esbuild.build({ entryPoints: [join(dir, 'styles.ts')], bundle: true, write: false, format: 'esm', plugins: [minifyTemplatesPlugin()] });
    const code = built.outputFiles[0]!.text;
    assert.match(code, /css`\.a\{color:red\}`/);
    const mod = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { out: string };
    assert.equal(mod.out, '.a{color:red}');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
