// custom-elements-manifest plugin: lists every `--nas-*` custom property an element's shadow CSS
// reads, with its default from the source, so the manifest (and the token table in
// docs/embedding.md, generated from it by scripts/docs-tokens.mjs) can never miss one.
// An element's CSS is what its `static styles = layered(a, b, c)` names: the shared sheets from
// internal/controls.styles.ts (by export name) and its own default-imported `*.styles.ts`.
// A token is described by the element's `@cssproperty` JSDoc, else by the CSS comment on the
// line that reads it; a token with neither fails the build.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Balanced text up to the `)` closing a `var(` (defaults nest: light-dark(), rgb()). */
function balanced(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') {
      if (depth === 0) return text.slice(start, i);
      depth--;
    }
  }
  return text.slice(start);
}

/** Every `var(--nas-x, default)` in a CSS text, first use wins: { name, default, description }. */
export function tokensIn(cssText) {
  const found = new Map();
  for (const match of cssText.matchAll(/var\((--nas-[a-z0-9-]+)\s*(,)?/g)) {
    const name = match[1];
    if (found.has(name)) continue;
    const rest = match[2] ? balanced(cssText, match.index + match[0].length).trim() : '';
    const lineEnd = cssText.indexOf('\n', match.index);
    const line = cssText.slice(match.index, lineEnd === -1 ? undefined : lineEnd);
    const comment = /\/\*\s*(.*?)\s*\*\//.exec(line)?.[1];
    found.set(name, { name, ...(rest ? { default: rest } : {}), ...(comment ? { description: comment } : {}) });
  }
  return found;
}

/** `export const x = css`…`` blocks of a styles module, by name (`default` for the default export). */
function cssBlocks(source) {
  const blocks = new Map();
  for (const match of source.matchAll(/export (?:const (\w+) =|default) css`([\s\S]*?)`;/g)) blocks.set(match[1] ?? 'default', match[2]);
  return blocks;
}

/** The CSS an element's class module puts in `layered(...)`. */
function elementCss(root, modulePath) {
  const file = join(root, modulePath);
  const source = readFileSync(file, 'utf8');
  const args = /static override styles(?:: \w+)? = layered\(([^)]*)\)/.exec(source)?.[1];
  if (!args) return '';
  const imports = new Map(); // local name -> { from, exported }
  for (const match of source.matchAll(/^import (?:(\w+)|\{([^}]*)\}) from '([^']+\.styles\.js)';/gm)) {
    const from = join(dirname(file), match[3].replace(/\.js$/, '.ts'));
    if (match[1]) imports.set(match[1], { from, exported: 'default' });
    for (const part of (match[2] ?? '').split(',')) {
      const [exported, local = exported] = part.trim().split(/\s+as\s+/);
      if (exported) imports.set(local, { from, exported });
    }
  }
  return args
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const origin = imports.get(name);
      if (!origin) throw new Error(`${modulePath}: cannot find the styles "${name}" passed to layered()`);
      const block = cssBlocks(readFileSync(origin.from, 'utf8')).get(origin.exported);
      if (block === undefined) throw new Error(`${modulePath}: ${origin.from} has no css block "${origin.exported}"`);
      return block;
    })
    .join('\n');
}

export function tokensPlugin({ root }) {
  return {
    name: 'nas-css-tokens',
    packageLinkPhase({ customElementsManifest }) {
      const problems = [];
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (!declaration.customElement) continue;
          const documented = new Map((declaration.cssProperties ?? []).map((p) => [p.name, p]));
          const merged = [];
          const css = elementCss(root, mod.path);
          // A default that is another token's private alias (`var(--_subtle)`) names the public token.
          const aliases = new Map([...css.matchAll(/(--_[a-z0-9-]+):\s*var\((--nas-[a-z0-9-]+)/g)].map((m) => [m[1], m[2]]));
          const publicDefault = (value) => value?.replace(/var\((--_[a-z0-9-]+)\)/g, (text, alias) => (aliases.has(alias) ? `var(${aliases.get(alias)})` : text));
          for (const token of tokensIn(css).values()) {
            token.default = publicDefault(token.default);
            const doc = documented.get(token.name);
            const description = doc?.description || token.description;
            if (!description) problems.push(`${declaration.tagName}: ${token.name} has no description (a CSS comment on its line or @cssproperty)`);
            merged.push({ name: token.name, ...(description ? { description } : {}), ...(token.default ? { default: token.default } : {}) });
            documented.delete(token.name);
          }
          for (const stale of documented.keys()) problems.push(`${declaration.tagName}: @cssproperty ${stale} is not read by its CSS`);
          declaration.cssProperties = merged.sort((a, b) => a.name.localeCompare(b.name));
        }
      }
      if (problems.length) throw new Error(`CSS custom properties:\n  ${problems.join('\n  ')}`);
    },
  };
}
