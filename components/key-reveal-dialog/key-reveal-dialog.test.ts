import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../define/key-reveal-dialog.js';
import type { KeyRevealDialog } from './key-reveal-dialog.js';
import { formatKey } from './key-formats.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import {
  $,
  allAttributeValues,
  allTextAndValues,
  deepActiveElement,
  focusSettles,
  PAYLOADS,
  payloadsInert,
  setPermissions,
  shiftTab,
  text,
} from '../internal/testing/dom.js';
import { makeKey, makeSecret } from '../testing/sample-keys.js';
import type { NasKeyCopyEvent } from '../events/key-copy.js';
import type { NasKeySaveEvent } from '../events/key-save.js';

registerTranslation(de);

const SECRET = makeSecret(7);
const entry = (name = 'backup-script') => ({ key: makeKey({ id: 7, name }), secret: SECRET });

async function setup(attrs: { lang?: string; vault?: boolean } = {}) {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${attrs.lang ?? 'en'}>
    <button id="trigger">Create</button>
    <key-reveal-dialog ?vault=${attrs.vault ?? false}></key-reveal-dialog>
  </div>`);
  const dialog = wrapper.querySelector('key-reveal-dialog')!;
  const trigger = wrapper.querySelector<HTMLButtonElement>('#trigger')!;
  trigger.addEventListener('click', () => void dialog.show(entry()));
  return { wrapper, dialog, trigger };
}

async function openByKeyboard(trigger: HTMLButtonElement, dialog: KeyRevealDialog) {
  trigger.focus();
  await sendKeys({ press: 'Enter' });
  await waitUntil(() => dialog.open && $<HTMLDialogElement>(dialog, 'dialog').open, 'dialog opens');
}

const field = (d: KeyRevealDialog) => $<HTMLTextAreaElement>(d, 'textarea');
const part = (d: KeyRevealDialog, name: string) => $<HTMLButtonElement>(d, `[part~="${name}"]`);

/** The secret appears in no attribute anywhere in the document, and not in the host's markup. */
function expectSecretInNoAttribute(dialog: KeyRevealDialog) {
  expect(allAttributeValues(document.body).some((v) => v.includes(SECRET))).to.be.false;
  expect(dialog.outerHTML).not.to.contain(SECRET);
  expect(dialog.shadowRoot!.innerHTML).not.to.contain(SECRET);
}

describe('<key-reveal-dialog>', () => {
  afterEach(async () => {
    await setPermissions({ 'clipboard-read': 'granted', 'clipboard-write': 'granted' });
    await navigator.clipboard.writeText('');
  });

  it('scrolls in a window too short for it (a 600 px popup in German): Copy and Close stay reachable', async () => {
    await setViewport({ width: 360, height: 320 });
    try {
      const { dialog, trigger } = await setup({ lang: 'de' });
      await openByKeyboard(trigger, dialog);
      const box = $<HTMLDialogElement>(dialog, 'dialog');
      expect(box.getBoundingClientRect().bottom, 'the dialog fits the window').to.be.at.most(window.innerHeight);
      expect(box.scrollHeight, 'its content is taller').to.be.above(box.clientHeight);
      for (const name of ['copy-button', 'close-button']) {
        part(dialog, name).focus();
        const rect = part(dialog, name).getBoundingClientRect();
        expect(rect.top, `${name} scrolled into view`).to.be.at.least(box.getBoundingClientRect().top);
        expect(rect.bottom, `${name} scrolled into view`).to.be.at.most(box.getBoundingClientRect().bottom);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('has Copy (focused) and Close on screen together when it opens in a 360 x 600 popup in German', async () => {
    await setViewport({ width: 360, height: 600 });
    try {
      const { dialog, trigger } = await setup({ lang: 'de', vault: true });
      // A vault-refused key carries the longest notice (the popup's "not saved" case).
      trigger.addEventListener('click', () => void dialog.show({ ...entry(), stored: { saved: false, reason: 'Der Browser hat keinen Speicherplatz mehr für den Tresor, daher wurde nichts gespeichert. Geben Sie Speicher frei und versuchen Sie es erneut.' } }), { once: true });
      await openByKeyboard(trigger, dialog);
      const box = $<HTMLDialogElement>(dialog, 'dialog');
      expect(box.scrollHeight, 'taller than the window').to.be.above(box.clientHeight);
      expect(deepActiveElement()).to.equal(part(dialog, 'copy-button'));
      const frame = box.getBoundingClientRect();
      for (const name of ['copy-button', 'close-button']) {
        const rect = part(dialog, name).getBoundingClientRect();
        expect(rect.top, `${name} is on screen`).to.be.at.least(frame.top);
        expect(rect.bottom, `${name} is on screen`).to.be.at.most(frame.bottom);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('shows the key once, masked, with the warning; Copy has focus; axe-clean', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    const native = $<HTMLDialogElement>(dialog, 'dialog');
    expect(native.getAttribute('aria-labelledby')).to.equal('title');
    expect(text($(dialog, '#title'))).to.equal('API key created');
    expect(text(part(dialog, 'key-name'))).to.equal('Key "\u2068backup-script\u2069"');
    expect(text(part(dialog, 'warning'))).to.contain('This is the only time the key is shown');
    expect(field(dialog).value).to.equal('•'.repeat(SECRET.length));
    expect(field(dialog).readOnly).to.be.true;
    expect(field(dialog).getAttribute('autocomplete')).to.equal('off');
    expect(field(dialog).getAttribute('spellcheck')).to.equal('false');
    expect(allTextAndValues(dialog)).not.to.contain(SECRET);
    expect(deepActiveElement()).to.equal(part(dialog, 'copy-button'));
    expect(dialog.shadowRoot!.querySelector('[part~="save-button"]'), 'no vault button unless enabled').to.be.null;
    expectSecretInNoAttribute(dialog);
    await expect(dialog).to.be.accessible();
  });

  it('reveals the key only on request with a Show/Hide toggle (keyboard), and never in an attribute', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    const toggle = part(dialog, 'reveal-button');
    expect(text(toggle)).to.equal('Show key');
    // The label says what a press does; aria-pressed would contradict a label that changes (APG button).
    expect(toggle.hasAttribute('aria-pressed')).to.be.false;
    await shiftTab(); // Copy -> Show key
    expect(deepActiveElement()).to.equal(toggle);
    await sendKeys({ press: 'Enter' });
    await dialog.updateComplete;
    expect(text(toggle)).to.equal('Hide key');
    expect(field(dialog).value).to.equal(SECRET);
    expect(deepActiveElement(), 'focus stays on the toggle').to.equal(toggle);
    expectSecretInNoAttribute(dialog);
    await expect(dialog).to.be.accessible();
    await sendKeys({ press: 'Space' });
    await dialog.updateComplete;
    expect(text(toggle)).to.equal('Show key');
    expect(field(dialog).value).not.to.contain(SECRET.slice(2));
  });

  it('shows the key in a monospace font, in a field that fits every format, at any width', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    part(dialog, 'reveal-button').click();
    const select = $<HTMLSelectElement>(dialog, 'select');
    for (const width of [320, 800]) {
      $<HTMLDialogElement>(dialog, 'dialog').style.inlineSize = `${width - 32}px`;
      for (const format of ['raw', 'json', 'ini', 'env']) {
        select.value = format;
        select.dispatchEvent(new Event('change'));
        await dialog.updateComplete;
        const box = field(dialog);
        expect(getComputedStyle(box).fontFamily, 'monospace').to.match(/mono/i);
        expect(box.scrollHeight, `${format} at ${width}px: nothing cut off`).to.be.at.most(box.clientHeight);
        expect(box.scrollWidth, `${format} at ${width}px: no sideways scroll`).to.be.at.most(box.clientWidth);
      }
    }
    // The closing brace of the JSON format is on screen.
    select.value = 'json';
    select.dispatchEvent(new Event('change'));
    await dialog.updateComplete;
    expect(field(dialog).value.trimEnd().endsWith('}')).to.be.true;
  });

  it('clears the copy status when the format changes', async () => {
    await setPermissions({ 'clipboard-read': 'granted', 'clipboard-write': 'granted' });
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    part(dialog, 'copy-button').click();
    await waitUntil(() => text(part(dialog, 'status')) === 'Copied to the clipboard.', 'copied');
    const select = $<HTMLSelectElement>(dialog, 'select');
    select.value = 'env';
    select.dispatchEvent(new Event('change'));
    await dialog.updateComplete;
    expect(text(part(dialog, 'status'))).to.equal('');
    // The key was copied once: closing still needs no confirmation.
    const closed = oneEvent(dialog, 'nas-close');
    part(dialog, 'close-button').click();
    expect((await closed).detail.reason).to.equal('confirm');
  });

  it('copies to the real clipboard in every format and says so', async () => {
    await setPermissions({ 'clipboard-read': 'granted', 'clipboard-write': 'granted' });
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);

    const copied = oneEvent<NasKeyCopyEvent>(dialog, 'nas-key-copy');
    await sendKeys({ press: 'Enter' }); // Copy has focus
    expect((await copied).detail).to.deep.equal({ format: 'raw', ok: true });
    expect(await navigator.clipboard.readText()).to.equal(SECRET);
    await waitUntil(() => text(part(dialog, 'status')) === 'Copied to the clipboard.', 'success shown');
    expect(part(dialog, 'status').getAttribute('role')).to.equal('status');
    await expect(dialog).to.be.accessible();

    const select = $<HTMLSelectElement>(dialog, 'select');
    select.focus();
    await sendKeys({ press: 'ArrowDown' });
    await dialog.updateComplete;
    expect(select.value).to.equal('json');
    const jsonCopied = oneEvent(dialog, 'nas-key-copy');
    part(dialog, 'copy-button').click();
    await jsonCopied;
    const json = JSON.parse(await navigator.clipboard.readText()) as Record<string, unknown>;
    expect(json).to.deep.equal({ api_key_id: 7, raw_key: SECRET });
    // Masked preview of the format: the structure shows, the secret does not.
    expect(field(dialog).value).to.contain('"api_key_id": 7');
    expect(field(dialog).value).not.to.contain(SECRET);

    for (const [format, expected] of [
      ['ini', `[TRUENAS_API_KEY]\napi_key_id = 7\nraw_key = ${SECRET}\n`],
      ['env', `TRUENAS_API_KEY=${SECRET}`],
    ] as const) {
      select.value = format;
      select.dispatchEvent(new Event('change'));
      await dialog.updateComplete;
      const done = oneEvent(dialog, 'nas-key-copy');
      part(dialog, 'copy-button').click();
      expect((await done).detail.format).to.equal(format);
      expect(await navigator.clipboard.readText()).to.equal(expected);
    }
    expectSecretInNoAttribute(dialog);
  });

  it('shows a visible failure when the browser refuses the clipboard, and still asks before closing', async () => {
    await setPermissions({ 'clipboard-write': 'denied' });
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    const failed = oneEvent<NasKeyCopyEvent>(dialog, 'nas-key-copy');
    part(dialog, 'copy-button').click();
    const event = await failed;
    expect(event.detail.ok).to.be.false;
    await dialog.updateComplete;
    expect(text(part(dialog, 'status'))).to.contain('Could not copy');
    await expect(dialog).to.be.accessible();
    part(dialog, 'close-button').click();
    await dialog.updateComplete;
    expect(dialog.shadowRoot!.querySelector('[part~="confirm"]'), 'confirmation shown').to.exist;
  });

  it('asks for confirmation before closing an unkept key (Esc = go back), then clears it everywhere', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    await sendKeys({ press: 'Escape' });
    await dialog.updateComplete;
    expect(text($(dialog, '#title'))).to.equal('Close without keeping the key?');
    await focusSettles((el) => el === part(dialog, 'back-button'), 'focus on Go back');
    await expect(dialog).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await dialog.updateComplete;
    expect(text($(dialog, '#title'))).to.equal('API key created');
    await focusSettles((el) => el === part(dialog, 'copy-button'), 'focus back on Copy');

    part(dialog, 'close-button').click();
    await dialog.updateComplete;
    const closed = oneEvent(dialog, 'nas-close');
    part(dialog, 'discard-button').click();
    expect((await closed).detail.reason).to.equal('dismiss');
    expect(dialog.open).to.be.false;
    expect(dialog.entry).to.be.null;
    expect(dialog.shadowRoot!.querySelector('textarea')).to.be.null;
    expect(allTextAndValues(dialog)).not.to.contain(SECRET);
    expectSecretInNoAttribute(dialog);
    await focusSettles((el) => el === trigger, 'focus back on the trigger');
  });

  it('says when the host kept the key, and why it did not: an unsaved key still asks before closing', async () => {
    const { dialog } = await setup();
    await dialog.show({ ...entry(), stored: { saved: false, reason: 'The vault is locked.' } });
    expect(text(part(dialog, 'warning'))).to.equal('Not saved to the vault: The vault is locked. Copy it now: it is shown only this once.');
    await expect(dialog).to.be.accessible();
    part(dialog, 'close-button').click();
    await dialog.updateComplete;
    expect(text($(dialog, '#title'))).to.equal('Close without keeping the key?');
    part(dialog, 'discard-button').click();
    await waitUntil(() => !dialog.open, 'closed');

    await dialog.show({ ...entry(), stored: { saved: true } });
    expect(text(part(dialog, 'warning'))).to.contain('Saved to the vault.');
    const closed = oneEvent(dialog, 'nas-close');
    part(dialog, 'close-button').click();
    expect((await closed).detail.reason, 'a key the vault holds is kept: no confirmation').to.equal('confirm');
  });

  it('copies through the writer the host gives, and shows its refusal', async () => {
    await setPermissions({ 'clipboard-read': 'granted', 'clipboard-write': 'granted' });
    await navigator.clipboard.writeText('before');
    const { dialog } = await setup();
    const written: string[] = [];
    dialog.writeClipboard = async (text) => {
      written.push(text);
      if (written.length === 1) throw new Error('Not copied: the browser storage is full.');
    };
    await dialog.show(entry());
    part(dialog, 'copy-button').click();
    await waitUntil(() => text(part(dialog, 'status')) !== '', 'status');
    expect(text(part(dialog, 'status'))).to.equal('Not copied: the browser storage is full.');
    expect(await navigator.clipboard.readText(), 'the dialog wrote nothing itself').to.equal('before');
    part(dialog, 'copy-button').click();
    await waitUntil(() => text(part(dialog, 'status')) === 'Copied to the clipboard.', 'copied');
    expect(written).to.deep.equal([SECRET, SECRET]);
    expect(await navigator.clipboard.readText()).to.equal('before');
    const closed = oneEvent(dialog, 'nas-close');
    part(dialog, 'close-button').click();
    expect((await closed).detail.reason).to.equal('confirm');
  });

  it('closes straight away once copied; the whole flow works by keyboard alone', async () => {
    await setPermissions({ 'clipboard-read': 'granted', 'clipboard-write': 'granted' });
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    const copied = oneEvent(dialog, 'nas-key-copy');
    await sendKeys({ press: 'Enter' }); // copy
    await copied;
    await sendKeys({ press: 'Tab' }); // -> Close
    expect(deepActiveElement()).to.equal(part(dialog, 'close-button'));
    const closed = oneEvent(dialog, 'nas-close');
    await sendKeys({ press: 'Enter' });
    expect((await closed).detail.reason).to.equal('confirm');
    expect(dialog.entry).to.be.null;
    await focusSettles((el) => el === trigger, 'focus back on the trigger');
  });

  it('offers Save to vault when enabled, reports success and failure, and counts a save as kept', async () => {
    const { dialog, trigger } = await setup({ vault: true });
    await openByKeyboard(trigger, dialog);
    await expect(dialog).to.be.accessible();
    dialog.addEventListener('nas-key-save', (e) => e.waitUntil(Promise.reject(new Error('Vault is locked'))), { once: true });
    part(dialog, 'save-button').click();
    await waitUntil(() => text(part(dialog, 'status')).includes('Vault is locked'), 'failure shown');
    expect(text(part(dialog, 'status'))).to.equal('Could not save to the vault: Vault is locked');

    let saved: NasKeySaveEvent | undefined;
    dialog.addEventListener(
      'nas-key-save',
      (e) => {
        saved = e;
        e.waitUntil(Promise.resolve());
      },
      { once: true },
    );
    part(dialog, 'save-button').click();
    await waitUntil(() => text(part(dialog, 'status')) === 'Saved to the vault.', 'success shown');
    expect(saved!.detail.secret).to.equal(SECRET);
    expect(saved!.detail.key.id).to.equal(7);
    await expect(dialog).to.be.accessible();
    const closed = oneEvent(dialog, 'nas-close');
    part(dialog, 'close-button').click();
    expect((await closed).detail.reason).to.equal('confirm');
  });

  it('forgets the key when removed from the page while open', async () => {
    const { dialog, trigger, wrapper } = await setup();
    await openByKeyboard(trigger, dialog);
    part(dialog, 'reveal-button').click();
    await dialog.updateComplete;
    const textarea = field(dialog);
    expect(textarea.value).to.equal(SECRET);
    dialog.remove();
    await dialog.updateComplete;
    expect(dialog.entry).to.be.null;
    expect(textarea.value).to.equal('');
    expect(dialog.shadowRoot!.querySelector('textarea')).to.be.null;
    wrapper.append(dialog);
    await dialog.updateComplete;
    expect(dialog.open).to.be.false;
    expect(allTextAndValues(dialog)).not.to.contain(SECRET);
  });

  it('renders key names as inert text', async () => {
    const { dialog } = await setup();
    for (const payload of PAYLOADS) {
      await dialog.show({ key: makeKey({ name: payload }), secret: SECRET });
      expect(text(part(dialog, 'key-name'))).to.contain(payload.replace(/\s+/g, ' '));
      expect(payloadsInert(dialog.shadowRoot!)).to.be.true;
      await dialog.hide();
    }
  });

  it('has dark defaults (forced by color-scheme on the element; still axe-clean) and is themable by tokens and parts', async () => {
    const { dialog, trigger } = await setup();
    await openByKeyboard(trigger, dialog);
    const native = $(dialog, 'dialog');
    expect(getComputedStyle(native).backgroundColor, 'light default').to.equal('rgb(255, 255, 255)');
    dialog.style.colorScheme = 'dark';
    expect(getComputedStyle(native).backgroundColor, 'dark default').to.equal('rgb(36, 40, 45)');
    await expect(dialog).to.be.accessible();

    const style = document.createElement('style');
    style.textContent = `key-reveal-dialog { --nas-color-accent: rgb(120, 20, 90); --nas-radius: 0px; }
      key-reveal-dialog::part(warning) { font-style: italic; }`;
    document.head.append(style);
    try {
      const copy = part(dialog, 'copy-button');
      expect(getComputedStyle(copy).backgroundColor).to.equal('rgb(120, 20, 90)');
      expect(getComputedStyle(copy).borderTopLeftRadius).to.equal('0px');
      expect(getComputedStyle(part(dialog, 'warning')).fontStyle).to.equal('italic');
    } finally {
      style.remove();
    }
  });

  it('speaks German and lays out right-to-left', async () => {
    const { wrapper, dialog, trigger } = await setup({ lang: 'de' });
    wrapper.dir = 'rtl';
    await openByKeyboard(trigger, dialog);
    expect(text($(dialog, '#title'))).to.equal('API-Schlüssel erstellt');
    expect(text(part(dialog, 'copy-button'))).to.equal('In die Zwischenablage kopieren');
    expect(getComputedStyle($(dialog, 'dialog')).direction).to.equal('rtl');
    const reveal = part(dialog, 'reveal-button').getBoundingClientRect();
    expect(reveal.right, 'first action starts at the right edge').to.be.greaterThan(part(dialog, 'copy-button').getBoundingClientRect().right);
    await expect(dialog).to.be.accessible();
  });
});

describe('formatKey', () => {
  it('writes the formats the TrueNAS client reads', () => {
    const key = { id: 12 };
    expect(formatKey('raw', key, '12-abc')).to.equal('12-abc');
    expect(JSON.parse(formatKey('json', key, '12-abc'))).to.deep.equal({ api_key_id: 12, raw_key: '12-abc' });
    expect(formatKey('ini', key, '12-abc')).to.equal('[TRUENAS_API_KEY]\napi_key_id = 12\nraw_key = 12-abc\n');
    expect(formatKey('env', key, '12-abc')).to.equal('TRUENAS_API_KEY=12-abc');
  });
});
