/**
 * <api-key-manager> with issue 12's usage, sessions and scoped keys, against MemoryKeyService
 * (its fake usage/sessions and injectable scoped-key failures; no other doubles).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../define/api-key-manager.js';
import type { ApiKeyManager } from './api-key-manager.js';
import type { ApiKeyTable } from '../api-key-table/api-key-table.js';
import type { ApiKeyForm } from '../api-key-form/api-key-form.js';
import type { KeyRevealDialog } from '../key-reveal-dialog/key-reveal-dialog.js';
import type { DeleteKeyDialog } from '../delete-key-dialog/delete-key-dialog.js';
import type { ScopedKeyForm } from '../scoped-key-form/scoped-key-form.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { $, $$, deepActiveElement, focusSettles, setPermissions, text } from '../internal/testing/dom.js';
import { LEGACY, MODERN, makeKey } from '../testing/sample-keys.js';
import { MemoryKeyService } from '../testing/memory-service.js';
import type { HostCapabilities } from '../model/api-key.js';
import type { ScopedStepKind } from '../model/scoped-key.js';
import { SCOPED_EXPORTPARTS } from './nested-parts.js';

registerTranslation(de);

const SECRET_RE = /^\d+-[A-Za-z0-9]{64}$/;

/** Ids 2 and 4 have a last use; 3 has two open sessions, 6 one (MemoryInsights.seedKey). */
function seed() {
  return [
    makeKey({ id: 1, name: 'backup-script', username: 'truenas_admin' }),
    makeKey({ id: 2, name: 'grafana', username: 'bob' }),
    makeKey({ id: 3, name: 'home-assistant', username: 'bob' }),
    makeKey({ id: 6, name: 'zabbix', username: 'truenas_admin' }),
  ];
}

async function setup(caps: HostCapabilities = MODERN, lang = 'en', configure?: (s: MemoryKeyService) => void) {
  const service = new MemoryKeyService(caps, caps.userLinkedKeys ? seed() : seed().map((k) => ({ ...k, username: null, userIdentifier: null, local: null, expiresAt: null, allowlist: [{ method: '*' as const, resource: '*' }] })));
  configure?.(service);
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${lang}><api-key-manager .service=${service}></api-key-manager></div>`);
  const manager = wrapper.querySelector('api-key-manager')!;
  await waitUntil(() => !table(manager).loading && table(manager).keys.length > 0, 'keys loaded');
  if (caps.keyUsage) await waitUntil(() => table(manager).usage !== null && table(manager).sessions !== null, 'usage loaded');
  await manager.updateComplete;
  await table(manager).updateComplete;
  return { wrapper, manager, service };
}

const table = (m: ApiKeyManager) => $<ApiKeyTable>(m, 'api-key-table');
const reveal = (m: ApiKeyManager) => $<KeyRevealDialog>(m, 'key-reveal-dialog');
const deleteDialog = (m: ApiKeyManager) => $<DeleteKeyDialog>(m, 'delete-key-dialog');
const form = (m: ApiKeyManager) => $<ApiKeyForm>(m, 'api-key-form');
const scoped = (m: ApiKeyManager) => $<ScopedKeyForm>(m, 'scoped-key-form');
const notices = (m: ApiKeyManager) => $$(m, '[part~="notice"]').map((n) => text(n.querySelector('span')));
const headers = (m: ApiKeyManager) => $$(table(m), '[role="columnheader"]').map((h) => h.dataset['col']);
const calls = (s: MemoryKeyService, method: string) => s.calls.filter((c) => c.method === method).length;

function row(m: ApiKeyManager, name: string): HTMLElement {
  const found = $$(table(m), '.body [role="row"]').find((r) => text(r.querySelector('[data-col="name"]')) === name);
  if (!found) throw new Error(`No row ${name}`);
  return found;
}

async function closeReveal(m: ApiKeyManager) {
  const dialog = reveal(m);
  const copied = oneEvent(dialog, 'nas-key-copy');
  $(dialog, '[part~="copy-button"]').click();
  await copied;
  const closed = oneEvent(dialog, 'nas-close');
  $(dialog, '[part~="close-button"]').click();
  await closed;
}

describe('<api-key-manager> usage, sessions and scoped keys (issue 12)', () => {
  before(() => setPermissions({ 'clipboard-read': 'granted', 'clipboard-write': 'granted' }));
  beforeEach(() => setViewport({ width: 1400, height: 900 }));
  after(() => setViewport({ width: 800, height: 600 }));

  it('reads usage and sessions with one call each per refresh and shows Access, Last used and Sessions', async () => {
    const { manager, service } = await setup();
    expect(calls(service, 'keyUsage')).to.equal(1);
    expect(calls(service, 'allKeySessions')).to.equal(1);
    expect(calls(service, 'keySessions')).to.equal(0);
    expect(headers(manager)).to.include.members(['access', 'lastUsed', 'sessions']);
    expect(text(row(manager, 'backup-script').querySelector('[data-col="access"]'))).to.contain('Full admin');
    expect(text(row(manager, 'grafana').querySelector('[data-col="access"]'))).to.contain('Read-only');
    expect(text(row(manager, 'home-assistant').querySelector('[data-col="sessions"] [part~="sessions-count"]'))).to.equal('2');
    expect(text(row(manager, 'grafana').querySelector('[data-col="lastUsed"]'))).to.match(/192\.168\.1\.\d+/);
    expect(text(row(manager, 'backup-script').querySelector('[data-col="lastUsed"]'))).to.contain('Not seen in 7 days');
    await manager.reload();
    await waitUntil(() => calls(service, 'keyUsage') === 2, 'second refresh');
    expect(calls(service, 'allKeySessions')).to.equal(2);
    await expect(manager).to.be.accessible();
  });

  it('Details (keyboard): the last use and the open sessions with address and since when; focus returns', async () => {
    const { manager } = await setup();
    const button = row(manager, 'home-assistant').querySelector<HTMLButtonElement>('button[data-action="details"]')!;
    expect(button).to.exist;
    button.click();
    const dialog = $<HTMLDialogElement>(manager, 'dialog.details-dialog');
    await waitUntil(() => dialog.open, 'details open');
    await focusSettles((el) => el?.getAttribute('part') === 'details-close-button', 'close focused');
    const sessions = $$(manager, '[part~="details-sessions"] li').map(text);
    expect(sessions).to.have.length(2);
    expect(sessions[0]).to.match(/^192\.168\.1\.20:\d+ — since /);
    expect(text($(manager, '[part~="details-last-used"]'))).to.contain('has no sign-in with this key');
    await expect(manager).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'details closed');
    // The grafana row: a last use with its address.
    row(manager, 'grafana').querySelector<HTMLButtonElement>('button[data-action="details"]')!.click();
    await waitUntil(() => dialog.open, 'details open again');
    expect(text($(manager, '[part~="details-last-used"]'))).to.match(/from \u2068?192\.168\.1\.\d+/);
    expect(text($(manager, '[part~="details-sessions"]'))).to.equal('None.');
  });

  it('on 22.02-like hosts without audit or key sessions: no calls, no columns, no scoped action', async () => {
    const old: HostCapabilities = { ...LEGACY, version: '22.02.4', keyUsage: false, keySessions: false, endSessions: false };
    const { manager, service } = await setup(old);
    expect(calls(service, 'keyUsage')).to.equal(0);
    expect(calls(service, 'allKeySessions')).to.equal(0);
    expect(headers(manager)).to.not.include.members(['lastUsed']);
    expect(headers(manager)).to.not.include('sessions');
    expect(manager.shadowRoot!.querySelector('[part~="scoped-button"]')).to.equal(null);
  });

  it('without the audit and session roles: a note says so, the columns are hidden, keys still work', async () => {
    const { manager } = await setup(MODERN, 'en', (s) => (s.insights.permitted = false));
    const notes = $$(table(manager), '[part~="insight-note"]').map(text);
    expect(notes.join(' ')).to.contain('may not read the audit log');
    expect(notes.join(' ')).to.contain('may not list sessions');
    expect(headers(manager)).to.not.include('lastUsed');
    expect(headers(manager)).to.not.include('sessions');
    await expect(manager).to.be.accessible();
  });

  it('a failing usage call degrades to a note with the reason', async () => {
    const { manager } = await setup(MODERN, 'en', (s) => s.failNext('keyUsage', new Error('audit.query timed out')));
    expect($$(table(manager), '[part~="insight-note"]').map(text).join(' ')).to.contain('audit.query timed out');
    expect(headers(manager)).to.include('sessions');
  });

  it('delete offers to end the open sessions (ticked), ends them and says how many', async () => {
    const { manager, service } = await setup();
    row(manager, 'home-assistant').querySelector<HTMLButtonElement>('button[data-action="delete"]')!.click();
    const dialog = deleteDialog(manager);
    await dialog.updateComplete;
    const end = $<HTMLInputElement>(dialog, 'input[name="end-sessions"]');
    expect(end.checked).to.be.true;
    expect(text($(dialog, '[part~="end-sessions"]'))).to.contain('End its 2 open sessions').and.contain('keeps sessions opened with a deleted or reset key alive');
    await expect(dialog).to.be.accessible();
    $<HTMLInputElement>(dialog, '[part~="confirm"] input').click();
    await dialog.updateComplete;
    const closed = oneEvent(dialog, 'nas-close');
    $(dialog, '[part~="delete-button"]').click();
    await closed;
    await waitUntil(() => notices(manager).length > 0, 'notice');
    expect(notices(manager)[0]).to.contain('deleted').and.contain('2 open sessions ended.');
    expect(service.calls.filter((c) => c.method === 'endKeySessions').map((c) => c.args[0])).to.deep.equal([3]);
    expect(service.insights.sessions.get(3)).to.deep.equal([]);
  });

  it('delete with the box cleared leaves the sessions open and says so', async () => {
    const { manager, service } = await setup();
    row(manager, 'home-assistant').querySelector<HTMLButtonElement>('button[data-action="delete"]')!.click();
    const dialog = deleteDialog(manager);
    await dialog.updateComplete;
    $<HTMLInputElement>(dialog, 'input[name="end-sessions"]').click();
    $<HTMLInputElement>(dialog, '[part~="confirm"] input').click();
    await dialog.updateComplete;
    const closed = oneEvent(dialog, 'nas-close');
    $(dialog, '[part~="delete-button"]').click();
    await closed;
    await waitUntil(() => notices(manager).length > 0, 'notice');
    expect(notices(manager)[0]).to.contain('Its 2 open sessions were left open.');
    expect(calls(service, 'endKeySessions')).to.equal(0);
    expect(service.insights.sessions.get(3)).to.have.length(2);
  });

  it('delete of a key without sessions, or where sessions cannot be ended, does not offer it', async () => {
    const { manager } = await setup();
    row(manager, 'backup-script').querySelector<HTMLButtonElement>('button[data-action="delete"]')!.click();
    await deleteDialog(manager).updateComplete;
    expect(deleteDialog(manager).shadowRoot!.querySelector('input[name="end-sessions"]')).to.equal(null);
    await deleteDialog(manager).hide();
    const noEnd = await setup({ ...MODERN, endSessions: false });
    row(noEnd.manager, 'home-assistant').querySelector<HTMLButtonElement>('button[data-action="delete"]')!.click();
    await deleteDialog(noEnd.manager).updateComplete;
    expect(deleteDialog(noEnd.manager).shadowRoot!.querySelector('input[name="end-sessions"]')).to.equal(null);
  });

  it('reset offers to end the sessions; the result says how many were ended', async () => {
    const { manager, service } = await setup();
    row(manager, 'home-assistant').querySelector<HTMLButtonElement>('button[data-action="reset"]')!.click();
    await waitUntil(() => manager.shadowRoot!.querySelector('api-key-form'), 'form');
    const f = form(manager);
    await f.updateComplete;
    const end = $<HTMLInputElement>(f, 'input[name="end-sessions"]');
    expect(end.checked).to.be.true;
    await expect(f).to.be.accessible();
    $<HTMLButtonElement>(f, '[part~="submit-button"]').click();
    await waitUntil(() => reveal(manager).open, 'secret shown');
    expect(calls(service, 'endKeySessions')).to.equal(1);
    await closeReveal(manager);
    expect(notices(manager).join(' ')).to.contain('reset.').and.contain('2 open sessions ended.');
  });

  it('quick reset offers to end the sessions in a toast that stays; using it ends them and says how many', async () => {
    const service = new MemoryKeyService(MODERN, seed());
    const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service} .actions=${['quick-reset', 'delete']}></api-key-manager></div>`);
    const manager = wrapper.querySelector('api-key-manager')!;
    await waitUntil(() => table(manager).sessions !== null, 'sessions loaded');
    await table(manager).updateComplete;
    row(manager, 'home-assistant').querySelector<HTMLButtonElement>('button[data-action="quick-reset"]')!.click();
    await waitUntil(() => reveal(manager).open, 'secret shown');
    await closeReveal(manager);
    await waitUntil(() => manager.shadowRoot!.querySelector('[part~="notice-offer-button"]'), 'offer');
    expect(notices(manager).join(' ')).to.contain('Its 2 open sessions, opened with the old secret, are still open.');
    expect(calls(service, 'endKeySessions')).to.equal(0);
    await expect(manager).to.be.accessible();
    const offer = $<HTMLButtonElement>(manager, '[part~="notice-offer-button"]');
    expect(text(offer)).to.equal('End its 2 open sessions');
    offer.click();
    await waitUntil(() => notices(manager).some((n) => n.includes('2 open sessions ended.')), 'ended');
    expect(calls(service, 'endKeySessions')).to.equal(1);
  });

  it('the scoped-key flow, keyboard only: purpose, name, review of the plan, create, the secret once', async () => {
    const { manager, service } = await setup();
    const button = $<HTMLButtonElement>(manager, '[part~="scoped-button"]');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => manager.shadowRoot!.querySelector('scoped-key-form'), 'scoped form');
    const f = scoped(manager);
    await focusSettles((el) => el instanceof HTMLInputElement && el.name === 'purpose', 'purpose focused');
    await expect(manager).to.be.accessible();
    // Read-only → Snapshots with the arrow key, then Tab to the name.
    await sendKeys({ press: 'ArrowDown' });
    await f.updateComplete;
    expect((deepActiveElement() as HTMLInputElement).value).to.equal('snapshots');
    await sendKeys({ press: 'Tab' });
    expect((deepActiveElement() as HTMLInputElement).name).to.equal('name');
    await sendKeys({ type: 'snap-bot' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => f.shadowRoot!.querySelector('[part~="review"]'), 'review shown');
    await focusSettles((el) => el?.id === 'review-title', 'review title focused');
    const steps = $$(f, '[part~="review-steps"] li').map(text);
    expect(steps).to.have.length(4);
    expect(steps[0]).to.contain('Create the group').and.contain('svc-snap-bot-grp');
    expect(steps[1]).to.contain('privilege').and.contain('SNAPSHOT_WRITE, SNAPSHOT_DELETE, SNAPSHOT_TASK_WRITE');
    expect(steps[2]).to.contain('svc-snap-bot').and.contain('password login disabled, no SMB, shell /usr/sbin/nologin');
    expect(steps[3]).to.contain('API key').and.contain('snap-bot');
    expect(calls(service, 'createScopedKey')).to.equal(0);
    await expect(manager).to.be.accessible();
    const create = $<HTMLButtonElement>(f, '[part~="create-button"]');
    create.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => reveal(manager).open, 'secret shown');
    expect(reveal(manager).entry?.secret).to.match(SECRET_RE);
    expect(reveal(manager).entry?.key.username).to.equal('svc-snap-bot');
    await closeReveal(manager);
    expect(notices(manager).join(' ')).to.contain('Scoped API key').and.contain('(Snapshots)').and.contain('svc-snap-bot');
    expect(table(manager).keys.map((k) => k.name)).to.include('snap-bot');
  });

  for (const step of ['create-group', 'create-privilege', 'create-user', 'create-key'] as ScopedStepKind[]) {
    for (const undoFails of [false, true]) {
      it(`a failing ${step}${undoFails ? ' whose undo fails too' : ''} names the step and the undo result, and creates nothing visible`, async () => {
        const { manager, service } = await setup();
        service.insights.scopedFault = { step, reason: 'Out of memory', undoFails };
        $<HTMLButtonElement>(manager, '[part~="scoped-button"]').click();
        await waitUntil(() => manager.shadowRoot!.querySelector('scoped-key-form'), 'scoped form');
        const f = scoped(manager);
        await f.updateComplete;
        $<HTMLInputElement>(f, 'input[value="replication"]').click();
        const name = $<HTMLInputElement>(f, 'input[name="name"]');
        name.value = 'repl-bot';
        name.dispatchEvent(new Event('input'));
        $<HTMLButtonElement>(f, '[part~="review-button"]').click();
        await waitUntil(() => f.shadowRoot!.querySelector('[part~="create-button"]'), 'review');
        const before = table(manager).keys.length;
        $<HTMLButtonElement>(f, '[part~="create-button"]').click();
        await waitUntil(() => f.shadowRoot!.querySelector('[part~="failure"]'), 'failure shown');
        const failure = text($(f, '[part~="failure"]'));
        const index = ['create-group', 'create-privilege', 'create-user', 'create-key'].indexOf(step);
        expect(failure).to.contain(`Step ${index + 1} of 4 failed`).and.contain('Out of memory');
        if (undoFails && index > 0) expect(failure).to.contain('Still on the NAS');
        else expect(failure).to.contain('nothing of this key is left on the NAS');
        expect(failure).to.contain('go Back and review again');
        expect(f.shadowRoot!.querySelector('[part~="create-button"]'), 'no retry of a stale plan').to.equal(null);
        expect(reveal(manager).open).to.be.false;
        expect(table(manager).keys.length).to.equal(before);
        expect(notices(manager).join(' ')).to.not.contain('created');
        await expect(f).to.be.accessible();
        // Every part the form renders is re-exported by the manager.
        const exported = new Set(SCOPED_EXPORTPARTS.split(', ').map((p) => p.split(':')[0]));
        for (const node of f.shadowRoot!.querySelectorAll('[part]')) for (const part of node.getAttribute('part')!.split(' ')) expect(exported.has(part), part).to.be.true;
      });
    }
  }

  it('custom roles: search filters, a refused role is shown disabled with the reason, the plan lists the picked roles', async () => {
    const { manager } = await setup();
    $<HTMLButtonElement>(manager, '[part~="scoped-button"]').click();
    await waitUntil(() => manager.shadowRoot!.querySelector('scoped-key-form'), 'scoped form');
    const f = scoped(manager);
    await f.updateComplete;
    $<HTMLInputElement>(f, 'input[value="custom"]').click();
    await waitUntil(() => f.shadowRoot!.querySelector('input[name="role"]'), 'roles');
    // The service leaves refused roles out; none of them is offered.
    expect($$<HTMLInputElement>(f, 'input[name="role"]').map((i) => i.value)).to.not.include('API_KEY_WRITE');
    expect(text($(f, '#roles-note'))).to.contain('API_KEY_WRITE is never given');
    const search = $<HTMLInputElement>(f, 'input[name="role-search"]');
    search.value = 'pool';
    search.dispatchEvent(new Event('input'));
    await f.updateComplete;
    // By name, or by a role it includes (READONLY_ADMIN includes POOL_READ).
    expect($$<HTMLInputElement>(f, 'input[name="role"]').map((i) => i.value)).to.deep.equal(['READONLY_ADMIN', 'POOL_READ', 'POOL_SCRUB_WRITE']);
    $<HTMLInputElement>(f, 'input[value="POOL_SCRUB_WRITE"]').click();
    const name = $<HTMLInputElement>(f, 'input[name="name"]');
    name.value = 'scrubber';
    name.dispatchEvent(new Event('input'));
    $<HTMLButtonElement>(f, '[part~="review-button"]').click();
    await waitUntil(() => f.shadowRoot!.querySelector('[part~="review"]'), 'review');
    expect(text($(f, '[part~="review"]'))).to.contain('POOL_SCRUB_WRITE');
    await expect(manager).to.be.accessible();
  });

  it('German: headers, the delete offer and the scoped review', async () => {
    const { manager } = await setup(MODERN, 'de');
    const labels = $$(table(manager), '[role="columnheader"]').map(text);
    expect(labels).to.include.members(['Zugriff', 'Zuletzt verwendet', 'Sitzungen']);
    $<HTMLButtonElement>(manager, '[part~="scoped-button"]').click();
    await waitUntil(() => manager.shadowRoot!.querySelector('scoped-key-form'), 'scoped form');
    const f = scoped(manager);
    await f.updateComplete;
    const name = $<HTMLInputElement>(f, 'input[name="name"]');
    name.value = 'leser';
    name.dispatchEvent(new Event('input'));
    $<HTMLButtonElement>(f, '[part~="review-button"]').click();
    await waitUntil(() => f.shadowRoot!.querySelector('[part~="review"]'), 'review');
    expect(text($(f, '[part~="review"]'))).to.contain('Das wird erstellt').and.contain('truenas_readonly_administrators').and.contain('Dienstkonto');
    await expect(manager).to.be.accessible();
  });
});
