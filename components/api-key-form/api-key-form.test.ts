import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define/api-key-form.js';
import type { ApiKeyForm } from './api-key-form.js';
import { checkName, DAY_MS, parseLocalDateTime, placeErrors, presetExpiry, toLocalDateTime } from './form-logic.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { $, $$, deepActiveElement, PAYLOADS, payloadsInert, text } from '../internal/testing/dom.js';
import { LEGACY, makeKey, makeOwner, MODERN } from '../testing/sample-keys.js';
import type { NasKeySubmitEvent } from '../events/key-submit.js';
import type { FieldError, HostCapabilities, KeyOwner } from '../model/api-key.js';

registerTranslation(de);

const USERS: KeyOwner[] = [
  makeOwner('truenas_admin', { id: 70, fullName: 'Local Administrator' }),
  makeOwner('bob', { id: 71, fullName: 'Bob Builder', roles: ['READONLY_ADMIN'] }),
  makeOwner('carol', { id: 72, fullName: 'Carol Danvers', roles: ['SHARING_ADMIN'] }),
  makeOwner('nobody', { id: 73, fullName: 'No Roles', roles: [] }),
];

class FieldProblem extends Error {
  constructor(
    message: string,
    readonly fieldErrors: FieldError[],
  ) {
    super(message);
  }
}

async function setup(options: { caps?: HostCapabilities | null; lang?: string; edit?: ReturnType<typeof makeKey> } = {}) {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${options.lang ?? 'en'}>
    <api-key-form
      mode=${options.edit ? 'edit' : 'create'}
      .key=${options.edit ?? null}
      .capabilities=${options.caps === undefined ? MODERN : options.caps}
      .users=${USERS}
      current-username="truenas_admin"
    ></api-key-form>
  </div>`);
  const form = wrapper.querySelector('api-key-form')!;
  await form.updateComplete;
  return { wrapper, form };
}

const input = (form: ApiKeyForm, selector: string) => $<HTMLInputElement>(form, selector);

async function type(form: ApiKeyForm, selector: string, value: string) {
  const field = input(form, selector);
  field.focus();
  field.select();
  await sendKeys({ press: 'Backspace' });
  if (value) await sendKeys({ type: value });
  await form.updateComplete;
}

async function submit(form: ApiKeyForm) {
  $<HTMLButtonElement>(form, '[part~="submit-button"]').click();
  await form.updateComplete;
}

/** Submits and returns the event, answering it with `answer` (a promise the form waits for). */
async function submitAndCatch(form: ApiKeyForm, answer: Promise<unknown> = Promise.resolve()) {
  const event = new Promise<NasKeySubmitEvent>((resolve) =>
    form.addEventListener(
      'nas-key-submit',
      (e) => {
        e.waitUntil(answer);
        resolve(e);
      },
      { once: true },
    ),
  );
  await submit(form);
  return event;
}

/** Presses Tab until the focused element satisfies `check` (at most 20 times). */
async function tabUntil(check: (el: Element | null) => boolean) {
  for (let i = 0; i < 20 && !check(deepActiveElement()); i++) await sendKeys({ press: 'Tab' });
  expect(check(deepActiveElement()), 'reached by Tab').to.be.true;
}

function describedByTexts(form: ApiKeyForm, field: HTMLElement): string[] {
  return (field.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => text(form.shadowRoot!.getElementById(id)));
}

describe('<api-key-form>', () => {
  it('keeps the English expiry presets in reading order in a mirrored (right-to-left) layout', async () => {
    const { form } = await setup();
    form.dir = 'rtl';
    await form.updateComplete;
    const button = $$<HTMLButtonElement>(form, '[part~="presets"] button')[0]!;
    expect(text(button)).to.equal('30 days');
    const textNode = document.createTreeWalker(button, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.textContent?.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP) }).nextNode()!;
    const left = (from: number, to: number) => {
      const range = document.createRange();
      range.setStart(textNode, from);
      range.setEnd(textNode, to);
      return range.getBoundingClientRect().left;
    };
    expect(left(0, 2), '"30 days", not "days 30"').to.be.below(left(3, 7));
  });

  it('starts empty with the signed-in owner and non-expiring; accessible', async () => {
    const { form } = await setup();
    expect(input(form, '#name').value).to.equal('');
    expect(input(form, '#owner').value).to.equal('truenas_admin');
    expect(input(form, 'input[value="never"]').checked).to.be.true;
    expect(form.shadowRoot!.querySelector('#expires'), 'no date field while non-expiring').to.be.null;
    expect(form.shadowRoot!.querySelector('[part~="allowlist"]')).to.be.null;
    expect(form.shadowRoot!.querySelector('[part~="reset"]')).to.be.null;
    expect(text($(form, '[part~="submit-button"]'))).to.equal('Add key');
    await expect(form).to.be.accessible();
  });

  it('creates a key by keyboard alone: type, pick an owner, preset expiry, Enter', async () => {
    const { form } = await setup();
    form.focus(); // delegatesFocus: the name field
    expect(deepActiveElement()).to.equal(input(form, '#name'));
    await sendKeys({ type: 'ci-runner' });
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement()).to.equal(input(form, '#owner'));
    input(form, '#owner').select();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: 'bo' });
    await form.updateComplete;
    expect(input(form, '#owner').getAttribute('aria-expanded')).to.equal('true');
    expect($$(form, '[role="option"]').map((o) => text(o))).to.deep.equal(['bob Bob Builder']);
    await expect(form).to.be.accessible();
    await sendKeys({ press: 'ArrowDown' });
    await form.updateComplete;
    expect(input(form, '#owner').getAttribute('aria-activedescendant')).to.equal('owner-option-0');
    await sendKeys({ press: 'Enter' });
    await form.updateComplete;
    expect(input(form, '#owner').value).to.equal('bob');
    expect(input(form, '#owner').getAttribute('aria-expanded')).to.equal('false');

    // Tab to "Non-expiring", ArrowDown to "Expires on a date"
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'ArrowDown' });
    await form.updateComplete;
    expect(input(form, 'input[value="date"]').checked).to.be.true;
    // Tab on through the date field (several stops in Chromium) to the "90 days" preset.
    await tabUntil((el) => text(el) === '90 days');
    const before = Date.now();
    await sendKeys({ press: 'Enter' });
    await form.updateComplete;
    const expected = presetExpiry(90, before);
    expect(parseLocalDateTime(input(form, '#expires').value)).to.be.within(expected - 60_000, expected + 60_000);

    input(form, '#name').focus();
    const submitted = oneEvent<NasKeySubmitEvent>(form, 'nas-key-submit');
    await sendKeys({ press: 'Enter' });
    const { detail } = await submitted;
    expect(detail.mode).to.equal('create');
    if (detail.mode !== 'create') throw new Error('create expected');
    expect(detail.input.name).to.equal('ci-runner');
    expect(detail.input.username).to.equal('bob');
    expect(detail.input.expiresAt).to.be.within(expected - 60_000, expected + 60_000);
    expect(detail.input).not.to.have.property('allowlist');
  });

  it('shows validation errors on their fields with aria-invalid and aria-describedby (axe-clean)', async () => {
    const { form } = await setup();
    let submits = 0;
    form.addEventListener('nas-key-submit', () => submits++);
    await submit(form);
    const name = input(form, '#name');
    expect(name.getAttribute('aria-invalid')).to.equal('true');
    expect(describedByTexts(form, name)).to.include('Enter a name for the key.');
    expect(text($(form, '[part~="errors"]'))).to.equal('Fix 1 problem to continue.');
    expect(deepActiveElement()).to.equal(name);
    await expect(form).to.be.accessible();

    await type(form, '#name', 'x'.repeat(201));
    input(form, 'input[value="date"]').click();
    await form.updateComplete;
    input(form, '#expires').value = toLocalDateTime(Date.now() - DAY_MS);
    input(form, '#expires').dispatchEvent(new Event('input'));
    input(form, '#owner').value = 'mallory';
    input(form, '#owner').dispatchEvent(new Event('input'));
    await submit(form);
    expect(describedByTexts(form, name)).to.include('Use at most 200 characters (this name has 201).');
    expect(describedByTexts(form, input(form, '#expires'))).to.include('Choose a date and time in the future.');
    expect(describedByTexts(form, input(form, '#owner'))).to.include('No user named "mallory" can hold API keys. Choose one from the list.');
    expect(text($(form, '[part~="errors"]'))).to.equal('Fix 3 problems to continue.');
    expect(submits).to.equal(0);
    await expect(form).to.be.accessible();
  });

  it('checks the name is unique through the injected check (not for the unchanged name on edit)', async () => {
    const calls: Array<[string, number | undefined]> = [];
    const { form } = await setup({ edit: makeKey({ id: 9, name: 'mine' }) });
    form.nameTaken = async (name, exceptId) => {
      calls.push([name, exceptId]);
      return name === 'taken';
    };
    input(form, '#name').focus();
    input(form, '#name').blur();
    await form.updateComplete;
    expect(calls).to.deep.equal([]);
    await type(form, '#name', 'taken');
    input(form, '#name').blur();
    await waitUntil(() => input(form, '#name').getAttribute('aria-invalid') === 'true', 'taken shown');
    expect(calls).to.deep.equal([['taken', 9]]);
    expect(describedByTexts(form, input(form, '#name'))).to.include('A key with this name already exists. Choose another name.');
    let submits = 0;
    form.addEventListener('nas-key-submit', () => submits++);
    await submit(form);
    await form.updateComplete;
    expect(submits).to.equal(0);
    await type(form, '#name', 'free');
    const event = await submitAndCatch(form);
    expect(event.detail).to.deep.equal({ mode: 'edit', id: 9, input: { name: 'free', expiresAt: null, reset: false } });
  });

  it('keeps the owner fixed on edit and offers Reset (with the un-revoke hint on revoked keys)', async () => {
    const expires = Date.now() + 10 * DAY_MS;
    const { form } = await setup({ edit: makeKey({ id: 3, name: 'old', username: 'bob', revoked: true, expiresAt: expires }) });
    // Read-only as text, not a field that looks editable.
    const owner = $(form, '#owner');
    expect(owner.localName).not.to.equal('input');
    expect(text(owner)).to.equal('bob');
    expect(form.shadowRoot!.querySelector('[role="combobox"], [part~="owner-toggle"]')).to.be.null;
    expect(text(owner.parentElement)).to.contain('The owner of an existing key cannot be changed.');
    expect(text($(form, '#reset-hint'))).to.contain('the NAS does not say why');
    expect(input(form, 'input[value="date"]').checked).to.be.true;
    await expect(form).to.be.accessible();
    const reset = input(form, '[part~="reset"] input');
    reset.click();
    input(form, 'input[value="never"]').click();
    await form.updateComplete;
    expect(form.dirty).to.be.true;
    const event = await submitAndCatch(form);
    expect(event.detail).to.deep.equal({ mode: 'edit', id: 3, input: { name: 'old', expiresAt: null, reset: true } });
  });

  it('shows progress and blocks double submits until the host answers', async () => {
    const { form } = await setup();
    await type(form, '#name', 'once');
    let finish!: () => void;
    let submits = 0;
    form.addEventListener('nas-key-submit', () => submits++);
    await submitAndCatch(form, new Promise<void>((r) => (finish = r)));
    expect(form.busy).to.be.true;
    expect($(form, 'form').getAttribute('aria-busy')).to.equal('true');
    expect(text($(form, '[part~="submit-button"]'))).to.equal('Saving…');
    expect($(form, '[part~="submit-button"]').getAttribute('aria-disabled')).to.equal('true');
    await expect(form).to.be.accessible();
    await submit(form);
    input(form, '#name').focus();
    await sendKeys({ press: 'Enter' });
    expect(submits).to.equal(1);
    finish();
    await waitUntil(() => !form.busy, 'busy ends');
    expect(text($(form, '[part~="submit-button"]'))).to.equal('Add key');
  });

  it('puts NAS validation errors on the right field, others above the form', async () => {
    const { form } = await setup();
    await type(form, '#name', 'dup');
    const cases: Array<[FieldError[], string, string]> = [
      [[{ path: 'api_key_create.name', field: null, message: 'Object with this name already exists', errno: 22 }], '#name', 'Object with this name already exists'],
      [[{ path: 'api_key_create', field: null, message: 'name must be unique', errno: 22 }], '#name', 'name must be unique'],
      [[{ path: 'api_key_create', field: null, message: 'Expiration date is in the past', errno: 22 }], '#expires', 'Expiration date is in the past'],
      [
        [{ path: 'api_key_create.username', field: 'username', message: 'User already meets or exceeds maximum per-user API key limit of 10', errno: 22 }],
        '#owner',
        'User already meets or exceeds maximum per-user API key limit of 10',
      ],
      [[{ path: 'api_key_create', field: null, message: 'User lacks privilege role membership.', errno: 22 }], '#owner', 'User lacks privilege role membership.'],
    ];
    for (const [fieldErrors, selector, message] of cases) {
      if (selector === '#expires') {
        input(form, 'input[value="date"]').click();
        await form.updateComplete;
        input(form, '#expires').value = toLocalDateTime(Date.now() + DAY_MS);
        input(form, '#expires').dispatchEvent(new Event('input'));
      }
      await submitAndCatch(form, Promise.reject(new FieldProblem('[EINVAL] validation', fieldErrors)));
      await waitUntil(() => !form.busy, 'busy ends');
      await form.updateComplete;
      const field = input(form, selector);
      expect(field.getAttribute('aria-invalid'), selector).to.equal('true');
      expect(describedByTexts(form, field)).to.include(message);
      expect(form.shadowRoot!.querySelector('[part~="errors"]'), 'nothing above the form').to.be.null;
      expect(deepActiveElement()).to.equal(field);
      await expect(form).to.be.accessible();
    }

    await submitAndCatch(form, Promise.reject(new FieldProblem('x', [{ path: null, field: null, message: 'ApiKey 99 does not exist', errno: 2 }])));
    await waitUntil(() => form.shadowRoot!.querySelector('[part~="errors"]'), 'form-level error');
    expect(text($(form, '[part~="errors"]'))).to.equal('Problem saving the key: ApiKey 99 does not exist');
    expect(input(form, '#name').getAttribute('aria-invalid')).to.equal('false');

    await submitAndCatch(form, Promise.reject(new Error('Connection to the NAS was lost.')));
    await waitUntil(() => text(form.shadowRoot!.querySelector('[part~="errors"]')).includes('lost'), 'plain error');
    expect(text($(form, '[part~="errors"]'))).to.contain('Connection to the NAS was lost.');
    expect($(form, '[part~="errors"]').getAttribute('role')).to.equal('alert');
    await expect(form).to.be.accessible();
  });

  it('searches users through the injected search and merges the results', async () => {
    const { form } = await setup();
    const searched: string[] = [];
    form.searchUsers = async (q) => {
      searched.push(q);
      return [makeOwner('dave', { id: 80, fullName: 'Dave Directory', local: false })];
    };
    input(form, '#owner').select();
    input(form, '#owner').focus();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: 'da' });
    await waitUntil(() => $$(form, '[role="option"]').some((o) => text(o).includes('dave')), 'search result listed');
    expect(searched.at(-1)).to.equal('da');
    expect($$(form, '[role="option"]').map((o) => text(o))).to.deep.equal(['carol Carol Danvers', 'dave Dave Directory']);
    expect(text($(form, '[role="status"]'))).to.equal('2 users found');
    // Users without roles cannot hold keys and are never offered.
    await type(form, '#owner', 'nob');
    await waitUntil(() => searched.at(-1) === 'nob', 'searched again');
    await form.updateComplete;
    expect($$(form, '[role="option"]').map((o) => text(o))).to.deep.equal(['No matching users']);
  });

  it('owner combobox: the arrow and ArrowDown list every eligible user, typing filters, all by keyboard (ARIA 1.2)', async () => {
    const { form } = await setup();
    const owner = input(form, '#owner');
    const toggle = $<HTMLButtonElement>(form, '[part~="owner-toggle"]');
    expect(owner.getAttribute('role')).to.equal('combobox');
    expect(owner.getAttribute('aria-controls')).to.equal('owner-list');
    expect(toggle.getAttribute('tabindex'), 'the arrow is not a Tab stop (APG)').to.equal('-1');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(toggle.checkVisibility(), 'a visible dropdown arrow').to.be.true;
    const ownerBox = owner.getBoundingClientRect();
    const arrowBox = toggle.getBoundingClientRect();
    expect(arrowBox.right).to.be.at.most(ownerBox.right + 0.5);
    expect(arrowBox.left).to.be.greaterThan(ownerBox.left + ownerBox.width / 2);

    // The owner is "truenas_admin", yet opening lists everyone who may hold keys.
    toggle.click();
    await form.updateComplete;
    expect(owner.getAttribute('aria-expanded')).to.equal('true');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(deepActiveElement(), 'focus stays in the field').to.equal(owner);
    const all = ['bob Bob Builder', 'carol Carol Danvers', 'truenas_admin (you) Local Administrator'];
    expect($$(form, '[role="option"]').map((o) => text(o))).to.deep.equal(all);
    expect(owner.getAttribute('aria-activedescendant'), 'the current owner is active').to.equal('owner-option-2');
    await expect(form).to.be.accessible();
    toggle.click();
    await form.updateComplete;
    expect(owner.getAttribute('aria-expanded')).to.equal('false');

    // Keyboard alone: ArrowDown opens with all users, typing filters, arrows move, Enter picks.
    await sendKeys({ press: 'ArrowDown' });
    await form.updateComplete;
    expect($$(form, '[role="option"]').map((o) => text(o))).to.deep.equal(all);
    owner.select();
    await sendKeys({ type: 'car' });
    await form.updateComplete;
    expect($$(form, '[role="option"]').map((o) => text(o))).to.deep.equal(['carol Carol Danvers']);
    await sendKeys({ press: 'ArrowDown' });
    await form.updateComplete;
    expect(owner.getAttribute('aria-activedescendant')).to.equal('owner-option-0');
    await sendKeys({ press: 'Enter' });
    await form.updateComplete;
    expect(owner.value).to.equal('carol');
    expect(owner.getAttribute('aria-expanded')).to.equal('false');
    // Reopening shows everyone again, not just the match of the chosen name.
    await sendKeys({ press: 'ArrowDown' });
    await form.updateComplete;
    expect($$(form, '[role="option"]')).to.have.length(3);
    expect(owner.getAttribute('aria-activedescendant')).to.equal('owner-option-1');
  });

  it('asks the injected search for every user when the list opens', async () => {
    const { form } = await setup();
    form.users = [];
    const searched: string[] = [];
    form.searchUsers = async (q) => {
      searched.push(q);
      return USERS;
    };
    input(form, '#owner').focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => $$(form, '[role="option"]').length === 3, 'all users listed');
    expect(searched).to.deep.equal(['']);
  });

  it('writes the chosen expiry out in the page\'s language', async () => {
    const { form, wrapper } = await setup();
    input(form, 'input[value="date"]').click();
    await form.updateComplete;
    const at = Date.now() + 30 * DAY_MS;
    const field = input(form, '#expires');
    field.value = toLocalDateTime(at);
    field.dispatchEvent(new Event('input'));
    await form.updateComplete;
    const minute = Math.floor(at / 60_000) * 60_000;
    const readable = $(form, '[part~="expiry-readable"]');
    expect(text(readable)).to.equal(new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short' }).format(minute));
    expect(field.getAttribute('aria-describedby')).to.contain('expires-readable');
    wrapper.lang = 'de';
    form.lang = 'de';
    await form.updateComplete;
    expect(text(readable)).to.equal(new Intl.DateTimeFormat('de', { dateStyle: 'full', timeStyle: 'short' }).format(minute));
    await expect(form).to.be.accessible();
  });

  for (const lang of ['en', 'de']) {
    it(`fits narrow dialogs without sideways scrolling, modern and legacy (${lang})`, async () => {
      for (const caps of [MODERN, LEGACY]) {
        const { wrapper, form } = await setup({ caps, lang, edit: makeKey({ id: 4, name: 'narrow', username: 'bob', expiresAt: Date.now() + 5 * DAY_MS }) });
        for (const width of [256, 288, 600]) {
          wrapper.style.inlineSize = `${width}px`;
          await form.updateComplete;
          const root = $(form, 'form');
          expect(root.scrollWidth, `${width}px: no sideways scroll`).to.be.at.most(root.clientWidth);
          const box = wrapper.getBoundingClientRect();
          for (const el of form.shadowRoot!.querySelectorAll('input, select, button')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0) continue;
            expect(r.right, `${width}px: ${el.outerHTML.slice(0, 60)} inside`).to.be.at.most(box.right + 0.5);
          }
        }
      }
    });
  }

  it('closes the owner list on Esc without letting the Esc escape', async () => {
    const { wrapper, form } = await setup();
    let escaped = 0;
    wrapper.addEventListener('keydown', (e) => e.key === 'Escape' && escaped++);
    input(form, '#owner').focus();
    await sendKeys({ press: 'ArrowDown' });
    await form.updateComplete;
    expect(input(form, '#owner').getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Escape' });
    await form.updateComplete;
    expect(input(form, '#owner').getAttribute('aria-expanded')).to.equal('false');
    expect(escaped).to.equal(0);
    await sendKeys({ press: 'Escape' });
    expect(escaped).to.equal(1);
  });

  it('edits the allowlist on legacy hosts, by keyboard, with presets (no owner or expiry)', async () => {
    const { form } = await setup({ caps: LEGACY });
    expect(form.shadowRoot!.querySelector('#owner')).to.be.null;
    expect(form.shadowRoot!.querySelector('[part~="expiry"]')).to.be.null;
    const resources = () => $$<HTMLInputElement>(form, '[part~="allowlist"] input').map((i) => i.value);
    const methods = () => $$<HTMLSelectElement>(form, '[part~="allowlist"] select').map((s) => s.value);
    expect(methods()).to.deep.equal(['*']);
    expect(resources()).to.deep.equal(['*']);
    await expect(form).to.be.accessible();

    $(form, '#add-entry').focus();
    await sendKeys({ press: 'Enter' });
    await form.updateComplete;
    expect(resources()).to.deep.equal(['*', '']);
    expect(deepActiveElement()).to.equal($$(form, '[part~="allowlist"] input')[1]);
    expect(text($(form, '[role="status"]'))).to.equal('Entry 2 added.');
    await sendKeys({ type: 'zfs.snapshot.*' });
    await form.updateComplete;
    expect(methods()).to.deep.equal(['*', 'CALL']);

    // Remove the first entry with its button; focus moves to the next row's remove button.
    const firstRemove = $$<HTMLButtonElement>(form, '[part~="allowlist"] button.icon')[0]!;
    expect(firstRemove.getAttribute('aria-label')).to.equal('Remove entry 1');
    firstRemove.focus();
    await sendKeys({ press: 'Enter' });
    await form.updateComplete;
    expect(resources()).to.deep.equal(['zfs.snapshot.*']);
    expect(deepActiveElement()).to.equal($$(form, '[part~="allowlist"] button.icon')[0]);

    await type(form, '#name', 'legacy-ci');
    const event = await submitAndCatch(form);
    expect(event.detail).to.deep.equal({ mode: 'create', input: { name: 'legacy-ci', allowlist: [{ method: 'CALL', resource: 'zfs.snapshot.*' }] } });

    const presets = $$<HTMLButtonElement>(form, '[part~="allowlist"] [role="group"] button');
    presets[1]!.click();
    await form.updateComplete;
    expect(methods()).to.deep.equal(['CALL', 'CALL', 'CALL', 'GET', 'SUBSCRIBE']);
    presets[0]!.click();
    await form.updateComplete;
    expect(resources()).to.deep.equal(['*']);

    // An empty resource is caught before submit; a NAS error on a row lands on that row.
    $(form, '#add-entry').click();
    await form.updateComplete;
    await submit(form);
    const second = $$<HTMLInputElement>(form, '[part~="allowlist"] input')[1]!;
    expect(second.getAttribute('aria-invalid')).to.equal('true');
    expect(describedByTexts(form, second)).to.deep.equal(['Enter a resource, or * for any.']);
    await expect(form).to.be.accessible();
    second.value = 'system.info';
    second.dispatchEvent(new Event('input'));
    await submitAndCatch(
      form,
      Promise.reject(new FieldProblem('x', [{ path: 'api_key_create.allowlist.1.resource', field: 'allowlist', message: 'String should have at least 1 character', errno: 22 }])),
    );
    await waitUntil(() => second.getAttribute('aria-invalid') === 'true', 'row error placed');
    expect(describedByTexts(form, second)).to.deep.equal(['String should have at least 1 character']);
  });

  it('switches fields by capabilities, never by guessing', async () => {
    const { form } = await setup({ caps: null });
    expect(form.shadowRoot!.querySelector('#owner')).to.be.null;
    expect(form.shadowRoot!.querySelector('[part~="allowlist"]')).to.be.null;
    form.capabilities = LEGACY;
    await form.updateComplete;
    expect(form.shadowRoot!.querySelector('[part~="allowlist"]')).to.exist;
    form.capabilities = MODERN;
    await form.updateComplete;
    expect(form.shadowRoot!.querySelector('[part~="allowlist"]')).to.be.null;
    expect(form.shadowRoot!.querySelector('#owner')).to.exist;
  });

  it('emits cancel with the dirty state', async () => {
    const { form } = await setup();
    let event = oneEvent(form, 'nas-form-cancel');
    $(form, '[part~="cancel-button"]').click();
    expect((await event).detail.dirty).to.be.false;
    await type(form, '#name', 'changed');
    event = oneEvent(form, 'nas-form-cancel');
    $(form, '[part~="cancel-button"]').click();
    expect((await event).detail.dirty).to.be.true;
  });

  it('renders user names, full names and NAS messages as inert text', async () => {
    const { form } = await setup();
    form.users = PAYLOADS.map((p, i) => makeOwner(`u${i}${p}`, { id: 100 + i, fullName: p }));
    await type(form, '#owner', 'u');
    await form.updateComplete;
    expect($$(form, '[role="option"]').length).to.equal(PAYLOADS.length);
    expect(payloadsInert(form.shadowRoot!)).to.be.true;
    await type(form, '#name', 'n');
    form.users = USERS;
    await type(form, '#owner', 'bob');
    await submitAndCatch(form, Promise.reject(new FieldProblem('x', PAYLOADS.map((p) => ({ path: null, field: null, message: p, errno: 22 })))));
    await waitUntil(() => form.shadowRoot!.querySelector('[part~="errors"]'), 'errors shown');
    expect($$(form, '[part~="errors"] li').map((li) => li.textContent)).to.deep.equal(PAYLOADS);
    expect(payloadsInert(form.shadowRoot!)).to.be.true;
  });

  it('is axe-clean in the dark scheme, with errors shown', async () => {
    const { wrapper, form } = await setup();
    // A dark page: the form itself is transparent and sits on the page's canvas.
    wrapper.style.cssText = 'color-scheme: dark; background: Canvas';
    form.style.colorScheme = 'dark';
    await submit(form);
    expect(getComputedStyle(input(form, '#name')).backgroundColor, 'dark surface').to.equal('rgb(27, 30, 34)');
    await expect(form).to.be.accessible();
  });

  it('does not flag an untouched empty name when tabbing past it', async () => {
    const { form } = await setup();
    input(form, '#name').focus();
    await sendKeys({ press: 'Tab' });
    await form.updateComplete;
    expect(input(form, '#name').getAttribute('aria-invalid')).to.equal('false');
  });

  it('speaks German and lays out right-to-left', async () => {
    const { wrapper, form } = await setup({ lang: 'de' });
    wrapper.dir = 'rtl';
    await form.updateComplete;
    expect(text($(form, 'label[for="name"]'))).to.equal('Name');
    expect(text($(form, '[part~="submit-button"]'))).to.equal('Schlüssel hinzufügen');
    expect(text($(form, '[part~="expiry"] legend'))).to.equal('Ablauf');
    expect(getComputedStyle($(form, 'form')).direction).to.equal('rtl');
    const submitBox = $(form, '[part~="submit-button"]').getBoundingClientRect();
    const cancelBox = $(form, '[part~="cancel-button"]').getBoundingClientRect();
    expect(submitBox.left, 'footer runs right-to-left').to.be.lessThan(cancelBox.left);
    await submit(form);
    expect(text($(form, '[part~="errors"]'))).to.equal('Beheben Sie 1 Problem, um fortzufahren.');
    await expect(form).to.be.accessible();
  });
});

describe('form logic', () => {
  it('counts name length like TrueNAS (code points) and trims', () => {
    expect(checkName('   ')).to.deep.equal({ kind: 'required' });
    expect(checkName('🔑'.repeat(200))).to.equal(null);
    expect(checkName('🔑'.repeat(201))).to.deep.equal({ kind: 'tooLong', length: 201 });
  });

  it('round-trips datetime-local values in local time', () => {
    const at = new Date(2031, 4, 6, 7, 8).getTime();
    expect(toLocalDateTime(at)).to.equal('2031-05-06T07:08');
    expect(parseLocalDateTime('2031-05-06T07:08')).to.equal(at);
    expect(parseLocalDateTime('2031-05-06')).to.equal(null);
  });

  it('places errors by field, attribute path, schema-level message or row index', () => {
    const visible = new Set(['name', 'username', 'expiresAt'] as const);
    const placed = placeErrors(
      {
        fieldErrors: [
          { path: 'api_key_update.name', field: null, message: 'a', errno: 22 },
          { path: 'api_key_update', field: null, message: 'name must be unique', errno: 22 },
          { path: 'api_key_update.expires_at', field: null, message: 'b', errno: 22 },
          { path: 'api_key_update.allowlist', field: null, message: 'c', errno: 22 },
        ],
      },
      'fallback',
      visible,
    );
    expect(placed.fields).to.deep.equal({ name: 'a name must be unique', expiresAt: 'b' });
    expect(placed.form).to.deep.equal(['c']);
    expect(placeErrors(new Error(''), 'fallback', visible).form).to.deep.equal(['fallback']);
  });
});
