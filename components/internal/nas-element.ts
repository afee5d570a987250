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

  /** Custom states (`:host(:state(…))`); undefined where the engine has no ElementInternals. */
  protected readonly internals: ElementInternals | undefined = this.attachInternals?.();

  override connectedCallback(): void {
    super.connectedCallback();
    pageSchemeWatchers.add(this);
    watchPageScheme();
    this.followPageScheme();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    pageSchemeWatchers.delete(this);
  }

  /**
   * Colours come from `light-dark()`, which follows `color-scheme`. Where the page sets one
   * (`color-scheme: dark` on <html>, a wrapper or the element) the element inherits it; where
   * nothing does (`normal`), the `os-scheme` state sets `light dark`, so the element follows the
   * user's `prefers-color-scheme` rather than rendering light.
   */
  followPageScheme(): void {
    const root = this.getRootNode();
    const context = this.parentElement ?? (root instanceof ShadowRoot ? root.host : document.documentElement);
    const unset = getComputedStyle(context).colorScheme === 'normal';
    try {
      if (unset) this.internals?.states.add('os-scheme');
      else this.internals?.states.delete('os-scheme');
    } catch {
      // An engine without CustomStateSet: the components render in the page's scheme.
    }
  }

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

const pageSchemeWatchers = new Set<NasElement>();
let pageObserver: MutationObserver | undefined;

/** Theme switches happen on <html> or <body> (a class, a style, a data attribute): re-check then. */
function watchPageScheme(): void {
  if (pageObserver || typeof MutationObserver === 'undefined') return;
  pageObserver = new MutationObserver(() => {
    for (const element of pageSchemeWatchers) element.followPageScheme();
  });
  const options = { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'data-color-scheme'] };
  pageObserver.observe(document.documentElement, options);
  if (document.body) pageObserver.observe(document.body, options);
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
