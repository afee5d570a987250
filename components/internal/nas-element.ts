import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController, ownSetting, type TermKey } from '../localize/localize.js';
import { errorMessage } from './errors.js';
import { isBlank, isolate } from './display-text.js';

/**
 * Base of every component: makes `lang` and `dir` reactive (so a host page can switch language
 * or direction on the element) and provides the localize controller. Components extend this,
 * never LitElement directly.
 */
export class NasElement extends LitElement {
  @property() override lang!: string;
  @property() override dir!: string;

  protected readonly localize = new LocalizeController(this);

  /**
   * The `dir` for the component's root element, or undefined to let CSS inherit it. CSS follows
   * `dir` attributes (across shadow roots), not properties: when the nearest `dir` is a property
   * only (`el.dir = 'rtl'` on one of our elements, which does not reflect it) or comes from the
   * language alone (an RTL table without any `dir` in the page), it is set explicitly.
   */
  protected get contentDir(): 'ltr' | 'rtl' | undefined {
    const nearest = nearestDir(this);
    if (!nearest) return this.localize.dir() === 'rtl' ? 'rtl' : undefined;
    const attribute = nearest.element.getAttribute('dir');
    return attribute !== null && attribute.toLowerCase() === nearest.setting.toLowerCase() ? undefined : this.localize.dir();
  }

  /**
   * A key's name for a translated sentence: display text (markers for hidden characters) isolated
   * in FSI…PDI; a blank name is the translated "(unnamed key 12)". The terms quote it.
   */
  protected keyName(key: { id: number; name: string }): string {
    return isolate(isBlank(key.name) ? this.localize.term('common.unnamed', key.id) : key.name);
  }

  /**
   * What to tell the user about a failure: the translated `common.error.<code>` term when the
   * error has a string `code` with such a term (the client library's messages are English), else
   * its message, else the translated "unknown error". A failed read (`retryable`) changed
   * nothing, so it gets `common.error.<code>.read` where there is one ("try again", not "check").
   */
  protected failureText(error: unknown): string {
    const { code, retryable } = (error ?? {}) as { code?: unknown; retryable?: unknown };
    const base = `common.error.${typeof code == 'string' ? code : ''}`;
    for (const key of retryable === true ? [`${base}.read`, base] : [base]) {
      const text = this.localize.term(key as TermKey);
      if (text != key) return text;
    }
    return errorMessage(error, this.localize.term('manager.unknownError'));
  }
}

/** The nearest element (itself, then ancestors across shadow roots) with a `dir` set by attribute or property. */
function nearestDir(start: Element): { element: Element; setting: string } | undefined {
  for (let node: Node | null = start; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
    if (!(node instanceof Element)) continue;
    const setting = ownSetting(node, 'dir');
    if (setting !== undefined) return { element: node, setting };
  }
  return undefined;
}
