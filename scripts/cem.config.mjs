// custom-elements-manifest analyzer config for the component package (see scripts/build-package.mjs,
// which passes the source globs). Run as `cem analyze --litelement --config scripts/cem.config.mjs`.

import { fileURLToPath } from 'node:url';
import { tokensPlugin } from './cem-tokens.mjs';

/**
 * custom-elements-manifest plugin: our classes never register themselves; `components/define/*.ts`
 * call `defineElement('tag', Class)`. This records those calls, marks the classes as custom elements
 * with their tag names, and adds the `custom-element-definition` exports to the define modules.
 */
export function defineElementPlugin() {
  const tags = new Map(); // class name -> tag
  const definitions = []; // { moduleDoc, tag, className }, reset per run
  return {
    name: 'nas-define-element',
    initialize() {
      tags.clear();
      definitions.length = 0;
    },
    analyzePhase({ ts, node, moduleDoc }) {
      // Only top-level calls (the define modules), not the manager registering its children.
      if (!ts.isCallExpression(node) || node.expression.getText() !== 'defineElement') return;
      if (!ts.isExpressionStatement(node.parent) || !ts.isSourceFile(node.parent.parent)) return;
      const [tag, ctor] = node.arguments;
      if (!tag || !ctor || !ts.isStringLiteral(tag) || !ts.isIdentifier(ctor)) return;
      tags.set(ctor.text, tag.text);
      definitions.push({ moduleDoc, tag: tag.text, className: ctor.text });
    },
    packageLinkPhase({ customElementsManifest }) {
      const home = new Map(); // class name -> module path
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.kind !== 'class' || !tags.has(declaration.name)) continue;
          declaration.customElement = true;
          declaration.tagName = tags.get(declaration.name);
          home.set(declaration.name, mod.path);
        }
      }
      const ours = new Set(tags.values());
      for (const mod of customElementsManifest.modules) {
        // Drop what the analyzer guessed on its own: the generic `customElements.define(tag, ctor)`
        // inside defineElement(), and nameless events from `dispatchEvent(new X())` calls (each
        // event is documented by name with an `@event` tag on the class).
        mod.exports = (mod.exports ?? []).filter((e) => e.kind !== 'custom-element-definition' || ours.has(e.name));
        for (const declaration of mod.declarations ?? []) {
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
        }
      }
      for (const { moduleDoc, tag, className } of definitions) {
        moduleDoc.exports = [
          ...(moduleDoc.exports ?? []),
          { kind: 'custom-element-definition', name: tag, declaration: { name: className, module: home.get(className) ?? moduleDoc.path } },
        ];
      }
    },
  };
}

export default {
  litelement: true,
  // build-package.mjs writes the manifest; package.json already points at it.
  packagejson: false,
  plugins: [defineElementPlugin(), tokensPlugin({ root: fileURLToPath(new URL('..', import.meta.url)) })],
};
