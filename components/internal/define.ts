/**
 * Registers a custom element once. If the tag is already taken (a host page loaded another copy
 * of these components) it keeps the existing definition and warns, instead of throwing.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) {
    customElements.define(tag, ctor);
  } else if (existing !== ctor) {
    console.warn(`<${tag}> is already defined by another copy of the components; keeping the first definition.`);
  }
}
