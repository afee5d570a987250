/** Test-only helpers for the component tests (not part of the package build). */
import { aTimeout, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { deepActiveElement } from '../modal.js';

export { deepActiveElement };

/** The element inside `host`'s shadow root matching `selector`; throws when absent. */
export function $<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`No ${selector} in <${host.localName}>`);
  return found;
}

export function $$<T extends Element = HTMLElement>(host: Element, selector: string): T[] {
  return [...(host.shadowRoot?.querySelectorAll<T>(selector) ?? [])];
}

/** Text content with whitespace collapsed. */
export function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until the focused element (through shadow roots) satisfies `check`. */
export async function focusSettles(check: (el: Element | null) => boolean, message: string): Promise<void> {
  await waitUntil(() => check(deepActiveElement()), message, { timeout: 2000 });
}

/** Grants or denies real browser permissions for this test page (test/wtr/permissions-plugin.mjs). */
export async function setPermissions(permissions: Record<string, 'granted' | 'denied' | 'prompt'>): Promise<void> {
  await executeServerCommand('set-permissions', permissions);
}

/** Lets pending microtasks and one macrotask run. */
export const tick = () => aTimeout(0);

/** Markup and script payloads that must stay inert text wherever user data is shown. */
export const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '"><svg onload="window.__pwned=1">',
  '{{constructor.constructor("window.__pwned=1")()}}',
];

/** True when no payload ran and no payload element landed in `root` (searched through shadow roots). */
export function payloadsInert(root: Element | ShadowRoot): boolean {
  const w = window as unknown as { __pwned?: number };
  if (w.__pwned) return false;
  const walk = (node: Element | ShadowRoot): boolean => {
    for (const el of node.querySelectorAll('*')) {
      if (['IMG', 'SCRIPT', 'SVG'].includes(el.tagName.toUpperCase()) && !el.closest('[data-icon]')) return false;
      if (el.shadowRoot && !walk(el.shadowRoot)) return false;
    }
    return true;
  };
  return walk(root);
}

/** Shift+Tab (sendKeys has no chord syntax for it). */
export async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

/** Every attribute value in `root` and below (through shadow roots), for "never in an attribute" checks. */
export function allAttributeValues(root: Element | ShadowRoot): string[] {
  const values: string[] = [];
  const visit = (node: Element | ShadowRoot): void => {
    if (node instanceof Element) for (const attr of node.attributes) values.push(attr.value);
    for (const child of node.children) visit(child);
    if (node instanceof Element && node.shadowRoot) visit(node.shadowRoot);
  };
  visit(root);
  return values;
}

/** All text and form-control values in `root` and below (through shadow roots). */
export function allTextAndValues(root: Element | ShadowRoot): string {
  let out = '';
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) out += node.textContent ?? '';
    if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) out += `\n${node.value}\n`;
    if (node instanceof Element && node.shadowRoot) visit(node.shadowRoot);
    for (const child of node.childNodes) visit(child);
  };
  visit(root);
  return out;
}
