import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../define/scoped-key-form.js';
import type { ScopedKeyForm } from './scoped-key-form.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { $, $$, text } from '../internal/testing/dom.js';
import { MODERN } from '../testing/sample-keys.js';
import { MemoryKeyService, SAMPLE_ROLES } from '../testing/index.js';
import type { NasScopedKeyCreateEvent } from '../events/scoped-key-create.js';
import type { ScopedPurpose } from '../model/scoped-key.js';

registerTranslation(de);

/** The roles as a NAS lists them, refused ones included (the service leaves those out; a host might not). */
const WITH_REFUSED = [...SAMPLE_ROLES, { name: 'KEY_ADMIN', includes: ['API_KEY_WRITE'], builtin: false }];

async function setup(lang = 'en', dir = 'ltr') {
  const service = new MemoryKeyService(MODERN, []);
  const wrapper = await fixture<HTMLDivElement>(
    html`<div lang=${lang} dir=${dir}><scoped-key-form .capabilities=${MODERN} .roles=${WITH_REFUSED} .planner=${(i: Parameters<MemoryKeyService['planScopedKey']>[0]) => service.planScopedKey(i)}></scoped-key-form></div>`,
  );
  const form = wrapper.querySelector('scoped-key-form')!;
  await form.updateComplete;
  return { form, service };
}

function choose(form: ScopedKeyForm, purpose: ScopedPurpose, name: string) {
  $<HTMLInputElement>(form, `input[value="${purpose}"]`).click();
  const input = $<HTMLInputElement>(form, 'input[name="name"]');
  input.value = name;
  input.dispatchEvent(new Event('input'));
}

async function review(form: ScopedKeyForm) {
  await form.updateComplete;
  $<HTMLButtonElement>(form, '[part~="review-button"]').click();
  await waitUntil(() => form.shadowRoot!.querySelector('[part~="review"]') || form.shadowRoot!.querySelector('[aria-invalid="true"]'), 'reviewed');
  await form.updateComplete;
}

describe('<scoped-key-form>', () => {
  const expected: Record<Exclude<ScopedPurpose, 'custom'>, string[]> = {
    'read-only': ['use-group', 'create-user', 'create-key'],
    snapshots: ['create-group', 'create-privilege', 'create-user', 'create-key'],
    replication: ['create-group', 'create-privilege', 'create-user', 'create-key'],
    sharing: ['create-group', 'create-privilege', 'create-user', 'create-key'],
  };
  for (const [purpose, kinds] of Object.entries(expected)) {
    it(`${purpose}: the review shows the plan's steps, roles and the service account's limits`, async () => {
      const { form } = await setup();
      choose(form, purpose as ScopedPurpose, `${purpose}-bot`);
      await review(form);
      expect($$(form, '[part~="review-steps"] li').map((li) => li.dataset['step'])).to.deep.equal(kinds);
      const all = text($(form, '[part~="review"]'));
      expect(all).to.contain('password login disabled, no SMB, shell /usr/sbin/nologin');
      if (purpose === 'read-only') expect(all).to.contain('truenas_readonly_administrators').and.contain('GID 951');
      if (purpose === 'replication') expect(all).to.contain('REPLICATION_ADMIN');
      if (purpose === 'sharing') expect(all).to.contain('SHARING_ADMIN');
      await expect(form).to.be.accessible();
    });
  }

  it('replication with pull adds REPLICATION_TASK_WRITE_PULL; an expiry date shows in the key step', async () => {
    const { form } = await setup();
    choose(form, 'replication', 'pull-bot');
    await form.updateComplete;
    $<HTMLInputElement>(form, 'input[name="pull"]').click();
    $<HTMLInputElement>(form, 'input[name="expiry"][value="date"]').click();
    await form.updateComplete;
    const date = $<HTMLInputElement>(form, 'input[name="expiry-date"]');
    date.value = '2099-06-30';
    date.dispatchEvent(new Event('input'));
    await review(form);
    const all = text($(form, '[part~="review"]'));
    expect(all).to.contain('REPLICATION_TASK_WRITE_PULL').and.contain('expiring June 30, 2099');
  });

  it('custom: refused roles (and roles that include one) are disabled with the reason; search filters', async () => {
    const { form } = await setup();
    $<HTMLInputElement>(form, 'input[value="custom"]').click();
    await form.updateComplete;
    const box = $<HTMLInputElement>(form, 'input[value="API_KEY_WRITE"]');
    expect(box.disabled).to.be.true;
    expect(text($(form, `#${CSS.escape('role-API_KEY_WRITE-hint')}`))).to.contain('create, reset and delete the API keys of every user');
    const via = $<HTMLInputElement>(form, 'input[value="KEY_ADMIN"]');
    expect(via.disabled).to.be.true;
    expect(text($(form, `#${CSS.escape('role-KEY_ADMIN-hint')}`))).to.contain('it includes API_KEY_WRITE');
    expect($<HTMLInputElement>(form, 'input[value="FULL_ADMIN"]').disabled).to.be.true;
    await expect(form).to.be.accessible();
    const search = $<HTMLInputElement>(form, 'input[name="role-search"]');
    search.value = 'snapshot_';
    search.dispatchEvent(new Event('input'));
    await form.updateComplete;
    expect($$<HTMLInputElement>(form, 'input[name="role"]').map((i) => i.value)).to.include.members(['SNAPSHOT_READ', 'SNAPSHOT_WRITE', 'SNAPSHOT_DELETE']);
    expect($$<HTMLInputElement>(form, 'input[name="role"]').map((i) => i.value)).to.not.include('POOL_READ');
  });

  it('custom without roles: the planner says why, on the roles; a name is required first', async () => {
    const { form } = await setup();
    $<HTMLInputElement>(form, 'input[value="custom"]').click();
    await review(form);
    expect(text($(form, '#name-error'))).to.contain('Give the key a name');
    choose(form, 'custom', 'c1');
    await review(form);
    expect(text($(form, '#roles-error'))).to.contain('Pick at least one role');
    await expect(form).to.be.accessible();
  });

  it('Create sends the reviewed plan; a failure names the step, the reason and what is left', async () => {
    const { form, service } = await setup();
    choose(form, 'snapshots', 'snap');
    await review(form);
    service.insights.scopedFault = { step: 'create-user', reason: 'Invalid shell', undoFails: true };
    const sent = oneEvent<NasScopedKeyCreateEvent>(form, 'nas-scoped-key-create');
    form.addEventListener('nas-scoped-key-create', (e) => e.waitUntil(service.createScopedKey(e.detail.plan)), { once: true });
    $<HTMLButtonElement>(form, '[part~="create-button"]').click();
    const event = await sent;
    expect(event.detail.plan.steps.map((s) => s.kind)).to.deep.equal(['create-group', 'create-privilege', 'create-user', 'create-key']);
    await waitUntil(() => form.shadowRoot!.querySelector('[part~="failure"]'), 'failure');
    const failure = text($(form, '[part~="failure"]'));
    expect(failure).to.contain('Step 3 of 4 failed').and.contain('svc-snap').and.contain('Invalid shell').and.contain('Still on the NAS');
    await expect(form).to.be.accessible();
  });

  it('German, right-to-left and dark: translated and accessible', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    try {
      const { form } = await setup('de', 'rtl');
      expect(text($(form, 'legend'))).to.equal('Zweck');
      choose(form, 'read-only', 'leser');
      await review(form);
      expect(text($(form, '[part~="review"]'))).to.contain('Das wird erstellt').and.contain('Passwort-Anmeldung deaktiviert');
      await expect(form).to.be.accessible();
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });
});
