import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../define/delete-key-dialog.js';
import type { DeleteKeyDialog } from './delete-key-dialog.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { $, deepActiveElement, focusSettles, PAYLOADS, payloadsInert, shiftTab, text } from '../internal/testing/dom.js';
import { makeKey } from '../testing/sample-keys.js';
import type { NasDeleteConfirmEvent } from '../events/delete-confirm.js';

registerTranslation(de);

async function setup(lang = 'en') {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${lang}>
    <button id="trigger">Delete…</button>
    <delete-key-dialog></delete-key-dialog>
  </div>`);
  const dialog = wrapper.querySelector('delete-key-dialog')!;
  const trigger = wrapper.querySelector<HTMLButtonElement>('#trigger')!;
  trigger.addEventListener('click', () => void dialog.show(makeKey({ name: 'nightly-backup', username: 'bob' })));
  return { wrapper, dialog, trigger };
}

const deleteButton = (d: DeleteKeyDialog) => $<HTMLButtonElement>(d, '[part="delete-button"]');
const checkbox = (d: DeleteKeyDialog) => $<HTMLInputElement>(d, 'input[type="checkbox"]');

async function openByKeyboard(trigger: HTMLButtonElement, dialog: DeleteKeyDialog) {
  trigger.focus();
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => dialog.open && $(dialog, 'dialog').hasAttribute('open'), 'dialog opens');
  await dialog.updateComplete;
}

describe('<delete-key-dialog>', () => {
  it('names the key and keeps Delete disabled until Confirm is ticked (axe-clean both ways)', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    expect(text($(dialog, '[part="message"]'))).to.contain('Delete the API key "\u2068nightly-backup\u2069"?');
    expect(text($(dialog, '[part="message"]'))).to.contain('Owner: \u2068bob\u2069');
    const native = $<HTMLDialogElement>(dialog, 'dialog');
    expect(native.getAttribute('aria-labelledby')).to.equal('title');
    expect(text($(dialog, '#title'))).to.equal('Delete API key');
    expect(deleteButton(dialog).disabled).to.be.true;
    await expect(dialog).to.be.accessible();

    checkbox(dialog).click();
    await dialog.updateComplete;
    expect(deleteButton(dialog).disabled).to.be.false;
    await expect(dialog).to.be.accessible();

    checkbox(dialog).click();
    await dialog.updateComplete;
    expect(deleteButton(dialog).disabled).to.be.true;
  });

  it('completes by keyboard alone: Space ticks, Tab to Delete, Enter confirms, focus returns to the trigger', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    expect(deepActiveElement()).to.equal(checkbox(dialog));

    await sendKeys({ press: 'Space' });
    await dialog.updateComplete;
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(deleteButton(dialog));

    const confirmed = oneEvent<NasDeleteConfirmEvent>(dialog, 'nas-delete-confirm');
    const closed = oneEvent(dialog, 'nas-close');
    await sendKeys({ press: 'Enter' });
    const event = await confirmed;
    expect(event.detail.key.name).to.equal('nightly-backup');
    expect((await closed).detail.reason).to.equal('confirm');
    expect(dialog.open).to.be.false;
    expect($<HTMLDialogElement>(dialog, 'dialog').open).to.be.false;
    await focusSettles((el) => el === trigger, 'focus back on the trigger');
  });

  it('traps Tab and Shift+Tab inside the dialog', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    checkbox(dialog).click();
    await dialog.updateComplete;
    const order = [checkbox(dialog), $(dialog, '[part="cancel-button"]'), deleteButton(dialog)];
    for (let i = 1; i <= 6; i++) {
      await sendKeys({ press: 'Tab' });
      expect(deepActiveElement(), `Tab #${i}`).to.equal(order[i % 3]);
    }
    for (let i = 1; i <= 4; i++) {
      await shiftTab();
      expect(deepActiveElement(), `Shift+Tab #${i}`).to.equal(order[(((6 - i) % 3) + 3) % 3]);
    }
  });

  it('routes Esc through a cancelable nas-request-close and restores focus when it closes', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    const veto = (e: Event) => e.preventDefault();
    dialog.addEventListener('nas-request-close', veto);
    const first = oneEvent(dialog, 'nas-request-close');
    await sendKeys({ press: 'Escape' });
    expect((await first).detail.source).to.equal('escape');
    await sendKeys({ press: 'Escape' });
    expect(dialog.open, 'vetoed twice, still open').to.be.true;
    expect($<HTMLDialogElement>(dialog, 'dialog').open).to.be.true;

    dialog.removeEventListener('nas-request-close', veto);
    const closed = oneEvent(dialog, 'nas-close');
    await sendKeys({ press: 'Escape' });
    expect((await closed).detail.reason).to.equal('dismiss');
    expect(dialog.open).to.be.false;
    await focusSettles((el) => el === trigger, 'focus back on the trigger');
  });

  it('closes on a backdrop click but not on a click inside', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    const box = $(dialog, 'dialog').getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(box.left + 20), Math.round(box.top + 20)] });
    expect(dialog.open).to.be.true;
    const request = oneEvent(dialog, 'nas-request-close');
    await sendMouse({ type: 'click', position: [5, 5] });
    expect((await request).detail.source).to.equal('backdrop');
    expect(dialog.open).to.be.false;
  });

  it('stays open and busy while the host deletes, and shows a failure in the dialog', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    let reject!: (e: Error) => void;
    dialog.addEventListener('nas-delete-confirm', (e) => e.waitUntil(new Promise((_, r) => (reject = r))), { once: true });
    checkbox(dialog).click();
    await dialog.updateComplete;
    deleteButton(dialog).click();
    await dialog.updateComplete;
    expect(text(deleteButton(dialog))).to.equal('Deleting…');
    expect(deleteButton(dialog).getAttribute('aria-disabled')).to.equal('true');
    // A second click and Esc while busy do nothing.
    let confirms = 0;
    dialog.addEventListener('nas-delete-confirm', () => confirms++);
    deleteButton(dialog).click();
    await sendKeys({ press: 'Escape' });
    expect(confirms).to.equal(0);
    expect(dialog.open).to.be.true;

    reject(new Error('ApiKey 7 does not exist'));
    await waitUntil(() => dialog.shadowRoot!.querySelector('[role="alert"]'), 'error shown');
    expect(text($(dialog, '[role="alert"]'))).to.equal('The key was not deleted: ApiKey 7 does not exist');
    expect(dialog.open).to.be.true;
    expect(text(deleteButton(dialog))).to.equal('Delete');
    await expect(dialog).to.be.accessible();

    dialog.addEventListener('nas-delete-confirm', (e) => e.waitUntil(Promise.resolve()), { once: true });
    const closed = oneEvent(dialog, 'nas-close');
    deleteButton(dialog).click();
    expect((await closed).detail.reason).to.equal('confirm');
  });

  it('renders key names and usernames as inert text', async () => {
    const { dialog } = await setup();
    for (const payload of PAYLOADS) {
      await dialog.show(makeKey({ name: payload, username: payload }));
      expect(text($(dialog, '[part="message"]'))).to.contain(payload.replace(/\s+/g, ' '));
      expect(payloadsInert(dialog.shadowRoot!)).to.be.true;
      await dialog.hide();
    }
  });

  it('speaks German and lays out right-to-left', async () => {
    const { wrapper, dialog, trigger } = await setup('de');
    wrapper.dir = 'rtl';
    await openByKeyboard(trigger, dialog);
    expect(text($(dialog, '#title'))).to.equal('API-Schlüssel löschen');
    expect(text(deleteButton(dialog))).to.equal('Löschen');
    expect(text($(dialog, '[part="confirm"]'))).to.equal('Bestätigen');
    const native = $(dialog, 'dialog');
    expect(getComputedStyle(native).direction).to.equal('rtl');
    // In RTL the footer runs from the right: Cancel is right of Delete.
    const cancel = $(dialog, '[part="cancel-button"]').getBoundingClientRect();
    expect(cancel.left).to.be.greaterThan(deleteButton(dialog).getBoundingClientRect().left);
    await expect(dialog).to.be.accessible();
  });
});
