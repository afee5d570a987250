/** <api-key-form> and issue 12: scoped-key purposes as legacy allowlist presets; a reset offers to end the key's open sessions. */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../define/api-key-form.js';
import type { ApiKeyForm } from './api-key-form.js';
import type { NasKeySubmitEvent } from '../events/key-submit.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { LEGACY_ALLOWLIST_PRESETS } from '../model/scoped-key.js';
import { LEGACY, MODERN, makeKey } from '../testing/sample-keys.js';
import type { HostCapabilities } from '../model/api-key.js';

registerTranslation(de);

const $ = <T extends Element = HTMLElement>(el: Element, s: string) => el.shadowRoot!.querySelector<T>(s);
const $$ = <T extends Element = HTMLElement>(el: Element, s: string) => [...el.shadowRoot!.querySelectorAll<T>(s)];
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function setup(caps: HostCapabilities, props: Partial<ApiKeyForm> = {}, lang = 'en') {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${lang}><api-key-form .capabilities=${caps}></api-key-form></div>`);
  const form = wrapper.querySelector('api-key-form')!;
  Object.assign(form, props);
  await form.updateComplete;
  return form;
}

describe('<api-key-form> issue 12', () => {
  it('on 22.02/24.10 the scoped purposes are allowlist presets', async () => {
    const form = await setup(LEGACY);
    const presets = $$<HTMLButtonElement>(form, '[part~="allowlist"] [role="group"] button');
    expect(presets.map(text)).to.include.members(['Snapshots', 'Replication', 'Sharing']);
    for (const purpose of ['snapshots', 'replication', 'sharing'] as const) {
      presets.find((b) => text(b).toLowerCase() === purpose)!.click();
      await form.updateComplete;
      const resources = $$<HTMLInputElement>(form, '[part~="allowlist"] input').map((i) => i.value);
      expect(resources, purpose).to.deep.equal(LEGACY_ALLOWLIST_PRESETS[purpose].map((e) => e.resource));
    }
    await expect(form).to.be.accessible();
  });

  it('a reset offers to end the open sessions, ticked; the choice goes with the submit', async () => {
    const form = await setup(MODERN, { mode: 'edit', key: makeKey({ id: 3 }), resetChecked: true, openSessions: 2 });
    const box = $<HTMLInputElement>(form, 'input[name="end-sessions"]')!;
    expect(box.checked).to.be.true;
    expect(text($(form, '[part~="end-sessions"]'))).to.equal('End its 2 open sessions');
    expect(text($(form, '#end-sessions-hint'))).to.contain('keeps sessions opened with a deleted or reset key alive');
    await expect(form).to.be.accessible();
    box.click();
    const submitted = oneEvent<NasKeySubmitEvent>(form, 'nas-key-submit');
    $<HTMLButtonElement>(form, '[part~="submit-button"]')!.click();
    const event = await submitted;
    expect(event.detail).to.include({ mode: 'edit', endSessions: false });
  });

  it('not offered without a reset, without open sessions, or without sessions support', async () => {
    for (const props of [
      { mode: 'edit' as const, key: makeKey(), resetChecked: false, openSessions: 2 },
      { mode: 'edit' as const, key: makeKey(), resetChecked: true, openSessions: 0 },
      { mode: 'edit' as const, key: makeKey(), resetChecked: true, openSessions: null },
    ]) {
      const form = await setup(MODERN, props);
      expect($(form, 'input[name="end-sessions"]'), JSON.stringify(props.openSessions)).to.equal(null);
    }
  });

  it('German', async () => {
    const form = await setup(MODERN, { mode: 'edit', key: makeKey({ id: 3 }), resetChecked: true, openSessions: 1 }, 'de');
    expect(text($(form, '[part~="end-sessions"]'))).to.equal('Seine offene Sitzung beenden');
  });
});
