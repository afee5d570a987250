import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type en from './translations/en.js';
import enBase from './translations/en-base.js';

/**
 * Localization that works inside someone else's page: no global configuration at import time,
 * translations are plain objects registered by whoever embeds the components, and each element
 * follows its own `lang`/`dir` (or the nearest ancestor's, or the document's), re-rendering when
 * they change.
 */

type Widen<T> = T extends string ? string : T extends (...args: infer A) => string ? (...args: A) => string : T;

/** Every term of the canonical (English) table, with English's argument signatures. */
export type Terms = { -readonly [K in Exclude<keyof typeof en, '$code' | '$name' | '$dir'>]: Widen<(typeof en)[K]> };
export type TermKey = keyof Terms;
export type TermArgs<K extends TermKey> = Terms[K] extends (...args: infer A) => string ? A : [];

export interface TranslationMeta {
  /** BCP 47 language code, e.g. `en`, `de`, `pt-BR`. */
  $code: string;
  /** The language's own name. */
  $name: string;
  $dir: 'ltr' | 'rtl';
}

/** A complete translation of the component terms. */
export type Translation = TranslationMeta & Terms;

/** Extra terms (e.g. an app's own) registered alongside the component terms. */
export type TermTable = TranslationMeta & Record<string, string | ((...args: never[]) => string)>;

const registry = new Map<string, Record<string, unknown>>();
const connectedHosts = new Set<LocalizeHost>();
let fallback = 'en';

/**
 * Registers translations. Registering a code again merges its terms, so an app can add its own
 * terms or override ours without touching this package.
 */
export function registerTranslation(...tables: Array<Translation | TermTable>): void {
  for (const table of tables) {
    const code = table.$code.toLowerCase();
    registry.set(code, { ...(registry.get(code) ?? {}), ...table });
  }
  for (const host of connectedHosts) host.requestUpdate();
}

/** Sets the language used when neither the requested language nor its base language is registered. */
export function setFallbackLanguage(code: string): void {
  fallback = code.toLowerCase();
}

registerTranslation(enBase);

/**
 * Adds English terms that a component module brings along (see translations/en.ts). Terms already
 * registered win, so an app's overrides stay in place whenever the component is imported.
 */
export function addEnglishTerms(terms: Partial<Terms>): void {
  registry.set('en', { ...terms, ...registry.get('en') });
}

type LocalizeHost = ReactiveControllerHost & HTMLElement;

let documentObserver: MutationObserver | undefined;

function watchDocument(): void {
  if (documentObserver || typeof MutationObserver === 'undefined') return;
  documentObserver = new MutationObserver(() => {
    for (const host of connectedHosts) host.requestUpdate();
  });
  // The whole light tree: a wrapper's `lang`/`dir` attribute may change too.
  documentObserver.observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ['lang', 'dir'] });
}

/**
 * An element's own `lang`/`dir`, or undefined when it has none. The property counts, not only the
 * attribute: a framework sets `el.lang = 'de'`, and on our elements (reactive Lit properties) that
 * does not reach the attribute. On other HTML elements the property reflects the attribute.
 */
export function ownSetting(node: Element, attr: 'lang' | 'dir'): string | undefined {
  const value = node instanceof HTMLElement ? node[attr] : undefined;
  if (value) return value;
  return node.hasAttribute(attr) ? (node.getAttribute(attr) ?? '') : undefined;
}

/** Finds `lang`/`dir` (property or attribute) on the element or its nearest ancestor, crossing shadow roots. */
function inherited(element: Element, attr: 'lang' | 'dir'): string {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element) {
      const value = ownSetting(node, attr);
      if (value !== undefined) return value;
    }
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return '';
}

/** Whether `node` is inside `ancestor`, crossing shadow roots. */
function composedContains(ancestor: Node, node: Node): boolean {
  let current: Node | null = node;
  while (current) {
    if (current === ancestor) return true;
    current = current instanceof ShadowRoot ? current.host : current.parentNode;
  }
  return false;
}

export class LocalizeController<Extra extends Record<string, string | ((...args: never[]) => string)> = Record<never, never>>
  implements ReactiveController
{
  constructor(private readonly host: LocalizeHost) {
    host.addController(this);
  }

  hostConnected(): void {
    connectedHosts.add(this.host);
    watchDocument();
  }

  hostDisconnected(): void {
    connectedHosts.delete(this.host);
    this.rendered = undefined;
  }

  /** The language and direction of the last render, to tell nested elements when they change. */
  private rendered: string | undefined;

  /**
   * After a render in another language or direction, nested elements (in our shadow roots, or
   * slotted) re-render: they inherit from this element, but nothing else tells them it changed.
   */
  hostUpdated(): void {
    const now = `${this.lang()}|${this.dir()}`;
    const before = this.rendered;
    this.rendered = now;
    if (before === undefined || before === now) return;
    for (const other of connectedHosts) {
      if (other !== this.host && composedContains(this.host, other)) other.requestUpdate();
    }
  }

  /** The element's effective language (lower case), e.g. `en`, `de-at`. */
  lang(): string {
    return (inherited(this.host, 'lang') || document.documentElement.lang || fallback).toLowerCase();
  }

  /** The element's effective direction: its own or an ancestor's `dir`, else the language's. */
  dir(): 'ltr' | 'rtl' {
    const dir = inherited(this.host, 'dir');
    if (dir === 'rtl' || dir === 'ltr') return dir;
    const table = this.table(this.lang());
    return table?.['$dir'] === 'rtl' ? 'rtl' : 'ltr';
  }

  private table(code: string): Record<string, unknown> | undefined {
    return registry.get(code) ?? registry.get(code.split('-')[0] ?? code);
  }

  /** Looks up a term in the element's language, then its base language, then the fallback. */
  term<K extends TermKey>(key: K, ...args: TermArgs<K>): string;
  term<K extends keyof Extra & string>(key: K, ...args: Extra[K] extends (...a: infer A) => string ? A : []): string;
  term(key: string, ...args: unknown[]): string {
    const value = this.table(this.lang())?.[key] ?? registry.get(fallback)?.[key] ?? registry.get('en')?.[key];
    if (typeof value === 'function') return (value as (...a: unknown[]) => string)(...args);
    if (typeof value === 'string') return value;
    return key;
  }

  date(value: number | Date, options?: Intl.DateTimeFormatOptions): string {
    return new Intl.DateTimeFormat(this.lang(), options).format(value);
  }

  number(value: number, options?: Intl.NumberFormatOptions): string {
    return new Intl.NumberFormat(this.lang(), options).format(value);
  }

  /** "in 3 days", "2 hours ago": picks the largest sensible unit. */
  relativeTime(target: number, now = Date.now()): string {
    const diff = target - now;
    const abs = Math.abs(diff);
    const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
      ['year', 365 * 86_400_000],
      ['month', 30 * 86_400_000],
      ['day', 86_400_000],
      ['hour', 3_600_000],
      ['minute', 60_000],
    ];
    const format = new Intl.RelativeTimeFormat(this.lang(), { numeric: 'auto' });
    for (const [unit, ms] of units) {
      if (abs >= ms) return format.format(Math.round(diff / ms), unit);
    }
    return format.format(Math.round(diff / 1000), 'second');
  }
}
