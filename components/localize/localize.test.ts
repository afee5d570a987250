import { expect, fixture, html } from '@open-wc/testing';
import { html as litHtml } from 'lit';
import { NasElement } from '../internal/nas-element.js';
import { defineElement } from '../internal/define.js';
import { addEnglishTerms, registerTranslation } from './localize.js';
import de from './translations/de.js';
import en from './translations/en.js';
import enDelete from './translations/en-delete.js';

/** A minimal element on the shared base, to prove localization and the test harness. */
class LocalizeProbe extends NasElement {
  override render() {
    return litHtml`<button type="button">${this.localize.term('common.close')}</button>
      <span>${this.localize.relativeTime(Date.now() + 3 * 86_400_000)}</span>`;
  }
}
defineElement('localize-probe', LocalizeProbe);

/** Shows two terms the delete dialog brings along when imported (this file does not import it). */
class DeleteTermsProbe extends NasElement {
  override render() {
    return litHtml`<h2>${this.localize.term('delete.title')}</h2><button type="button">${this.localize.term('delete.delete')}</button>`;
  }
}
defineElement('delete-terms-probe', DeleteTermsProbe);

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

  it("adds a component's English terms under an app's earlier overrides", async () => {
    registerTranslation({ $code: 'en', $name: 'English', $dir: 'ltr', 'delete.title': 'Remove key' });
    addEnglishTerms(enDelete);
    const el = await fixture<DeleteTermsProbe>(html`<delete-terms-probe></delete-terms-probe>`);
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal('Remove key');
    expect(el.shadowRoot!.querySelector('button')!.textContent).to.equal('Delete');
    el.lang = 'de';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal(de['delete.title']);
    registerTranslation({ $code: 'en', $name: 'English', $dir: 'ltr', 'delete.title': enDelete['delete.title'] });
  });

  it('has every English term in German', () => {
    const missing = Object.keys(en).filter((key) => !(key in de));
    expect(missing).to.deep.equal([]);
  });
});
