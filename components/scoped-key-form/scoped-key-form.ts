import { html, nothing, type CSSResultGroup, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { NasElement } from '../internal/nas-element.js';
import { controls, tokens } from '../internal/controls.styles.js';
import { layered } from '../internal/layer.js';
import { isolate } from '../internal/display-text.js';
import { NasFormCancelEvent } from '../events/form-cancel.js';
import { NasScopedKeyCreateEvent } from '../events/scoped-key-create.js';
import { fieldErrorsOf, type HostCapabilities } from '../model/api-key.js';
import {
  REFUSED_ROLES,
  SCOPED_PURPOSES,
  scopedKeyFailureOf,
  type RoleInfo,
  type ScopedKeyFailure,
  type ScopedKeyInput,
  type ScopedKeyPlan,
  type ScopedKeyStep,
  type ScopedPurpose,
} from '../model/scoped-key.js';
import { addEnglishTerms } from '../localize/localize.js';
import enScoped from '../localize/translations/en-scoped.js';
import styles from './scoped-key-form.styles.js';

addEnglishTerms(enScoped);

type Field = 'purpose' | 'roles' | 'name' | 'expiresAt';
const FIELDS: readonly string[] = ['purpose', 'roles', 'name', 'expiresAt'];
const KNOWN_REFUSED = ['FULL_ADMIN', 'API_KEY_WRITE', 'ACCOUNT_WRITE', 'PRIVILEGE_WRITE'] as const;

/** A run that failed: a ScopedKeyFailure (which step, why, what was undone), or any other error. */
type Failure = { failure: ScopedKeyFailure } | { message: string };

/**
 * @summary A least-privilege ("scoped") API key in two steps: choose a purpose (read-only,
 * snapshots, replication, sharing, or custom roles from the host's list, searchable), a name and
 * an expiry; then review exactly what will be created (group, privilege and roles, a service
 * account without password, SMB or shell, then the key) before anything happens. Create asks the
 * host to run the plan (`nas-scoped-key-create`); a failure says which step failed, why, and what
 * was undone or is left on the NAS, and a new try goes through Back and a fresh review (names that
 * are now taken get new ones). Roles that would let a key widen its own access (API_KEY_WRITE
 * and the like) are shown disabled with the reason, never offered. Transport-free: the host gives
 * `roles` and a `planner` (e.g. `service.planScopedKey`) and runs the plan.
 * @status experimental
 * @since 0.12
 *
 * @event {NasScopedKeyCreateEvent} nas-scoped-key-create - Create was chosen on the review; `detail.plan`. Call `event.waitUntil(run)`; a rejection is shown (a `ScopedKeyFailure` with its step and undo result).
 * @event {NasFormCancelEvent} nas-form-cancel - Cancel was pressed.
 *
 * @csspart form - The `<form>`.
 * @csspart intro - The introduction.
 * @csspart purpose - The purpose group; each choice is `purpose-option`.
 * @csspart purpose-option - One purpose (radio, name and what it allows).
 * @csspart pull - Replication's "Also allow pull replication".
 * @csspart roles - The custom roles group.
 * @csspart role-search - The role search input.
 * @csspart role-list - The list of roles.
 * @csspart role - One role (checkbox); also `role-refused` when it cannot be picked.
 * @csspart name - The key name input.
 * @csspart expiry - The expiry group.
 * @csspart review - The review: what will be created.
 * @csspart review-steps - The ordered list of steps.
 * @csspart failure - A failed run: the step, the NAS's reason, what was undone or is left.
 * @csspart error - A field or form error.
 * @csspart footer - The action row.
 * @csspart cancel-button - Cancel.
 * @csspart back-button - Back (from the review).
 * @csspart review-button - Review.
 * @csspart create-button - Create.
 */
export class ScopedKeyForm extends NasElement {
  static override styles: CSSResultGroup = layered(tokens, controls, styles);

  /** The host's capabilities (25.04+ keys act with roles; older hosts plan an allowlist key). */
  @property({ attribute: false }) capabilities: HostCapabilities | null = null;

  /** Roles a custom key may pick from (`service.availableRoles()`); null while loading. */
  @property({ attribute: false }) roles: RoleInfo[] | null = null;

  /** Plans the key before anything is created (`service.planScopedKey`); rejects with field errors. */
  @property({ attribute: false }) planner?: (input: ScopedKeyInput) => Promise<ScopedKeyPlan>;

  /** True while a review or a run is in flight. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @state() private step: 'choose' | 'review' = 'choose';
  @state() private purpose: ScopedPurpose = 'read-only';
  @state() private pull = false;
  @state() private selected: string[] = [];
  @state() private search = '';
  @state() private name = '';
  @state() private expiry: 'never' | 'date' = 'never';
  @state() private expiryDate = '';
  @state() private errors: Partial<Record<Field | 'form', string>> = {};
  @state() private plan: ScopedKeyPlan | null = null;
  @state() private failed: Failure | null = null;

  /** Whether anything was chosen or typed (a host may ask before discarding). */
  get dirty(): boolean {
    return this.name !== '' || this.purpose !== 'read-only' || this.selected.length > 0 || this.expiry !== 'never';
  }

  /** Back to an empty first step. */
  reset(): void {
    this.step = 'choose';
    this.purpose = 'read-only';
    this.pull = false;
    this.selected = [];
    this.search = '';
    this.name = '';
    this.expiry = 'never';
    this.expiryDate = '';
    this.errors = {};
    this.plan = null;
    this.failed = null;
    this.busy = false;
  }

  /** Focuses the first control of the current step. */
  override focus(options?: FocusOptions): void {
    const target =
      this.step === 'review'
        ? this.renderRoot.querySelector<HTMLElement>('#review-title')
        : this.renderRoot.querySelector<HTMLElement>('input[name="purpose"]:checked');
    target?.focus(options);
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('step')) this.focus();
  }

  // ---- roles ----------------------------------------------------------------------------------

  /** Why a role cannot be picked (it is, or includes, a refused role), or null. */
  #refusal(role: string): string | null {
    const known = new Map((this.roles ?? []).map((r) => [r.name, r]));
    const seen = new Set<string>();
    const todo = [role];
    while (todo.length) {
      const r = todo.pop()!;
      if (seen.has(r)) continue;
      seen.add(r);
      if (r in REFUSED_ROLES) {
        const reason = (KNOWN_REFUSED as readonly string[]).includes(r)
          ? this.localize.term(`scoped.refused.${r as (typeof KNOWN_REFUSED)[number]}`)
          : this.localize.term('scoped.refused.other', r);
        return r === role ? reason : this.localize.term('scoped.refused.via', reason, r);
      }
      todo.push(...(known.get(r)?.includes ?? []));
    }
    return null;
  }

  #toggleRole(name: string, on: boolean): void {
    this.selected = on ? [...new Set([...this.selected, name])] : this.selected.filter((r) => r !== name);
    this.errors = { ...this.errors, roles: undefined };
  }

  // ---- steps ----------------------------------------------------------------------------------

  #input(): ScopedKeyInput | null {
    const errors: Partial<Record<Field, string>> = {};
    const name = this.name.trim();
    if (!name) errors.name = this.localize.term('scoped.name.required');
    let expiresAt: number | null = null;
    if (this.expiry === 'date') {
      const [y, m, d] = this.expiryDate.split('-').map(Number);
      if (!y || !m || !d) errors.expiresAt = this.localize.term('scoped.expiry.required');
      // The end of the chosen day, local time.
      else expiresAt = new Date(y, m - 1, d, 23, 59, 0).getTime();
    }
    this.errors = errors;
    if (Object.keys(errors).length) return null;
    return {
      name,
      purpose: this.purpose,
      ...(this.purpose === 'custom' ? { roles: [...this.selected] } : {}),
      ...(this.purpose === 'replication' && this.pull ? { pull: true } : {}),
      ...(this.capabilities?.userLinkedKeys !== false ? { expiresAt } : {}),
    };
  }

  async #review(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.planner) return;
    const input = this.#input();
    if (!input) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.busy = true;
    try {
      this.plan = await this.planner(input);
      this.failed = null;
      this.step = 'review';
    } catch (error) {
      const placed: Partial<Record<Field | 'form', string>> = {};
      for (const e of fieldErrorsOf(error)) {
        const field = e.field && FIELDS.includes(e.field) ? (e.field as Field) : 'form';
        placed[field] = placed[field] ? `${placed[field]} ${e.message}` : e.message;
      }
      if (Object.keys(placed).length === 0) placed.form = this.failureText(error);
      this.errors = placed;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], input[name="role-search"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  async #create(): Promise<void> {
    const plan = this.plan;
    if (!plan || this.busy) return;
    const event = new NasScopedKeyCreateEvent({ plan });
    this.dispatchEvent(event);
    if (!event.pending) return;
    this.busy = true;
    this.failed = null;
    try {
      await event.pending;
    } catch (error) {
      const failure = scopedKeyFailureOf(error);
      this.failed = failure ? { failure } : { message: this.failureText(error) };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="failure"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  #back(): void {
    this.step = 'choose';
    this.failed = null;
  }

  #cancel(): void {
    this.dispatchEvent(new NasFormCancelEvent({ dirty: this.dirty }));
  }

  // ---- rendering ------------------------------------------------------------------------------

  override render(): TemplateResult {
    return html`<form part="form" novalidate dir=${ifDefined(this.contentDir)} aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#review}>
      ${this.step === 'review' && this.plan ? this.#renderReview(this.plan) : this.#renderChoose()}
    </form>`;
  }

  #error(field: Field | 'form'): TemplateResult | typeof nothing {
    const message = this.errors[field];
    return message ? html`<span id=${`${field}-error`} class="error" part="error">${message}</span>` : nothing;
  }

  #renderChoose(): TemplateResult {
    return html`<p part="intro" class="hint">${this.localize.term('scoped.intro')}</p>
      ${this.errors.form ? html`<p role="alert" class="alert" part="error">${this.errors.form}</p>` : nothing}
      <fieldset part="purpose" class="purposes">
        <legend>${this.localize.term('scoped.purpose')}</legend>
        ${SCOPED_PURPOSES.map(
          (purpose) => html`<label class="option" part="purpose-option">
            <input
              type="radio"
              name="purpose"
              value=${purpose}
              aria-describedby=${`purpose-${purpose}-hint`}
              .checked=${this.purpose === purpose}
              @change=${() => {
                this.purpose = purpose;
                this.errors = { ...this.errors, roles: undefined, purpose: undefined };
              }}
            />
            <span class="option-text">
              <span class="option-name">${this.localize.term(`scoped.purpose.${purpose}`)}</span>
              <span id=${`purpose-${purpose}-hint`} class="hint">${this.localize.term(`scoped.purpose.${purpose}.hint`)}</span>
            </span>
          </label>`,
        )}
        ${this.purpose === 'replication'
          ? html`<label class="choice" part="pull"
              ><input type="checkbox" name="pull" .checked=${this.pull} @change=${(e: Event) => (this.pull = (e.target as HTMLInputElement).checked)} />
              ${this.localize.term('scoped.pull')}</label
            >`
          : nothing}
      </fieldset>
      ${this.purpose === 'custom' ? this.#renderRoles() : nothing}
      <div class="field">
        <label for="name">${this.localize.term('scoped.name')}</label>
        <input
          id="name"
          part="name"
          name="name"
          autocomplete="off"
          maxlength="200"
          aria-describedby=${this.errors.name ? 'name-hint name-error' : 'name-hint'}
          aria-invalid=${this.errors.name ? 'true' : 'false'}
          .value=${this.name}
          @input=${(e: Event) => {
            this.name = (e.target as HTMLInputElement).value;
            this.errors = { ...this.errors, name: undefined };
          }}
        />
        <span id="name-hint" class="hint">${this.localize.term('scoped.name.hint')}</span>
        ${this.#error('name')}
      </div>
      ${this.capabilities?.userLinkedKeys === false ? nothing : this.#renderExpiry()}
      <div class="footer" part="footer">
        <button type="button" part="cancel-button" @click=${this.#cancel}>${this.localize.term('common.cancel')}</button>
        <button type="submit" class="primary" part="review-button" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.busy ? this.localize.term('scoped.reviewing') : this.localize.term('scoped.review')}
        </button>
      </div>`;
  }

  #renderRoles(): TemplateResult {
    const roles = this.roles;
    const text = this.search.trim().toUpperCase();
    const shown = (roles ?? []).filter((r) => !text || r.name.toUpperCase().includes(text) || r.includes.some((i) => i.toUpperCase().includes(text)));
    return html`<fieldset part="roles" class="roles" aria-describedby=${this.errors.roles ? 'roles-note roles-error' : 'roles-note'}>
      <legend>${this.localize.term('scoped.roles')}</legend>
      <label class="search">
        <span class="visually-hidden">${this.localize.term('scoped.roles.search')}</span>
        <input
          part="role-search"
          name="role-search"
          type="search"
          autocomplete="off"
          spellcheck="false"
          placeholder=${this.localize.term('scoped.roles.search')}
          aria-invalid=${this.errors.roles ? 'true' : 'false'}
          .value=${this.search}
          @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)}
        />
      </label>
      <span class="hint" role="status">${this.localize.term('scoped.roles.selected', this.selected.length)}</span>
      ${roles === null
        ? html`<p class="hint" role="status">${this.localize.term('scoped.roles.loading')}</p>`
        : shown.length === 0
          ? html`<p class="hint">${this.localize.term('scoped.roles.none')}</p>`
          : html`<ul part="role-list" class="role-list">
              ${shown.map((role) => {
                const refused = this.#refusal(role.name);
                const id = `role-${role.name}`;
                return html`<li part=${refused ? 'role role-refused' : 'role'}>
                  <label class="choice">
                    <input
                      type="checkbox"
                      name="role"
                      value=${role.name}
                      ?disabled=${refused !== null}
                      aria-describedby=${role.includes.length || refused ? `${id}-hint` : nothing}
                      .checked=${refused === null && this.selected.includes(role.name)}
                      @change=${(e: Event) => this.#toggleRole(role.name, (e.target as HTMLInputElement).checked)}
                    />
                    <code>${role.name}</code>
                  </label>
                  ${refused || role.includes.length
                    ? html`<span id=${`${id}-hint`} class=${refused ? 'hint refused' : 'hint'}
                        >${refused ?? this.localize.term('scoped.roles.includes', role.includes.join(', '))}</span
                      >`
                    : nothing}
                </li>`;
              })}
            </ul>`}
      <p id="roles-note" class="hint">${this.localize.term('scoped.roles.neverNote')}</p>
      ${this.#error('roles')}
    </fieldset>`;
  }

  #renderExpiry(): TemplateResult {
    return html`<fieldset part="expiry" class="expiry">
      <legend>${this.localize.term('scoped.expiry')}</legend>
      <label class="choice"
        ><input type="radio" name="expiry" value="never" .checked=${this.expiry === 'never'} @change=${() => (this.expiry = 'never')} />
        ${this.localize.term('scoped.expiry.never')}</label
      >
      <label class="choice"
        ><input type="radio" name="expiry" value="date" .checked=${this.expiry === 'date'} @change=${() => (this.expiry = 'date')} />
        ${this.localize.term('scoped.expiry.date')}</label
      >
      ${this.expiry === 'date'
        ? html`<label class="date"
            ><span class="visually-hidden">${this.localize.term('scoped.expiry.dateLabel')}</span>
            <input
              type="date"
              name="expiry-date"
              aria-invalid=${this.errors.expiresAt ? 'true' : 'false'}
              aria-describedby=${this.errors.expiresAt ? 'expiresAt-error' : nothing}
              .value=${this.expiryDate}
              @input=${(e: Event) => {
                this.expiryDate = (e.target as HTMLInputElement).value;
                this.errors = { ...this.errors, expiresAt: undefined };
              }}
          /></label>`
        : nothing}
      ${this.#error('expiresAt')}
    </fieldset>`;
  }

  /** One step of the plan in the element's language. */
  #stepText(step: ScopedKeyStep): string {
    const t = this.localize;
    switch (step.kind) {
      case 'use-group':
        return t.term('scoped.step.use-group', isolate(step.name), step.gid, step.roles.join(', '));
      case 'create-group':
        return t.term('scoped.step.create-group', isolate(step.name));
      case 'create-privilege':
        return t.term('scoped.step.create-privilege', isolate(step.name), step.roles.join(', '));
      case 'create-user':
        return t.term('scoped.step.create-user', isolate(step.username), step.shell, step.home);
      case 'create-key':
        return step.allowlist
          ? t.term('scoped.step.create-key-allowlist', isolate(step.name), step.allowlist.length)
          : t.term('scoped.step.create-key', isolate(step.name), isolate(step.username ?? ''), step.expiresAt === null ? null : t.date(step.expiresAt, { dateStyle: 'long' }));
    }
  }

  #renderReview(plan: ScopedKeyPlan): TemplateResult {
    return html`<section part="review" class="review" aria-labelledby="review-title">
      <h3 id="review-title" tabindex="-1">${this.localize.term('scoped.review.title')}</h3>
      <p class="hint">${this.localize.term('scoped.review.intro')}</p>
      <p><strong>${this.localize.term(`scoped.purpose.${plan.purpose}`)}</strong>${plan.roles.length ? html` — ${this.localize.term('scoped.review.roles', plan.roles.join(', '))}` : nothing}</p>
      <ol part="review-steps" class="steps">
        ${plan.steps.map((step) => html`<li data-step=${step.kind}>${this.#stepText(step)}</li>`)}
      </ol>
      <p class="hint">${this.localize.term(plan.mode === 'roles' ? 'scoped.review.noteServiceAccount' : 'scoped.review.noteAllowlist')}</p>
      ${this.failed ? this.#renderFailure(plan, this.failed) : nothing}
      <div class="footer" part="footer">
        <button type="button" part="back-button" ?disabled=${this.busy} @click=${this.#back}>${this.localize.term('scoped.back')}</button>
        <button type="button" part="cancel-button" ?disabled=${this.busy} @click=${this.#cancel}>${this.localize.term('common.cancel')}</button>
        ${this.failed
          ? nothing
          : html`<button type="button" class="primary" part="create-button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.#create}>
              ${this.busy ? this.localize.term('scoped.creating') : this.localize.term('scoped.create')}
            </button>`}
      </div>
    </section>`;
  }

  #renderFailure(plan: ScopedKeyPlan, failed: Failure): TemplateResult {
    if (!('failure' in failed)) {
      return html`<div part="failure" class="alert" role="alert" tabindex="-1">
        <p>${this.localize.term('scoped.failure.unknown', failed.message)}</p>
        <p>${this.localize.term('scoped.failure.again')}</p>
      </div>`;
    }
    const { failure } = failed;
    const step = plan.steps[failure.stepIndex];
    return html`<div part="failure" class="alert" role="alert" tabindex="-1" data-failed-step=${failure.failedStep}>
      <p>${this.localize.term('scoped.failure.step', failure.stepIndex + 1, plan.steps.length, step ? this.#stepText(step) : failure.failedStep)}</p>
      <p>${this.localize.term('scoped.failure.reason', isolate(failure.reason))}</p>
      <p>${failure.undone ? this.localize.term('scoped.failure.undone') : this.localize.term('scoped.failure.left', failure.leftOnNas.map((item) => isolate(item)).join('; '))}</p>
      <p>${this.localize.term('scoped.failure.again')}</p>
    </div>`;
  }
}
