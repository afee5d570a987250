import { expect, fixture, html } from '@open-wc/testing';
import { html as litHtml } from 'lit';
import { NasElement } from '../internal/nas-element.js';
import { defineElement } from '../internal/define.js';
import { registerTranslation } from './localize.js';
import de from './translations/de.js';
import en from './translations/en.js';

/** A minimal element on the shared base, to prove localization and the test harness. */
class LocalizeProbe extends NasElement {
  override render() {
    return litHtml`<button type="button">${this.localize.term('common.close')}</button>
      <span>${this.localize.relativeTime(Date.now() + 3 * 86_400_000)}</span>`;
  }
}
defineElement('localize-probe', LocalizeProbe);

describe('LocalizeController', () => {
  before(() => registerTranslation(de));
  afterEach(() => {
    document.documentElement.lang = '';
    document.documentElement.removeAttribute('dir');
  });

  it('renders English by default and is accessible', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe></localize-probe>`);
    expect(el.shadowRoot!.querySelector('button')!.textContent).to.equal('Close');
    await expect(el).to.be.accessible();
  });

  it('follows its own lang attribute and re-renders when it changes', async () => {
    const el = await fixture<LocalizeProbe>(html`<localize-probe lang="de"></localize-probe>`);
    expect(el.shadowRoot!.querySelector('button')!.textContent).to.equal('Schließen');
    expect(el.shadowRoot!.querySelector('span')!.textContent).to.equal('in 3 Tagen');
    el.lang = 'en';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('button')!.textContent).to.equal('Close');
  });

  it('follows the document language and an ancestor dir', async () => {
    const wrapper = await fixture(html`<div dir="rtl"><localize-probe></localize-probe></div>`);
    const el = wrapper.querySelector('localize-probe') as LocalizeProbe;
    document.documentElement.lang = 'de-AT';
    await new Promise((r) => setTimeout(r));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('button')!.textContent).to.equal('Schließen');
    expect((el as unknown as { localize: { dir(): string } }).localize.dir()).to.equal('rtl');
  });

  it('has every English term in German', () => {
    const missing = Object.keys(en).filter((key) => !(key in de));
    expect(missing).to.deep.equal([]);
  });
});
