/**
 * The `dir` to set inside a component, or undefined to let CSS inherit it. When the host or an
 * ancestor (across shadow roots) carries `dir`, inheritance already follows it, including later
 * changes; only a direction that comes from the language alone (an RTL table without any `dir` in
 * the page) has to be set explicitly.
 */
export function explicitDir(host: HTMLElement, languageDir: () => 'ltr' | 'rtl'): 'ltr' | 'rtl' | undefined {
  let node: Node | null = host;
  while (node) {
    if (node instanceof Element && node.hasAttribute('dir')) return undefined;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  const dir = languageDir();
  return dir === 'rtl' ? 'rtl' : undefined;
}
