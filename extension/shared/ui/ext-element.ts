import { LocalizeController } from '../../../components/localize/localize.js';
import { NasElement } from '../../../components/internal/nas-element.js';
import type { ExtTerms } from '../i18n/index.js';

/**
 * Base of the extension's own page elements: the components' base (reactive lang/dir, component
 * terms) plus `t`, a localize controller that also knows the extension's `ext.*` terms.
 */
export class ExtElement extends NasElement {
  protected readonly t = new LocalizeController<ExtTerms>(this);
}
