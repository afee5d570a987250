import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { css } from 'lit';
import type { NasKeyActionEvent } from '../events/key-action.js';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../define/api-key-manager.js';
import type { ApiKeyManager } from './api-key-manager.js';
import { ApiKeyTable as ApiKeyTableClass, rowKey, type ApiKeyTable } from '../api-key-table/api-key-table.js';
import type { ApiKeyForm } from '../api-key-form/api-key-form.js';
import type { KeyRevealDialog } from '../key-reveal-dialog/key-reveal-dialog.js';
import type { DeleteKeyDialog } from '../delete-key-dialog/delete-key-dialog.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { $, $$, deepActiveElement, focusSettles, PAYLOADS, payloadsInert, setPermissions, shiftTab, text } from '../internal/testing/dom.js';
import { LEGACY, makeKey } from '../testing/sample-keys.js';
import { MemoryKeyService } from '../testing/memory-service.js';
import type { ConnectionState } from '../model/api-key.js';
import { simCommand, startSim, stopSim, type SimInfo } from '../../test/helpers/sim.js';
import { TimeoutError, TrueNasClient } from '../client/index.js';
import { createTrueNasService } from '../client/service.js';

registerTranslation(de);

const SECRET_RE = /^\d+-[A-Za-z0-9]{64}$/;

function seed() {
  return [
    makeKey({ id: 1, name: 'backup-script', username: 'truenas_admin' }),
    makeKey({ id: 2, name: 'home-assistant', username: 'bob', revoked: true, revokedReason: 'Attempt to use over an insecure transport' }),
  ];
}

async function setup(service = new MemoryKeyService(undefined, seed()), lang = 'en') {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${lang}><api-key-manager .service=${service}></api-key-manager></div>`);
  const manager = wrapper.querySelector('api-key-manager')!;
  await waitUntil(() => !table(manager).loading && (table(manager).keys.length > 0 || table(manager).error), 'keys loaded');
  await manager.updateComplete;
  return { wrapper, manager, service };
}

const table = (m: ApiKeyManager) => $<ApiKeyTable>(m, 'api-key-table');
const reveal = (m: ApiKeyManager) => $<KeyRevealDialog>(m, 'key-reveal-dialog');
const deleteDialog = (m: ApiKeyManager) => $<DeleteKeyDialog>(m, 'delete-key-dialog');
const form = (m: ApiKeyManager) => $<ApiKeyForm>(m, 'api-key-form');
const formDialog = (m: ApiKeyManager) => $<HTMLDialogElement>(m, 'dialog.form-dialog');
const notices = (m: ApiKeyManager) => $$(m, '[part~="notice"]').map((n) => text(n.querySelector('span')));
const names = (m: ApiKeyManager) => table(m).keys.map((k) => k.name).sort();

/** The action button of the table row showing `name`. */
async function action(m: ApiKeyManager, name: string, kind: string): Promise<HTMLButtonElement> {
  const grid = table(m);
  await grid.updateComplete;
  const row = [...grid.shadowRoot!.querySelectorAll('.body [role="row"]')].find((r) => text(r.querySelector('[data-col="name"]')) === name);
  if (!row) throw new Error(`No row ${name}`);
  return row.querySelector<HTMLButtonElement>(`button[data-action="${kind}"]`)!;
}

async function typeInto(el: HTMLInputElement, value: string) {
  el.focus();
  el.select();
  await sendKeys({ press: 'Backspace' });
  await sendKeys({ type: value });
}

async function closeRevealAfterCopy(m: ApiKeyManager) {
  const dialog = reveal(m);
  const copied = oneEvent(dialog, 'nas-key-copy');
  $(dialog, '[part~="copy-button"]').click();
  await copied;
  const closed = oneEvent(dialog, 'nas-close');
  $(dialog, '[part~="close-button"]').click();
  await closed;
}

describe('<api-key-manager>', () => {
  before(() => setPermissions({ 'clipboard-read': 'granted', 'clipboard-write': 'granted' }));

  it('shows loading, then the keys; the API Docs link; accessible in both states', async () => {
    const service = new MemoryKeyService(undefined, seed());
    const release = service.hold('list');
    const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service}></api-key-manager></div>`);
    const manager = wrapper.querySelector('api-key-manager')!;
    await manager.updateComplete;
    expect(table(manager).loading).to.be.true;
    await expect(manager).to.be.accessible();
    release();
    await waitUntil(() => table(manager).keys.length === 2, 'keys shown');
    expect(table(manager).loading).to.be.false;
    const docs = $<HTMLAnchorElement>(manager, '[part~="docs-link"]');
    expect(docs.href).to.equal('https://nas.example/api/docs');
    expect(docs.target).to.equal('_blank');
    expect(docs.rel).to.contain('noopener');
    expect(text(docs)).to.equal('API Docs (opens in a new tab)');
    expect(service.listenerCount).to.equal(1);
    await expect(manager).to.be.accessible();
  });

  it('says a read that got no answer changed nothing: "try again", not "reload to check"', async () => {
    const service = new MemoryKeyService(undefined, seed());
    service.failNext('list', new TimeoutError('api_key.query', 30_000));
    const { manager } = await setup(service);
    expect(table(manager).error).to.equal('Could not load API keys: The NAS did not answer in time. Try again.');
    await expect(manager).to.be.accessible();
  });

  it('shows a load error with Retry, and recovers', async () => {
    const service = new MemoryKeyService(undefined, seed());
    service.failNext('list', new Error('Connection to nas.local was refused.'));
    const { manager } = await setup(service);
    expect(table(manager).error).to.equal('Could not load API keys: Connection to nas.local was refused.');
    await expect(manager).to.be.accessible();
    $(table(manager), '[part~="retry-button"]').click();
    await waitUntil(() => table(manager).keys.length === 2, 'reloaded');
    expect(table(manager).error).to.equal(null);
  });

  it('adds a key by keyboard alone and reveals it once; notices and focus follow', async () => {
    const { manager, service } = await setup();
    const add = $<HTMLButtonElement>(manager, '[part~="add-button"]');
    add.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => formDialog(manager).open, 'form open');
    await focusSettles((el) => el === $(form(manager), '#name'), 'name focused');
    expect(text($(manager, '#form-title'))).to.equal('Add API key');
    await expect(manager).to.be.accessible();
    await sendKeys({ type: 'ci-runner' });
    await sendKeys({ press: 'Enter' });

    await waitUntil(() => reveal(manager).open, 'key revealed');
    expect(formDialog(manager).open).to.be.false;
    const entry = reveal(manager).entry!;
    expect(entry.key.name).to.equal('ci-runner');
    expect(entry.secret).to.match(SECRET_RE);
    expect(service.calls.find((c) => c.method === 'create')!.args[0]).to.deep.equal({ name: 'ci-runner', username: 'truenas_admin', expiresAt: null });
    expect(names(manager)).to.include('ci-runner');
    // The toast waits for the dialog: under its backdrop it would be dimmed and never announced.
    expect(notices(manager), 'no toast behind the reveal dialog').to.deep.equal([]);
    expect($(manager, '[part~="notices"]').getAttribute('role')).to.equal('status');
    await expect(manager).to.be.accessible();

    await focusSettles((el) => el === $(reveal(manager), '[part~="copy-button"]'), 'copy focused');
    const copied = oneEvent(reveal(manager), 'nas-key-copy');
    await sendKeys({ press: 'Enter' });
    await copied;
    expect(await navigator.clipboard.readText()).to.equal(entry.secret);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !reveal(manager).open, 'reveal closed');
    expect(reveal(manager).entry).to.equal(null);
    await focusSettles((el) => el === add, 'focus back on Add');
    await waitUntil(() => notices(manager).length === 1, 'the toast shows once the dialog is closed');
    expect(notices(manager)).to.deep.equal(['API key "\u2068ci-runner\u2069" created.']);
  });

  it('gives a success toast that waited behind a dialog its full time once the dialog closes', async () => {
    const service = new MemoryKeyService(undefined, seed());
    const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service} .noticeDuration=${400}></api-key-manager></div>`);
    const manager = wrapper.querySelector('api-key-manager')!;
    manager.actions = ['quick-reset'];
    await waitUntil(() => table(manager).keys.length === 2, 'loaded');
    (await action(manager, 'backup-script', 'quick-reset')).click();
    await waitUntil(() => reveal(manager).open, 'key revealed');
    // Longer than the toast's time: it must not have used it up behind the dialog.
    await aTimeout(700);
    expect(notices(manager)).to.deep.equal([]);
    await closeRevealAfterCopy(manager);
    await waitUntil(() => notices(manager).length === 1, 'toast after close');
    expect(notices(manager)[0]).to.contain('backup-script');
    await aTimeout(200);
    expect(notices(manager).length, 'still there half-way through its time').to.equal(1);
    await waitUntil(() => notices(manager).length === 0, 'then it leaves');
  });

  it('edits a key from the table by keyboard (grid → Enter → action) and confirms with a notice', async () => {
    const { manager, service } = await setup();
    table(manager).focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' }); // first row's first action: Details (the host reports usage), then Edit
    await sendKeys({ press: 'ArrowRight' });
    const row = (await action(manager, 'backup-script', 'edit'));
    await focusSettles((el) => el === row, 'Edit focused');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => formDialog(manager).open, 'form open');
    expect(form(manager).mode).to.equal('edit');
    expect(text($(manager, '#form-title'))).to.equal('Edit API key "\u2068backup-script\u2069"');
    await typeInto($(form(manager), '#name'), 'backup-nightly');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !formDialog(manager).open, 'form closed');
    expect(service.calls.find((c) => c.method === 'update')!.args).to.deep.equal([1, { name: 'backup-nightly', expiresAt: null }]);
    expect(names(manager)).to.deep.equal(['backup-nightly', 'home-assistant']);
    expect(notices(manager)).to.deep.equal(['API key "\u2068backup-nightly\u2069" updated.']);
    expect(reveal(manager).open, 'no secret without reset').to.be.false;
    await focusSettles((el) => table(manager).shadowRoot!.contains(el), 'focus back in the table');
  });

  it('resets a revoked key through the form (un-revokes it) and reveals the new secret', async () => {
    const { manager, service } = await setup();
    (await action(manager, 'home-assistant', 'reset')).click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    const resetBox = $<HTMLInputElement>(form(manager), '[part~="reset"] input');
    expect(resetBox.checked, 'Reset pre-ticked').to.be.true;
    expect(text($(form(manager), '#reset-hint'))).to.contain('Revoked for use over an unencrypted connection');
    $(form(manager), '[part~="submit-button"]').click();
    await waitUntil(() => reveal(manager).open, 'revealed');
    expect(text($(reveal(manager), '#title'))).to.equal('API key reset');
    expect(service.calls.filter((c) => c.method === 'update')).to.have.length(0);
    expect(service.calls.find((c) => c.method === 'reset')!.args).to.deep.equal([2]);
    expect(table(manager).keys.find((k) => k.id === 2)!.revoked).to.be.false;
    await closeRevealAfterCopy(manager);
    await waitUntil(() => notices(manager).length === 1, 'the toast once the dialog closed');
    expect(notices(manager)).to.deep.equal(['API key "\u2068home-assistant\u2069" reset.']);
  });

  it('edits and resets in one call: the rename goes with the reset, which returns the secret', async () => {
    const { manager, service } = await setup();
    (await action(manager, 'backup-script', 'edit')).click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    await typeInto($(form(manager), '#name'), 'renamed');
    $<HTMLInputElement>(form(manager), '[part~="reset"] input').click();
    $(form(manager), '[part~="submit-button"]').click();
    await waitUntil(() => reveal(manager).open, 'revealed');
    expect(service.calls.filter((c) => c.method === 'update' || c.method === 'reset').map((c) => [c.method, ...c.args])).to.deep.equal([
      ['reset', 1, { name: 'renamed', expiresAt: null }],
    ]);
    expect(reveal(manager).entry!.key.name).to.equal('renamed');
    await closeRevealAfterCopy(manager);
  });

  it('quick-resets straight to the reveal dialog, and reports a failed reset as an error notice', async () => {
    const service = new MemoryKeyService(undefined, seed());
    const { manager } = await setup(service);
    manager.actions = ['edit', 'quick-reset', 'delete'];
    await manager.updateComplete;
    (await action(manager, 'backup-script', 'quick-reset')).click();
    await waitUntil(() => reveal(manager).open, 'revealed');
    expect(reveal(manager).entry!.secret).to.match(/^1-/);
    await closeRevealAfterCopy(manager);

    service.failNext('reset', new Error('ApiKey 1 does not exist'));
    (await action(manager, 'backup-script', 'quick-reset')).click();
    await waitUntil(() => notices(manager).length === 2, 'error notice');
    expect(notices(manager)[1]).to.equal('Problem resetting "\u2068backup-script\u2069": ApiKey 1 does not exist');
    expect($$(manager, '[part~="notice-error"]')).to.have.length(1);
    await expect(manager).to.be.accessible();
    $$<HTMLButtonElement>(manager, '[part~="dismiss-button"]')[1]!.click();
    await manager.updateComplete;
    expect(notices(manager)).to.have.length(1);
  });

  it('reports the state read back after a reset: a key whose owner is gone stays revoked, with advice, never "usable"', async () => {
    const gone = makeKey({ id: 3, name: 'departed', username: null, userIdentifier: 'S-1-5-21-1', revoked: true, revokedReason: 'User does not exist' });
    const { manager } = await setup(new MemoryKeyService(undefined, [...seed(), gone]));
    (await action(manager, 'departed', 'reset')).click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    const hint = text($(form(manager), '#reset-hint'));
    expect(hint).to.contain('no longer exists');
    expect(hint).not.to.contain('usable again');
    $(form(manager), '[part~="submit-button"]').click();
    await waitUntil(() => reveal(manager).open, 'revealed: the new secret still reaches the user');
    await closeRevealAfterCopy(manager);
    await waitUntil(() => notices(manager).length === 1, 'the toast once the dialog closed');
    expect(notices(manager)).to.deep.equal(['API key "\u2068departed\u2069" reset. It is still revoked: its owner no longer exists on the NAS, so nothing restores it. Delete it, or create a key for an existing user.']);
    expect($$(manager, '[part~="notice-error"]')).to.have.length(1);
    // An insecure-use revocation is rescued by the reset: a plain success.
    (await action(manager, 'home-assistant', 'reset')).click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    expect(text($(form(manager), '#reset-hint'))).to.contain('makes it usable again');
    $(form(manager), '[part~="submit-button"]').click();
    await waitUntil(() => reveal(manager).open, 'revealed');
    await closeRevealAfterCopy(manager);
    await waitUntil(() => notices(manager).length === 2, 'the second toast once the dialog closed');
    expect(notices(manager)[1]).to.equal('API key "\u2068home-assistant\u2069" reset.');
  });

  it('an expiry edit of a revoked key is reported as still revoked', async () => {
    const { manager } = await setup();
    (await action(manager, 'home-assistant', 'edit')).click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    expect(text($(form(manager), '#reset-hint'))).to.contain('an edit does not');
    await typeInto($(form(manager), '#name'), 'home-assistant-2');
    $(form(manager), '[part~="submit-button"]').click();
    await waitUntil(() => notices(manager).length === 1, 'notice');
    expect(notices(manager)[0]).to.contain('It is still revoked: TrueNAS revoked it for use over an unencrypted connection.');
    expect($$(manager, '[part~="notice-error"]')).to.have.length(1);
  });

  it('lets the host page take a row action over by cancelling the re-dispatched nas-key-action', async () => {
    const { manager, service } = await setup();
    manager.actions = ['edit', 'quick-reset', 'delete'];
    await manager.updateComplete;
    const seen: Array<{ action: string; cancelable: boolean }> = [];
    const takeOver = (event: NasKeyActionEvent) => {
      seen.push({ action: event.detail.action, cancelable: event.cancelable });
      if (event.detail.action === 'quick-reset') event.preventDefault();
    };
    manager.addEventListener('nas-key-action', takeOver);
    (await action(manager, 'backup-script', 'quick-reset')).click();
    await aTimeout(50);
    expect(seen, 'the host sees one cancelable request').to.deep.equal([{ action: 'quick-reset', cancelable: true }]);
    expect(service.calls.some((c) => c.method === 'reset'), 'the manager did not reset').to.be.false;
    expect(reveal(manager).open).to.be.false;
    (await action(manager, 'backup-script', 'edit')).click();
    await waitUntil(() => formDialog(manager).open, 'an action the host lets through still opens the form');
    manager.removeEventListener('nas-key-action', takeOver);
  });

  it('deletes after the Confirm tick; the row goes and focus stays in the table', async () => {
    const { manager, service } = await setup();
    (await action(manager, 'home-assistant', 'delete')).click();
    await waitUntil(() => deleteDialog(manager).open, 'delete dialog');
    const dialog = deleteDialog(manager);
    expect(text($(dialog, '[part~="message"]'))).to.contain('Delete the API key "\u2068home-assistant\u2069"?');
    $<HTMLInputElement>(dialog, 'input[type="checkbox"]').click();
    await dialog.updateComplete;
    await expect(manager).to.be.accessible();
    $(dialog, '[part~="delete-button"]').click();
    await waitUntil(() => !dialog.open, 'closed');
    expect(service.keys.has(2)).to.be.false;
    expect(names(manager)).to.deep.equal(['backup-script']);
    expect(notices(manager)).to.deep.equal(['API key "\u2068home-assistant\u2069" deleted.']);
    await focusSettles((el) => el !== null && table(manager).shadowRoot!.contains(el), 'focus in the table');
  });

  it('keeps the delete dialog open with the NAS error when deleting fails', async () => {
    const { manager, service } = await setup();
    service.failNext('delete', new Error('ApiKey 2 does not exist'));
    (await action(manager, 'home-assistant', 'delete')).click();
    await waitUntil(() => deleteDialog(manager).open, 'delete dialog');
    const dialog = deleteDialog(manager);
    $<HTMLInputElement>(dialog, 'input[type="checkbox"]').click();
    await dialog.updateComplete;
    $(dialog, '[part~="delete-button"]').click();
    await waitUntil(() => dialog.shadowRoot!.querySelector('[role="alert"]'), 'error shown');
    expect(text($(dialog, '[role="alert"]'))).to.equal('The key was not deleted: ApiKey 2 does not exist');
    expect(names(manager)).to.deep.equal(['backup-script', 'home-assistant']);
  });

  it('places NAS validation errors from the service on the form fields', async () => {
    const { manager, service } = await setup();
    // Another client took the name after we loaded the list: only the NAS can tell.
    service.keys.set(9, makeKey({ id: 9, name: 'taken-elsewhere' }));
    $(manager, '[part~="add-button"]').click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    await typeInto($(form(manager), '#name'), 'taken-elsewhere');
    $(form(manager), '[part~="submit-button"]').click();
    await waitUntil(() => $(form(manager), '#name').getAttribute('aria-invalid') === 'true', 'error placed');
    expect(text(form(manager).shadowRoot!.getElementById('name-error'))).to.equal('name must be unique');
    expect(formDialog(manager).open).to.be.true;
    expect(reveal(manager).open).to.be.false;
    await expect(manager).to.be.accessible();
  });

  it('asks before discarding a changed form; Esc on an unchanged form just closes', async () => {
    const { manager } = await setup();
    const add = $<HTMLButtonElement>(manager, '[part~="add-button"]');
    add.click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !formDialog(manager).open, 'closed');

    add.click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    await focusSettles((el) => el === $(form(manager), '#name'), 'name focused');
    await sendKeys({ type: 'half-done' });
    await sendKeys({ press: 'Escape' });
    await manager.updateComplete;
    expect(text($(manager, '#form-title'))).to.equal('Discard changes?');
    await focusSettles((el) => el === $(manager, '[part~="keep-editing-button"]'), 'Keep editing focused');
    await expect(manager).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await manager.updateComplete;
    expect($<HTMLInputElement>(form(manager), '#name').value, 'nothing lost').to.equal('half-done');
    await sendKeys({ press: 'Escape' });
    await manager.updateComplete;
    $(manager, '[part~="discard-button"]').click();
    await waitUntil(() => !formDialog(manager).open, 'discarded');
    await focusSettles((el) => el === add, 'focus back on Add');
  });

  it('keeps Tab inside the form dialog across the form\'s shadow root', async () => {
    const { manager } = await setup();
    $(manager, '[part~="add-button"]').click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    const name = $(form(manager), '#name');
    const submit = $(form(manager), '[part~="submit-button"]');
    submit.focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActiveElement(), 'Tab from the last control wraps to the first').to.equal(name);
    await shiftTab();
    expect(deepActiveElement(), 'Shift+Tab from the first wraps to the last').to.equal(submit);
  });

  it('applies live changes from the service', async () => {
    const { manager, service } = await setup();
    service.emit({ type: 'added', key: makeKey({ id: 5, name: 'from-elsewhere' }) });
    await manager.updateComplete;
    expect(names(manager)).to.deep.equal(['backup-script', 'from-elsewhere', 'home-assistant']);
    service.emit({ type: 'changed', key: makeKey({ id: 5, name: 'renamed-elsewhere' }) });
    await manager.updateComplete;
    expect(names(manager)).to.include('renamed-elsewhere');
    service.emit({ type: 'removed', id: 1 });
    await manager.updateComplete;
    expect(names(manager)).to.deep.equal(['home-assistant', 'renamed-elsewhere']);
    manager.remove();
    expect(service.listenerCount, 'unsubscribed on disconnect').to.equal(0);
  });

  it('offers the allowlist editor on legacy hosts', async () => {
    const service = new MemoryKeyService(LEGACY, [makeKey({ id: 1, name: 'old', username: null, userIdentifier: null, local: null, allowlist: [{ method: '*', resource: '*' }] })], null);
    const { manager } = await setup(service);
    $(manager, '[part~="add-button"]').click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    expect(form(manager).shadowRoot!.querySelector('[part~="allowlist"]')).to.exist;
    expect(form(manager).shadowRoot!.querySelector('#owner')).to.be.null;
    await typeInto($(form(manager), '#name'), 'legacy');
    $(form(manager), '[part~="submit-button"]').click();
    await waitUntil(() => reveal(manager).open, 'revealed');
    expect(service.calls.find((c) => c.method === 'create')!.args[0]).to.deep.equal({ name: 'legacy', allowlist: [{ method: '*', resource: '*' }] });
    await expect(manager).to.be.accessible();
    await closeRevealAfterCopy(manager);
  });

  it('keeps key names, usernames and revoke reasons inert', async () => {
    const keys = PAYLOADS.map((p, i) => makeKey({ id: i + 1, name: `${p}#${i}`, username: p, revoked: true, revokedReason: p }));
    const { manager } = await setup(new MemoryKeyService(undefined, keys));
    expect(payloadsInert(manager.shadowRoot!)).to.be.true;
    (await action(manager, `${PAYLOADS[0]}#0`, 'delete')).click();
    await waitUntil(() => deleteDialog(manager).open, 'dialog');
    $<HTMLInputElement>(deleteDialog(manager), 'input[type="checkbox"]').click();
    await deleteDialog(manager).updateComplete;
    $(deleteDialog(manager), '[part~="delete-button"]').click();
    await waitUntil(() => notices(manager).length === 1, 'notice');
    expect(notices(manager)[0]).to.equal(`API key "\u2068${PAYLOADS[0]}#0\u2069" deleted.`);
    expect(payloadsInert(manager.shadowRoot!)).to.be.true;
  });

  it('speaks German and lays out right-to-left', async () => {
    const { wrapper, manager } = await setup(undefined, 'de');
    wrapper.dir = 'rtl';
    await manager.updateComplete;
    expect(text($(manager, '[part~="title"]'))).to.equal('API-Schlüssel');
    expect(text($(manager, '[part~="add-button"]'))).to.equal('Hinzufügen');
    const toolbar = $(manager, '[part~="toolbar"]');
    expect(getComputedStyle(toolbar).direction).to.equal('rtl');
    expect($(manager, '[part~="title"]').getBoundingClientRect().left, 'title on the right').to.be.greaterThan(
      $(manager, '[part~="add-button"]').getBoundingClientRect().left,
    );
    $(manager, '[part~="add-button"]').click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    expect(text($(manager, '#form-title'))).to.equal('API-Schlüssel hinzufügen');
    await expect(manager).to.be.accessible();
  });

  it('never says "No API keys yet" while loading or after a failed load: the error, Retry; the empty state offers Add', async () => {
    const service = new MemoryKeyService(undefined, []);
    service.failNext('list', new Error('Connection to nas.local was refused.'));
    const release = service.hold('list');
    const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service}></api-key-manager></div>`);
    const manager = wrapper.querySelector('api-key-manager')!;
    await manager.updateComplete;
    await table(manager).updateComplete;
    expect(text(table(manager).shadowRoot!.querySelector('[part~="base"]'))).not.to.contain('No API keys yet');
    expect(text(table(manager).shadowRoot!.querySelector('[part~="base"]'))).to.contain('Loading API keys');
    release();
    await waitUntil(() => table(manager).error !== null, 'error shown');
    await table(manager).updateComplete;
    const shown = text(table(manager).shadowRoot!.querySelector('[part~="base"]'));
    expect(shown).to.contain('Could not load API keys: Connection to nas.local was refused.');
    expect(shown).not.to.contain('No API keys yet');
    expect($(manager, '[part~="empty-add-button"]').checkVisibility(), 'no Add in the error state').to.be.false;
    await expect(manager).to.be.accessible();

    $(table(manager), '[part~="retry-button"]').click();
    await waitUntil(() => !table(manager).loading && table(manager).error === null, 'reloaded');
    await table(manager).updateComplete;
    expect(text(table(manager).shadowRoot!.querySelector('[part~="message"]'))).to.contain('No API keys yet.');
    const addFirst = $<HTMLButtonElement>(manager, '[part~="empty-add-button"]');
    expect(addFirst.checkVisibility()).to.be.true;
    expect(text(addFirst)).to.equal('Add a key');
    await expect(manager).to.be.accessible();
    addFirst.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => formDialog(manager).open, 'form open from the empty state');
    await focusSettles((el) => el === $(form(manager), '#name'), 'name focused');
  });

  it('shows success as a transient toast that never pushes the table down; errors stay until dismissed', async () => {
    const service = new MemoryKeyService(undefined, seed());
    const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service} .noticeDuration=${300}></api-key-manager></div>`);
    const manager = wrapper.querySelector('api-key-manager')!;
    manager.actions = ['quick-reset', 'delete'];
    await waitUntil(() => table(manager).keys.length === 2, 'loaded');
    const top = table(manager).getBoundingClientRect().top;

    service.failNext('reset', new Error('The NAS refused.'));
    (await action(manager, 'home-assistant', 'quick-reset')).click();
    await waitUntil(() => notices(manager).length === 1, 'error toast');
    expect(notices(manager)[0]).to.contain('Problem resetting');
    expect(table(manager).getBoundingClientRect().top, 'the table stays where it was').to.equal(top);

    (await action(manager, 'backup-script', 'delete')).click();
    await waitUntil(() => deleteDialog(manager).open, 'delete dialog');
    $<HTMLInputElement>(deleteDialog(manager), 'input[type="checkbox"]').click();
    await deleteDialog(manager).updateComplete;
    $(deleteDialog(manager), '[part~="delete-button"]').click();
    await waitUntil(() => notices(manager).length === 2, 'success toast');
    expect($(manager, '[part~="notices"]').getAttribute('role')).to.equal('status');
    expect(table(manager).getBoundingClientRect().top).to.equal(top);
    await expect(manager).to.be.accessible();

    await waitUntil(() => notices(manager).length === 1, 'the success toast leaves by itself');
    expect(notices(manager)[0], 'the error stays').to.contain('Problem resetting');
    const dismiss = $<HTMLButtonElement>(manager, '[part~="dismiss-button"]');
    dismiss.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => notices(manager).length === 0, 'dismissed');
  });

  it('says a create that got no answer did not finish, in the page language, without method names', async () => {
    const { manager, service } = await setup();
    for (const [lang, expected] of [
      ['en', 'Problem saving the key: The NAS did not answer in time. It may still carry out the request; reload to check.'],
      ['de', 'Problem beim Speichern des Schlüssels: Das NAS hat nicht rechtzeitig geantwortet.'],
    ] as const) {
      manager.setAttribute('lang', lang);
      service.failNext('create', new TimeoutError('api_key.create', 30_000, false));
      $(manager, '[part~="add-button"]').click();
      await waitUntil(() => formDialog(manager).open, 'form open');
      await typeInto($(form(manager), '#name'), `slow-${lang}`);
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => form(manager).shadowRoot!.querySelector('[part~="errors"]'), 'error shown');
      const shown = text($(form(manager), '[part~="errors"]'));
      expect(shown.startsWith(expected), shown).to.be.true;
      expect(shown).not.to.match(/api_key\.create|did not accept|nicht angenommen/);
      await expect(manager).to.be.accessible();
      $(form(manager), '[part~="cancel-button"]').click();
      await waitUntil(() => manager.shadowRoot!.querySelector('[part~="discard-button"]'), 'asks to discard');
      $(manager, '[part~="discard-button"]').click();
      await waitUntil(() => !formDialog(manager).open, 'form closed');
    }
  });

  it('keeps a success toast while the pointer is on it', async () => {
    // Two managers: the second one's toast is the clock that proves the first outlived its time.
    const a = new MemoryKeyService(undefined, seed());
    const b = new MemoryKeyService(undefined, seed());
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <api-key-manager id="a" .service=${a} .noticeDuration=${300}></api-key-manager>
      <api-key-manager id="b" .service=${b} .noticeDuration=${300}></api-key-manager>
      <style>
        #b::part(notices) {
          inset-block: 0 auto;
        }
      </style>
    </div>`);
    const [first, clock] = [...wrapper.querySelectorAll('api-key-manager')] as [ApiKeyManager, ApiKeyManager];
    await waitUntil(() => table(first).keys.length === 2 && table(clock).keys.length === 2, 'loaded');
    const remove = async (m: ApiKeyManager) => {
      (await action(m, 'backup-script', 'delete')).click();
      await waitUntil(() => deleteDialog(m).open, 'delete dialog');
      $<HTMLInputElement>(deleteDialog(m), 'input[type="checkbox"]').click();
      await deleteDialog(m).updateComplete;
      $(deleteDialog(m), '[part~="delete-button"]').click();
      await waitUntil(() => notices(m).length === 1, 'toast');
    };
    await remove(first);
    const toast = $(first, '[part~="notice"]').getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(toast.left + 10), Math.round(toast.top + toast.height / 2)] });
    await remove(clock);
    await waitUntil(() => notices(clock).length === 0, 'the clock toast left');
    expect(notices(first), 'still there under the pointer').to.have.length(1);
    await sendMouse({ type: 'move', position: [0, 0] });
    await waitUntil(() => notices(first).length === 0, 'gone once the pointer left');
  });

  it('highlights a changed row and scrolls it into view; passes columns-key to the table', async () => {
    // Enough keys that a new one lands below the fold of a short manager.
    const keys = Array.from({ length: 60 }, (_, i) => makeKey({ id: i + 1, name: `key-${String(i + 1).padStart(2, '0')}` }));
    const service = new MemoryKeyService(undefined, keys);
    const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service} columns-key="nas-columns:test"></api-key-manager></div>`);
    const manager = wrapper.querySelector('api-key-manager')!;
    await waitUntil(() => table(manager).keys.length === 60, 'loaded');
    expect(table(manager).columnsKey).to.equal('nas-columns:test');
    const highlighted = () => [...table(manager).shadowRoot!.querySelectorAll('[data-highlight]')].map((r) => text(r.querySelector('[data-col="name"]')));

    (await action(manager, 'key-01', 'edit')).click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    await typeInto($(form(manager), '#name'), 'key-01-renamed');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => highlighted().length === 1, 'highlighted after the edit');
    expect(highlighted()).to.deep.equal(['key-01-renamed']);
    expect(table(manager).shadowRoot!.querySelector('[data-highlight]')!.getAttribute('part')).to.contain('row-highlight');

    $(manager, '[part~="add-button"]').click();
    await waitUntil(() => formDialog(manager).open, 'form open');
    await typeInto($(form(manager), '#name'), 'zz-new-one');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => reveal(manager).open, 'revealed');
    expect(highlighted(), 'not behind the reveal dialog').not.to.include('zz-new-one');
    await closeRevealAfterCopy(manager);
    await waitUntil(() => highlighted().includes('zz-new-one'), 'highlighted once the key was kept');
    const row = table(manager).shadowRoot!.querySelector('[data-highlight]')!.getBoundingClientRect();
    expect(row.top, 'scrolled into view').to.be.at.least(0);
    expect(row.bottom).to.be.at.most(window.innerHeight);
    await expect(manager).to.be.accessible();
  });

  it('shows the connection state live, reloads when the connection is back, and hides it for services without one', async () => {
    class WatchedService extends MemoryKeyService {
      state: ConnectionState = 'connecting';
      readonly watchers = new Set<(state: ConnectionState) => void>();
      watchConnection(listener: (state: ConnectionState) => void): () => void {
        this.watchers.add(listener);
        listener(this.state);
        return () => this.watchers.delete(listener);
      }
      set(state: ConnectionState): void {
        this.state = state;
        for (const w of this.watchers) w(state);
      }
    }
    const service = new WatchedService(undefined, seed());
    const { manager } = await setup(service);
    const indicator = () => manager.shadowRoot!.querySelector<HTMLElement>('[data-connection-state]');
    expect(indicator()!.dataset['connectionState']).to.equal('connecting');
    expect(text(indicator())).to.equal('Connecting…');
    expect(indicator()!.getAttribute('role')).to.equal('status');
    for (const [state, label] of [
      ['signed-in', 'Signed in'],
      ['reconnecting', 'Reconnecting…'],
      ['offline', 'Offline'],
    ] as const) {
      service.set(state);
      await manager.updateComplete;
      expect(indicator()!.dataset['connectionState']).to.equal(state);
      expect(text(indicator())).to.equal(label);
      await expect(manager).to.be.accessible();
    }
    const lists = service.calls.filter((c) => c.method === 'list').length;
    service.set('signed-in');
    await waitUntil(() => service.calls.filter((c) => c.method === 'list').length === lists + 1, 'reloaded when back online');
    manager.lang = 'de';
    await manager.updateComplete;
    expect(text(indicator())).to.equal('Angemeldet');
    manager.remove();
    expect(service.watchers.size, 'unsubscribed on disconnect').to.equal(0);

    const plain = await setup();
    expect(plain.manager.shadowRoot!.querySelector('[data-connection-state]')).to.be.null;
  });

  for (const lang of ['en', 'de']) {
    it(`keeps Add and search visible without sideways scrolling from 320 px up (${lang})`, async () => {
      class WatchedService extends MemoryKeyService {
        watchConnection(listener: (state: ConnectionState) => void): () => void {
          listener('reconnecting');
          return () => {};
        }
      }
      const { wrapper, manager } = await setup(new WatchedService(undefined, seed()), lang);
      for (const width of [320, 375, 600, 800, 1280]) {
        wrapper.style.inlineSize = `${width}px`;
        await manager.updateComplete;
        const box = wrapper.getBoundingClientRect();
        // The manager's own parts (the table's inside is the table's own test).
        const toolbar = $(manager, '[part~="toolbar"]');
        expect(toolbar.scrollWidth, `${width}px: the toolbar does not scroll sideways`).to.be.at.most(toolbar.clientWidth);
        expect(toolbar.getBoundingClientRect().right, `${width}px: the toolbar fits`).to.be.at.most(box.right + 0.5);
        expect(table(manager).getBoundingClientRect().width, `${width}px: the table gets no more than the width`).to.be.at.most(box.width + 0.5);
        expect(manager.scrollWidth, `${width}px: the whole manager does not scroll sideways`).to.be.at.most(manager.clientWidth);
        for (const [what, el] of [
          ['Add', $(manager, '[part~="add-button"]')],
          ['search', $(table(manager), 'input[type="search"], input[part~="search"]')],
        ] as const) {
          const r = el.getBoundingClientRect();
          expect(r.width, `${what} at ${width}px has room`).to.be.greaterThan(0);
          expect(r.left, `${what} at ${width}px starts inside`).to.be.at.least(box.left - 0.5);
          expect(r.right, `${what} at ${width}px ends inside`).to.be.at.most(box.right + 0.5);
        }
      }
    });
  }

  describe('through createTrueNasService against the simulator', () => {
    let sim: SimInfo;
    let client: TrueNasClient;
    before(async () => {
      sim = await startSim({ profile: '25.10' });
      client = new TrueNasClient({ url: sim.url });
      await client.connect();
      // Loopback simulator: plain ws:// is how `npm start` runs it too.
      await client.login({ type: 'password', username: sim.admin.username, password: sim.admin.password, allowInsecureTransport: true });
    });
    after(async () => {
      await client?.close();
      if (sim) await stopSim(sim);
    });

    it('shows the real connection state: signed in, reconnecting after a dropped socket, signed in again with what changed meanwhile', async () => {
      const service = createTrueNasService(client);
      const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service}></api-key-manager></div>`);
      const manager = wrapper.querySelector('api-key-manager')!;
      await waitUntil(() => !table(manager).loading && table(manager).capabilities !== null, 'loaded', { timeout: 5000 });
      const indicator = () => manager.shadowRoot!.querySelector<HTMLElement>('[data-connection-state]');
      expect(indicator()?.dataset['connectionState']).to.equal('signed-in');
      expect(text(indicator())).to.equal('Signed in');
      const seen: string[] = [];
      const observer = new MutationObserver(() => {
        const state = indicator()?.dataset['connectionState'];
        if (state && seen.at(-1) !== state) seen.push(state);
      });
      observer.observe(manager.shadowRoot!, { subtree: true, attributes: true, attributeFilter: ['data-connection-state'] });
      try {
        await simCommand(sim, 'drop');
        await waitUntil(() => seen.includes('reconnecting'), 'reconnecting shown', { timeout: 5000 });
        await waitUntil(() => indicator()?.dataset['connectionState'] === 'signed-in', 'signed in again', { timeout: 10_000 });
        expect(seen[0]).to.equal('reconnecting');
        await expect(manager).to.be.accessible();
      } finally {
        observer.disconnect();
      }
    });

    it('lists, creates (revealing the real secret) and deletes keys on the NAS', async () => {
      const service = createTrueNasService(client);
      const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service}></api-key-manager></div>`);
      const manager = wrapper.querySelector('api-key-manager')!;
      await waitUntil(() => !table(manager).loading && table(manager).capabilities !== null, 'loaded', { timeout: 5000 });
      const before = table(manager).keys.length;
      expect($<HTMLAnchorElement>(manager, '[part~="docs-link"]').href).to.equal(`${sim.url}/api/docs`);

      $(manager, '[part~="add-button"]').click();
      await waitUntil(() => formDialog(manager).open, 'form open');
      await waitUntil(() => $<HTMLInputElement>(form(manager), '#owner').value === sim.admin.username, 'owner defaults to the signed-in user');
      await typeInto($(form(manager), '#name'), 'from-the-manager');
      $(form(manager), '[part~="submit-button"]').click();
      await waitUntil(() => reveal(manager).open, 'revealed', { timeout: 5000 });
      const { key, secret } = reveal(manager).entry!;
      expect(secret).to.match(SECRET_RE);
      expect(secret.startsWith(`${key.id}-`)).to.be.true;
      expect(key.username).to.equal(sim.admin.username);
      await closeRevealAfterCopy(manager);
      await waitUntil(() => table(manager).keys.length === before + 1, 'row added');

      (await action(manager, 'from-the-manager', 'delete')).click();
      await waitUntil(() => deleteDialog(manager).open, 'delete dialog');
      $<HTMLInputElement>(deleteDialog(manager), 'input[type="checkbox"]').click();
      await deleteDialog(manager).updateComplete;
      $(deleteDialog(manager), '[part~="delete-button"]').click();
      await waitUntil(() => !deleteDialog(manager).open, 'deleted', { timeout: 5000 });
      expect(table(manager).keys.map((k) => k.name)).not.to.include('from-the-manager');
      const onNas = await client.apiKeys.query([], {});
      expect(onNas.map((k) => k.name)).not.to.include('from-the-manager');
      expect(deepActiveElement()).to.exist;
    });
  });
});

describe('<api-key-manager> lang and dir reach the nested elements', () => {
  const headerLabel = (m: ApiKeyManager) => text(table(m).shadowRoot!.querySelector('[data-col="username"] .sort-label'));
  const deleteTitle = (m: ApiKeyManager) => text(deleteDialog(m).shadowRoot!.querySelector('h2'));
  const direction = (el: Element) => getComputedStyle(el).direction;

  async function nested(manager: ApiKeyManager) {
    await manager.updateComplete;
    await table(manager).updateComplete;
    await deleteDialog(manager).show(table(manager).keys[0]);
    await deleteDialog(manager).updateComplete;
  }

  for (const path of ['property', 'attribute'] as const) {
    it(`follows lang and dir set by ${path} on the manager, and a later change`, async () => {
      const { manager } = await setup();
      const set = (name: 'lang' | 'dir', value: string) => (path === 'property' ? (manager[name] = value) : manager.setAttribute(name, value));
      set('lang', 'de');
      set('dir', 'rtl');
      await nested(manager);
      expect(headerLabel(manager)).to.equal(de['table.column.username']);
      expect(deleteTitle(manager)).to.equal(de['delete.title']);
      expect(direction(table(manager).shadowRoot!.querySelector('[role="columnheader"]')!)).to.equal('rtl');
      expect(direction(deleteDialog(manager).shadowRoot!.querySelector('dialog')!)).to.equal('rtl');
      set('lang', 'en');
      set('dir', 'ltr');
      await nested(manager);
      expect(headerLabel(manager)).to.equal('Username');
      expect(deleteTitle(manager)).to.equal('Delete API key');
      expect(direction(table(manager).shadowRoot!.querySelector('[role="columnheader"]')!)).to.equal('ltr');
      expect(direction(deleteDialog(manager).shadowRoot!.querySelector('dialog')!)).to.equal('ltr');
    });
  }

  it("follows a wrapper's lang attribute when it changes", async () => {
    const { wrapper, manager } = await setup();
    wrapper.setAttribute('lang', 'de');
    await aTimeout(0);
    await nested(manager);
    expect(headerLabel(manager)).to.equal(de['table.column.username']);
    expect(deleteTitle(manager)).to.equal(de['delete.title']);
  });

  it('opens sorted by initialSort, marked on its header; a header click replaces it', async () => {
    const service = new MemoryKeyService(undefined, [makeKey({ id: 1, name: 'zeta' }), makeKey({ id: 2, name: 'alpha' })]);
    const { manager } = await setup(service);
    manager.initialSort = { field: 'name', direction: 'asc' };
    await manager.updateComplete;
    await table(manager).updateComplete;
    const header = () => table(manager).shadowRoot!.querySelector('[role="columnheader"][data-col="name"]')!;
    const rows = () => [...table(manager).shadowRoot!.querySelectorAll('.body [role="row"] [data-col="name"]')].map((c) => text(c));
    expect(header().getAttribute('aria-sort')).to.equal('ascending');
    expect(text(header().querySelector('[part~="sort-indicator"]'))).to.equal('▲');
    expect(rows()).to.deep.equal(['alpha', 'zeta']);
    header().querySelector('button')!.click();
    await table(manager).updateComplete;
    manager.initialSort = { field: 'name', direction: 'asc' };
    manager.requestUpdate();
    await manager.updateComplete;
    await table(manager).updateComplete;
    expect(header().getAttribute('aria-sort')).to.equal('descending');
    expect(rows()).to.deep.equal(['zeta', 'alpha']);
  });
});

describe('<api-key-manager> theming from the page', () => {
  /** `exportparts` of an element as inner → outer names. */
  const exported = (el: Element) =>
    new Map(
      (el.getAttribute('exportparts') ?? '')
        .split(',')
        .map((entry) => entry.split(':').map((s) => s.trim()))
        .filter(([inner]) => inner)
        .map(([inner, outer]) => [inner!, outer ?? inner!]),
    );
  /** Every part token rendered in an element's own shadow root. */
  const rendered = (el: Element) => new Set([...el.shadowRoot!.querySelectorAll('[part]')].flatMap((node) => node.getAttribute('part')!.split(/\s+/).filter(Boolean)));
  const missing = (el: Element) => [...rendered(el)].filter((part) => !exported(el).has(part));

  it('re-exports every part its table, form and dialogs render, so the page styles them through the manager', async () => {
    const { manager } = await setup();
    const style = document.createElement('style');
    style.textContent = `
      api-key-manager::part(status-badge) { outline: 3px solid rgb(200, 0, 0); }
      api-key-manager::part(form-submit-button) { outline: 3px solid rgb(0, 200, 0); }
      api-key-manager::part(delete-delete-button) { outline: 3px solid rgb(0, 0, 200); }
      api-key-manager::part(reveal-secret) { outline: 3px solid rgb(200, 200, 0); }`;
    document.head.append(style);
    try {
      const grid = table(manager);
      await grid.updateComplete;
      expect(missing(grid), 'table parts not exported').to.deep.equal([]);
      expect(getComputedStyle($(grid, '[part~="status-badge"]')).outlineColor).to.equal('rgb(200, 0, 0)');
      // The table's conditional parts: a selected and a highlighted row, no match, a load error.
      grid.selectable = true;
      grid.selected = [rowKey(grid.keys[0]!)];
      await grid.highlight(grid.keys[1]!.id);
      await grid.updateComplete;
      expect(missing(grid), 'selected and highlighted rows').to.deep.equal([]);
      grid.search = 'no key is called this';
      await grid.updateComplete;
      expect($$(grid, '[part~="clear-filters-button"]').length, 'the no-match state renders').to.equal(1);
      expect(missing(grid), 'the no-match state').to.deep.equal([]);
      grid.search = '';
      grid.error = 'The NAS did not answer.';
      await grid.updateComplete;
      expect($$(grid, '[part~="retry-button"]').length, 'the error state renders').to.equal(1);
      expect(missing(grid), 'the error state').to.deep.equal([]);
      grid.error = null;
      grid.selectable = false;
      await grid.updateComplete;

      $(manager, '[part~="add-button"]').click();
      await waitUntil(() => formDialog(manager).open, 'form open');
      await form(manager).updateComplete;
      expect(missing(form(manager)), 'form parts not exported').to.deep.equal([]);
      expect(getComputedStyle($(form(manager), '[part~="submit-button"]')).outlineColor).to.equal('rgb(0, 200, 0)');
      $(form(manager), '[part~="cancel-button"]').click();
      await waitUntil(() => !formDialog(manager).open, 'form closed');

      const dialog = deleteDialog(manager);
      await dialog.show(grid.keys[0]);
      expect(missing(dialog), 'delete dialog parts not exported').to.deep.equal([]);
      expect(getComputedStyle($(dialog, '[part~="delete-button"]')).outlineColor).to.equal('rgb(0, 0, 200)');
      $(dialog, '[part~="cancel-button"]').click();
      await waitUntil(() => !$<HTMLDialogElement>(dialog, 'dialog').open, 'delete dialog closed');

      const shown = reveal(manager);
      await shown.show({ key: grid.keys[0]!, secret: `1-${'a'.repeat(64)}` });
      expect(missing(shown), 'reveal dialog parts not exported').to.deep.equal([]);
      expect(getComputedStyle($(shown, '[part~="secret"]')).outlineColor).to.equal('rgb(200, 200, 0)');
      // Closing before copying asks first: that view's parts too.
      $(shown, '[part~="close-button"]').click();
      await waitUntil(() => shown.shadowRoot!.querySelector('[part~="discard-button"]'), 'the close confirmation');
      expect(missing(shown), 'the reveal confirmation').to.deep.equal([]);
    } finally {
      style.remove();
    }
  });

  it("inherits the page's color-scheme (dark, then light; none renders light like the page)", async () => {
    const page = document.documentElement;
    page.style.colorScheme = 'dark';
    try {
      const { manager } = await setup();
      expect(getComputedStyle(manager).colorScheme).to.equal('dark');
      expect(getComputedStyle(table(manager)).colorScheme, 'nested elements too').to.equal('dark');
      expect(getComputedStyle(manager).color, 'the dark text default').to.equal('rgb(230, 232, 235)');
      page.style.colorScheme = 'light';
      expect(getComputedStyle(manager).colorScheme, 'a switch on <html> is followed at once').to.equal('light');
      expect(getComputedStyle(manager).color).to.equal('rgb(27, 31, 36)');
      page.style.colorScheme = 'light dark';
      expect(getComputedStyle(table(manager)).colorScheme, 'a page that supports both: the OS decides').to.equal('light dark');
      page.style.removeProperty('color-scheme');
      expect(getComputedStyle(manager).colorScheme, 'no page scheme: normal, as the page').to.equal('normal');
    } finally {
      page.style.removeProperty('color-scheme');
    }
  });

  it('keeps every component in one cascade layer, so a subclass restyles it without specificity games', async () => {
    for (const name of ['api-key-manager', 'api-key-table', 'api-key-form', 'key-reveal-dialog', 'delete-key-dialog', 'nas-column-organizer']) {
      const element = customElements.get(name) as unknown as { elementStyles: Array<{ cssText?: string }> };
      expect(element.elementStyles.length, `${name}: one sheet`).to.equal(1);
      expect(element.elementStyles[0]!.cssText, name).to.match(/^@layer nas-component \{/);
    }
    const Table = customElements.get('api-key-table')!;
    class ThemedTable extends (Table as typeof ApiKeyTableClass) {
      static override styles = [ApiKeyTableClass.styles, css`button { color: rgb(1, 2, 3); }`];
    }
    customElements.define('themed-key-table', ThemedTable);
    const themed = await fixture<ApiKeyTableClass>(html`<themed-key-table .keys=${seed()}></themed-key-table>`);
    expect(getComputedStyle($(themed, '[part~="columns-button"]')).color).to.equal('rgb(1, 2, 3)');
  });
});
