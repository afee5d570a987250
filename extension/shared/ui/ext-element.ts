import { html, type TemplateResult } from 'lit';
import { LocalizeController } from '../../../components/localize/localize.js';
import { NasElement, isBlank, isolate, nasText } from '../../../components/kit.js';
import type { ExtTerms } from '../i18n/index.js';

/**
 * Base of the extension's own page elements: the components' base (reactive lang/dir, component
 * terms) plus `t`, a localize controller that also knows the extension's `ext.*` terms.
 */
export class ExtElement extends NasElement {
  protected readonly t = new LocalizeController<ExtTerms>(this);

  /** A stored key's name (NAS text) in a template: `<bdi>` with markers, or "(unnamed key 12)" when blank. */
  protected storedName(name: string, keyId: number | null): TemplateResult {
    return isBlank(name) ? html`<span class="muted">${this.t.term('ext.name.unnamed', keyId)}</span>` : nasText(name);
  }

  /** The same for a sentence: isolated in FSI…PDI (the terms quote it). */
  protected storedNameText(name: string, keyId: number | null): string {
    return isolate(isBlank(name) ? this.t.term('ext.name.unnamed', keyId) : name);
  }
}
