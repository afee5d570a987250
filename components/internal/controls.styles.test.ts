/**
 * The shared visual language: tokens resolve from the public `--nas-*` properties, tabs look like
 * tabs, icons are decorative and mirror where they point, and the high-contrast and forced-colours
 * rules are in the sheet every component adopts. Real Chromium, axe in light and dark.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, css } from 'lit';
import { controls, tokens } from './controls.styles.js';
import { icon, iconNames } from './icons.js';

class VisualSample extends LitElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: block;
        background: var(--_surface);
      }
    `,
  ];
  override render() {
    return html`<div role="tablist" aria-label="Views">
        <button type="button" role="tab" aria-selected="true">Keys</button>
        <button type="button" role="tab" aria-selected="false">Vault</button>
      </div>
      <button type="button" class="primary">${icon('add')}<span>Add key</span></button>
      <button type="button" class="quiet icon-only" aria-label="Row actions" title="Row actions">${icon('more')}</button>
      <button type="button" class="quiet">${icon('external')}<span>Open full view</span></button>`;
  }
}
customElements.define('visual-sample', VisualSample);

const part = (el: Element, selector: string): HTMLElement => el.shadowRoot!.querySelector<HTMLElement>(selector)!;

/** The @media rules of a sheet whose condition mentions `feature`. */
function mediaRules(feature: string): CSSMediaRule[] {
  const sheets = [tokens, controls].map((s) => s.styleSheet!);
  return sheets.flatMap((sheet) => [...sheet.cssRules]).filter((r): r is CSSMediaRule => r instanceof CSSMediaRule && r.conditionText.includes(feature));
}

describe('visual language (controls.styles.ts, icons.ts)', () => {
  it('a selected tab is underlined in the accent colour and stronger; the other is not', async () => {
    const el = await fixture<VisualSample>(html`<visual-sample style="--nas-color-accent: rgb(1, 2, 3)"></visual-sample>`);
    const [selected, other] = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')];
    const s = getComputedStyle(selected!);
    expect(s.borderBottomWidth).to.equal('3px');
    expect(s.borderBottomColor).to.equal('rgb(1, 2, 3)');
    expect(Number(s.fontWeight)).to.be.at.least(600);
    expect(getComputedStyle(other!).borderBottomColor).to.equal('rgba(0, 0, 0, 0)');
  });

  it('controls share one height from --nas-control-height, spacing from --nas-space', async () => {
    const el = await fixture<VisualSample>(html`<visual-sample style="--nas-control-height: 44px; --nas-space: 10px"></visual-sample>`);
    const add = part(el, 'button.primary');
    expect(add.getBoundingClientRect().height).to.equal(44);
    expect(getComputedStyle(add).paddingInlineStart).to.equal('20px');
    const kebab = part(el, 'button.icon-only');
    expect(kebab.getBoundingClientRect().width).to.equal(44, 'an icon-only button is square');
  });

  it('every icon is decorative SVG in currentColor; the external arrow mirrors in RTL', async () => {
    const el = await fixture<VisualSample>(html`<visual-sample dir="rtl"></visual-sample>`);
    for (const svg of el.shadowRoot!.querySelectorAll('svg')) {
      expect(svg.getAttribute('aria-hidden')).to.equal('true');
      expect(svg.getAttribute('focusable')).to.equal('false');
      expect(getComputedStyle(svg).stroke).to.equal(getComputedStyle(svg.parentElement!).color);
    }
    expect(getComputedStyle(part(el, 'svg[data-icon="external"]')).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    expect(getComputedStyle(part(el, 'svg[data-icon="add"]')).transform).to.equal('none');
    expect(iconNames).to.include.members(['quick-reset', 'reset', 'more', 'lock', 'search', 'copy', 'edit', 'delete']);
  });

  it('has high-contrast and forced-colours rules: stronger borders, system colours, a marked selected tab', () => {
    const contrast = mediaRules('prefers-contrast: more').map((r) => r.cssText.toLowerCase()).join('\n');
    expect(contrast).to.include('--_border');
    expect(contrast).to.include('outline-width: 3px');
    const forced = mediaRules('forced-colors: active').map((r) => r.cssText.toLowerCase()).join('\n');
    expect(forced).to.include('highlight');
    expect(forced).to.include('graytext');
    expect(forced).to.match(/button\.primary[^{]*\{[^}]*border-width: 2px/);
  });

  it('keeps an English sentence in its own direction in a right-to-left page: the full stop ends it', async () => {
    class SentenceSample extends LitElement {
      static override styles = [tokens, controls];
      override render() {
        return html`<p class="warning">Copy the key now.</p>`;
      }
    }
    customElements.define('sentence-sample', SentenceSample);
    const el = await fixture<SentenceSample>(html`<sentence-sample dir="rtl"></sentence-sample>`);
    const node = el.shadowRoot!.querySelector('p')!.firstChild!;
    const rect = (text: string) => {
      const at = node.textContent!.indexOf(text);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      return range.getBoundingClientRect();
    };
    expect(rect('.').left, 'the full stop is right of "now"').to.be.above(rect('now').left);
    expect(rect('Copy').left).to.be.below(rect('now').left);
  });

  it('is accessible in light and dark', async () => {
    for (const scheme of ['light', 'dark']) {
      const el = await fixture<VisualSample>(html`<visual-sample style=${`color-scheme: ${scheme}`}></visual-sample>`);
      await expect(el).to.be.accessible();
    }
  });
});
