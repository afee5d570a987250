// esbuild plugin: shrinks the static text of Lit's css``, html`` and svg`` templates at build time
// (esbuild's minifier never touches template contents). Only changes that render the same:
// - css``: comments dropped, whitespace collapsed and removed around `{ } ; , >` and after `:`;
//   quoted strings and url() are left alone; `+`, `-`, `*`, `/` keep their spaces (calc()).
// - html``/svg``: whitespace runs that contain a line break become one space (HTML collapses them
//   to one anyway), or nothing before a tag's `>`; single spaces stay, so inline text keeps its
//   gaps. (Before `/>` one space stays: `a=${x}/>` would make the `/` part of an unquoted value.)
//   Templates with <pre> or <textarea> text are left alone (their whitespace is content).
// Finds templates with the TypeScript parser, so strings, comments and nested templates inside
// `${}` are never mistaken for template text. Used by scripts/build.mjs, scripts/build-package.mjs
// and the benchmarks, so what is measured is what ships.
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

const TAGS = new Set(['css', 'html', 'svg']);

/** Minifies one static piece of a css`` template (the text between bindings). */
export function minifyCss(text) {
  // Odd indexes are quoted strings and url()s, kept as written.
  return text
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|url\([^)]*\))/)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, ' ')
            .replace(/ ?([{};,>]) ?/g, '$1')
            .replace(/: /g, ':')
            .replace(/;}/g, '}'),
    )
    .join('');
}

/** Minifies one static piece of an html`` or svg`` template. */
export function minifyHtml(text) {
  return text.replace(/\s*\n\s*>/g, '>').replace(/\s*\n\s*/g, ' ');
}

/** The source with every css/html/svg template's static text minified (the raw text, escapes intact). */
export function minifyTemplates(source, fileName = 'file.ts') {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  /** [start, end, replacement] of each static piece, in source order. */
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && TAGS.has(node.tag.text)) {
      const minify = node.tag.text === 'css' ? minifyCss : minifyHtml;
      const template = node.template;
      const pieces = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((s) => s.literal)];
      // Each piece's raw text sits between its opening (` or }) and its closing (` or ${).
      const ranges = pieces.map((piece) => {
        const start = piece.getStart(file) + 1;
        const end = piece.end - (ts.isTemplateHead(piece) || ts.isTemplateMiddle(piece) ? 2 : 1);
        return [start, end];
      });
      const whole = ranges.map(([start, end]) => source.slice(start, end)).join('');
      if (minify === minifyCss || !/<(pre|textarea)\b[^>]*>[^<]/i.test(whole)) {
        ranges.forEach(([start, end], i) => {
          let text = minify(source.slice(start, end));
          // A stylesheet's own start and end need no space (an html template's might: inline text).
          if (minify === minifyCss && i === 0) text = text.trimStart();
          if (minify === minifyCss && i === ranges.length - 1) text = text.trimEnd();
          edits.push([start, end, text]);
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = '';
  let at = 0;
  for (const [start, end, text] of edits.sort((a, b) => a[0] - b[0])) {
    out += source.slice(at, start) + text;
    at = end;
  }
  return out + source.slice(at);
}

/** The plugin: every .ts file that has a tagged template goes through minifyTemplates(). */
export function minifyTemplatesPlugin() {
  return {
    name: 'minify-lit-templates',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        if (!/\b(css|html|svg)`/.test(source)) return undefined;
        return { contents: minifyTemplates(source, path), loader: 'ts' };
      });
    },
  };
}
