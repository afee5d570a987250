import { html, nothing, type PropertyValues, type CSSResultGroup, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { NasElement } from '../internal/nas-element.js';
import { controls, tokens } from '../internal/controls.styles.js';
import { NasKeySubmitEvent, type KeySubmitDetail } from '../events/key-submit.js';
import { NasFormCancelEvent } from '../events/form-cancel.js';
import {
  ALLOWLIST_METHODS,
  type AllowlistEntry,
  type AllowlistMethod,
  type ApiKey,
  type HostCapabilities,
  type KeyOwner,
  keyTrouble,
} from '../model/api-key.js';
import {
  ALLOWLIST_PRESETS,
  checkExpiry,
  checkName,
  checkResource,
  EXPIRY_PRESETS,
  NAME_MAX,
  parseLocalDateTime,
  placeErrors,
  presetExpiry,
  toLocalDateTime,
  type AllowlistPreset,
  type FormField,
} from './form-logic.js';
import styles from './api-key-form.styles.js';
import { layered } from '../internal/layer.js';

interface Row {
  /** Stable identity for rendering and focus, independent of position. */
  id: number;
  method: AllowlistMethod;
  resource: string;
}

interface Snapshot {
  name: string;
  owner: string;
  expiry: 'never' | 'date';
  expiryText: string;
  reset: boolean;
  rows: string;
}

const OWNER_LIMIT = 100;

const SEARCH_DELAY_MS = 200;

const chevron = html`<svg data-icon aria-hidden="true" viewBox="0 0 16 16" width="16" height="16" focusable="false">
  <path d="M4 6l4 4 4-4" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" fill="none" />
</svg>`;

const removeIcon = html`<svg data-icon aria-hidden="true" viewBox="0 0 16 16" width="16" height="16" focusable="false">
  <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" fill="none" />
</svg>`;

/**
 * @summary Creates or edits an API key. Name (required, 1-200 characters, unique through the
 * injected `nameTaken` check); owner picker (25.04+, defaulting to the signed-in user, fixed on
 * edit); expiry (non-expiring or a future date and time, with 30/90/365-day presets); Reset on
 * edit; and, on legacy hosts (22.02-24.10), an allowlist editor. Which fields show depends only on
 * `capabilities`. Emits `nas-key-submit` with the payload and blocks double submits.
 * @status stable
 * @since 0.1
 *
 * @event {NasKeySubmitEvent} nas-key-submit - Valid input was submitted: `detail: { mode: 'create', input } | { mode: 'edit', id, input }`. Call `event.waitUntil(promise)`; a rejection's field errors land on the fields.
 * @event {NasFormCancelEvent} nas-form-cancel - Cancel was pressed; `detail.dirty` tells whether anything changed.
 *
 * @csspart form - The `<form>`.
 * @csspart errors - Problems shown above the fields.
 * @csspart field - Each field wrapper.
 * @csspart name - The name input.
 * @csspart owner - The owner combobox input (create), or the owner's name as text (edit).
 * @csspart owner-toggle - The button that opens the owner list.
 * @csspart owner-list - The owner suggestions.
 * @csspart expiry-readable - The chosen expiry written out in the page's language.
 * @csspart expiry - The expiry fieldset.
 * @csspart presets - The expiry preset buttons.
 * @csspart reset - The Reset option.
 * @csspart end-sessions - "End its N open sessions", under Reset (when `openSessions` is more than 0).
 * @csspart allowlist - The allowlist fieldset.
 * @csspart footer - The button row.
 * @csspart cancel-button - Cancel.
 * @csspart submit-button - Submit.
 *
 * @cssproperty --nas-color-accent - Primary button and focus colour (see docs/embedding.md for every token).
 */
export class ApiKeyForm extends NasElement {
  static override styles: CSSResultGroup = layered(tokens, controls, styles);
  static override shadowRootOptions: ShadowRootInit = { ...NasElement.shadowRootOptions, delegatesFocus: true };

  /** `create` for a new key, `edit` for `key`. */
  @property({ reflect: true }) mode: 'create' | 'edit' = 'create';

  /** The key being edited (edit mode). */
  @property({ attribute: false }) key: ApiKey | null = null;

  /** What the host can do; decides which fields show. Null shows only the name. */
  @property({ attribute: false }) capabilities: HostCapabilities | null = null;

  /** Users who may own keys (25.04+). */
  @property({ attribute: false }) users: KeyOwner[] = [];

  /** Server-side user search, merged with `users` as the person types. */
  @property({ attribute: false }) searchUsers?: (text: string) => Promise<KeyOwner[]>;

  /** The signed-in user: the default owner of new keys. */
  @property({ attribute: 'current-username' }) currentUsername: string | null = null;

  /** Async uniqueness check of a name; `exceptId` is the key being edited. */
  @property({ attribute: false }) nameTaken?: (name: string, exceptId?: number) => Promise<boolean>;

  /** Start edit mode with Reset ticked (the table's "Reset" action). */
  @property({ type: Boolean, attribute: 'reset-checked' }) resetChecked = false;

  /**
   * Open sessions of the key being edited (from `allKeySessions()`). When it is more than 0, a
   * reset offers to end them (ticked by default; the submit's `endSessions` says the choice). Null
   * or 0: not offered (sessions not supported, none open, or not known).
   */
  @property({ attribute: false }) openSessions: number | null = null;

  /** True while a submit is in flight; further submits are ignored. */
  @property({ type: Boolean, reflect: true }) busy = false;

  @state() private name = '';
  @state() private owner = '';
  @state() private expiry: 'never' | 'date' = 'never';
  @state() private expiryText = '';
  @state() private reset = false;
  @state() private endSessions = true;
  @state() private rows: Row[] = [];
  /** Messages by field and by row id; a cleared message stays as an undefined entry. */
  @state() private errors: Partial<Record<FormField, string>> = {};
  @state() private rowErrors: Partial<Record<number, string>> = {};
  @state() private formErrors: string[] = [];
  @state() private summary = '';
  @state() private nameNote: 'checking' | 'checkFailed' | null = null;
  @state() private listOpen = false;
  /** What the list is filtered by: the typed text, or null right after opening (every user). */
  @state() private filterText: string | null = null;
  @state() private activeOption = -1;
  @state() private searchResults: KeyOwner[] | null = null;
  @state() private searching = false;
  @state() private searchError: string | null = null;
  @state() private announcement = '';

  #nextRowId = 1;
  #initial: Snapshot | null = null;
  #checkedName: { name: string; taken: boolean } | null = null;
  #nameCheck = 0;
  #searchToken = 0;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  // ---- public API ----------------------------------------------------------------------------

  /** Whether the user changed anything since the form was (re)loaded. */
  get dirty(): boolean {
    return this.#initial !== null && JSON.stringify(this.#snapshot()) !== JSON.stringify(this.#initial);
  }

  /**
   * Shows a failed submit's problems: NAS field errors (`HasFieldErrors`, paths like
   * `api_key_create.name`) on their fields, anything else above the form. Ends the busy state.
   */
  setErrors(error: unknown): void {
    // A connection failure reads in the page's language (failureText), not the library's English.
    const placed = placeErrors(error, this.failureText(error), this.#visibleFields());
    this.errors = placed.fields;
    const rowErrors: Record<number, string> = {};
    for (const [index, message] of Object.entries(placed.rows)) {
      const row = this.rows[Number(index)];
      if (row) rowErrors[row.id] = message;
    }
    this.rowErrors = rowErrors;
    this.formErrors = placed.form;
    this.summary = '';
    this.busy = false;
    void this.updateComplete.then(() => this.#focusFirstProblem());
  }

  /** Reloads the fields from `key` / `currentUsername` and clears every message. */
  load(): void {
    const key = this.mode === 'edit' ? this.key : null;
    this.name = key?.name ?? '';
    this.owner = key ? (key.username ?? '') : (this.currentUsername ?? '');
    const expiresAt = key?.expiresAt;
    this.expiry = expiresAt != null ? 'date' : 'never';
    this.expiryText = expiresAt != null ? toLocalDateTime(expiresAt) : '';
    this.reset = key !== null && this.resetChecked;
    this.endSessions = true;
    this.rows = (key?.allowlist ?? (key ? [] : ALLOWLIST_PRESETS.everything)).map((entry) => this.#makeRow(entry));
    this.errors = {};
    this.rowErrors = {};
    this.formErrors = [];
    this.summary = '';
    this.nameNote = null;
    this.#checkedName = null;
    this.listOpen = false;
    this.searchResults = null;
    this.searchError = null;
    this.busy = false;
    this.#initial = this.#snapshot();
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has('key') || changed.has('mode') || changed.has('resetChecked')) {
      this.load();
    } else if (changed.has('currentUsername') && this.mode === 'create' && !this.owner) {
      this.owner = this.currentUsername ?? '';
      if (this.#initial) this.#initial = { ...this.#initial, owner: this.owner };
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
  }

  // ---- state helpers -------------------------------------------------------------------------

  #makeRow(entry: AllowlistEntry): Row {
    return { id: this.#nextRowId++, method: entry.method, resource: entry.resource };
  }

  #snapshot(): Snapshot {
    return {
      name: this.name,
      owner: this.owner,
      expiry: this.expiry,
      expiryText: this.expiry === 'date' ? this.expiryText : '',
      reset: this.reset,
      rows: JSON.stringify(this.rows.map((r) => [r.method, r.resource])),
    };
  }

  /** Owner and expiry come with user-linked keys (25.04+). */
  get #userLinked(): boolean {
    return this.capabilities?.userLinkedKeys === true;
  }

  get #showAllowlist(): boolean {
    return this.capabilities?.allowlist === true;
  }

  #visibleFields(): Set<FormField> {
    const fields = new Set<FormField>(['name']);
    if (this.#userLinked) fields.add('username').add('expiresAt');
    if (this.#showAllowlist) fields.add('allowlist');
    return fields;
  }

  /** Users who may hold keys (they have roles), from `users` and the last search, by username. */
  #knownOwners(): Map<string, KeyOwner> {
    const pool = new Map<string, KeyOwner>();
    for (const user of [...this.users, ...(this.searchResults ?? [])]) {
      if (user.roles.length > 0) pool.set(user.username, user);
    }
    return pool;
  }

  /** Users who may hold keys, filtered by what was typed since the list opened. */
  #candidates(): KeyOwner[] {
    const text = (this.filterText ?? '').trim().toLowerCase();
    const all = [...this.#knownOwners().values()].sort((a, b) => a.username.localeCompare(b.username));
    const matches = text ? all.filter((u) => u.username.toLowerCase().includes(text) || u.fullName.toLowerCase().includes(text)) : all;
    return matches.slice(0, OWNER_LIMIT);
  }

  // ---- validation ----------------------------------------------------------------------------

  #nameError(): string | undefined {
    const problem = checkName(this.name);
    if (!problem) return undefined;
    return problem.kind === 'required' ? this.localize.term('form.name.required') : this.localize.term('form.name.tooLong', NAME_MAX, problem.length);
  }

  #ownerError(): string | undefined {
    if (!this.#userLinked || this.mode === 'edit') return undefined;
    const owner = this.owner.trim();
    if (!owner) return this.localize.term('form.owner.required');
    const known = this.#knownOwners();
    // Accept the signed-in user even when the list is partial (e.g. a non-admin sees only itself).
    if (known.size > 0 && !known.has(owner) && owner !== this.currentUsername) return this.localize.term('form.owner.unknown', owner);
    return undefined;
  }

  #expiryError(): string | undefined {
    if (!this.#userLinked || this.expiry === 'never') return undefined;
    const problem = checkExpiry(this.expiryText, Date.now());
    return problem ? this.localize.term(`form.expiry.${problem}`) : undefined;
  }

  #resourceErrors(): Record<number, string> {
    const out: Record<number, string> = {};
    if (!this.#showAllowlist) return out;
    for (const row of this.rows) {
      const problem = checkResource(row.resource);
      if (problem) out[row.id] = this.localize.term(problem === 'required' ? 'form.allowlist.resourceRequired' : 'form.allowlist.resourceSpaces');
    }
    return out;
  }

  /** The client-side problem with `field`, if any (the allowlist is checked per row). */
  #fieldError(field: FormField): string | undefined {
    return field === 'name' ? this.#nameError() : field === 'username' ? this.#ownerError() : field === 'expiresAt' ? this.#expiryError() : undefined;
  }

  #validateField(field: FormField): void {
    const message = this.#fieldError(field);
    this.errors = { ...this.errors, [field]: message };
  }

  /** Runs the injected uniqueness check; returns true when the name is known to be taken. */
  async #checkNameTaken(): Promise<boolean> {
    const name = this.name.trim();
    if (!this.nameTaken || checkName(name)) return false;
    if (this.mode === 'edit' && this.key && name === this.key.name) return false;
    if (this.#checkedName?.name === name) return this.#checkedName.taken;
    const token = ++this.#nameCheck;
    this.nameNote = 'checking';
    try {
      const taken = await this.nameTaken(name, this.mode === 'edit' ? this.key?.id : undefined);
      if (token !== this.#nameCheck) return false;
      this.#checkedName = { name, taken };
      this.nameNote = null;
      return taken;
    } catch {
      if (token === this.#nameCheck) this.nameNote = 'checkFailed';
      return false;
    }
  }

  async #onNameBlur(): Promise<void> {
    // Tabbing through an untouched, empty form is not a mistake; submit reports it.
    if (!this.name && !this.errors.name) return;
    this.#validateField('name');
    if (this.errors.name) return;
    const name = this.name;
    const taken = await this.#checkNameTaken();
    if (taken && this.name === name) this.errors = { ...this.errors, name: this.localize.term('form.name.taken') };
  }

  #focusFirstProblem(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]') ?? this.renderRoot.querySelector<HTMLElement>('[part~="errors"]');
    target?.focus();
  }

  // ---- submit --------------------------------------------------------------------------------

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.formErrors = [];
    this.summary = '';
    this.listOpen = false;

    const errors: Partial<Record<FormField, string>> = {};
    for (const field of ['name', 'username', 'expiresAt'] as const) {
      const message = this.#fieldError(field);
      if (message) errors[field] = message;
    }
    const rows = this.#resourceErrors();
    if (!errors.name && (await this.#checkNameTaken())) errors.name = this.localize.term('form.name.taken');

    this.errors = errors;
    this.rowErrors = rows;
    const count = Object.keys(errors).length + Object.keys(rows).length;
    if (count > 0) {
      this.busy = false;
      this.summary = this.localize.term('form.problems', count);
      await this.updateComplete;
      this.#focusFirstProblem();
      return;
    }

    const submit = new NasKeySubmitEvent(this.#payload());
    this.announcement = this.localize.term('form.saving');
    this.dispatchEvent(submit);
    if (!submit.pending) return; // the host ends the busy state (busy = false or setErrors)
    try {
      await submit.pending;
      this.busy = false;
      this.#initial = this.#snapshot();
    } catch (error) {
      this.setErrors(error);
    } finally {
      this.announcement = '';
    }
  }

  #payload(): KeySubmitDetail {
    const name = this.name.trim();
    const expiresAt = this.expiry === 'date' ? parseLocalDateTime(this.expiryText) : null;
    const allowlist = this.rows.map((r) => ({ method: r.method, resource: r.resource.trim() }));
    if (this.mode === 'edit' && this.key) {
      return {
        mode: 'edit',
        id: this.key.id,
        input: {
          name,
          ...(this.#userLinked ? { expiresAt } : {}),
          ...(this.#showAllowlist ? { allowlist } : {}),
          reset: this.reset,
        },
        ...(this.#offerEndSessions ? { endSessions: this.endSessions } : {}),
      };
    }
    return {
      mode: 'create',
      input: {
        name,
        ...(this.#userLinked ? { username: this.owner.trim(), expiresAt } : {}),
        ...(this.#showAllowlist ? { allowlist } : {}),
      },
    };
  }

  #onCancel(): void {
    this.dispatchEvent(new NasFormCancelEvent({ dirty: this.dirty }));
  }

  // ---- owner picker --------------------------------------------------------------------------

  /** Opens the list with every eligible user, the current owner active. */
  #openList(): void {
    this.listOpen = true;
    this.filterText = null;
    const index = this.#candidates().findIndex((u) => u.username === this.owner.trim());
    this.activeOption = Math.max(index, 0);
    if (this.searchUsers && this.searchResults === null) void this.#runSearch('');
  }

  #closeList(): void {
    this.listOpen = false;
    this.activeOption = -1;
  }

  #toggleList(): void {
    if (this.listOpen) this.#closeList();
    else this.#openList();
    this.renderRoot.querySelector<HTMLInputElement>('#owner')?.focus();
  }

  #onOwnerInput(event: Event): void {
    this.owner = (event.target as HTMLInputElement).value;
    this.filterText = this.owner;
    this.listOpen = true;
    this.activeOption = -1;
    this.#clearError('username');
    if (this.searchUsers) {
      clearTimeout(this.#searchTimer);
      this.#searchTimer = setTimeout(() => void this.#runSearch(this.owner.trim()), SEARCH_DELAY_MS);
    } else {
      this.announcement = this.localize.term('form.owner.results', this.#candidates().length);
    }
  }

  async #runSearch(text: string): Promise<void> {
    if (!this.searchUsers) return;
    const token = ++this.#searchToken;
    this.searching = true;
    this.searchError = null;
    this.announcement = this.localize.term('form.owner.searching');
    try {
      const found = await this.searchUsers(text);
      if (token !== this.#searchToken) return;
      this.searchResults = found;
      this.announcement = this.localize.term('form.owner.results', this.#candidates().length);
    } catch (error) {
      if (token !== this.#searchToken) return;
      this.searchError = this.localize.term('form.owner.searchFailed', this.failureText(error));
      this.announcement = this.searchError;
    } finally {
      if (token === this.#searchToken) this.searching = false;
    }
  }

  #onOwnerKeydown(event: KeyboardEvent): void {
    const options = this.#candidates();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        if (!this.listOpen) {
          this.#openList();
          return;
        }
        if (options.length === 0) return;
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.activeOption = (this.activeOption + step + options.length) % options.length;
        break;
      }
      case 'Enter':
        if (this.listOpen && this.activeOption >= 0 && options[this.activeOption]) {
          event.preventDefault();
          this.#chooseOwner(options[this.activeOption]!);
        }
        break;
      case 'Escape':
        if (this.listOpen) {
          // Close the list only; do not let a surrounding dialog close.
          event.preventDefault();
          event.stopPropagation();
          this.#closeList();
        }
        break;
      case 'Tab':
        this.#closeList();
        break;
    }
  }

  #chooseOwner(user: KeyOwner): void {
    this.owner = user.username;
    this.#closeList();
    this.#clearError('username');
  }

  #onOwnerBlur(): void {
    this.#closeList();
    if (this.owner.trim()) this.#validateField('username');
  }

  #ownerLabel(user: KeyOwner): string {
    return user.username === this.currentUsername ? this.localize.term('form.owner.you', user.username) : user.username;
  }

  // ---- expiry --------------------------------------------------------------------------------

  #setExpiryMode(mode: 'never' | 'date'): void {
    this.expiry = mode;
    this.#clearError('expiresAt');
  }

  #applyPreset(days: number): void {
    this.expiry = 'date';
    this.expiryText = toLocalDateTime(presetExpiry(days, Date.now()));
    this.#clearError('expiresAt');
  }

  // ---- allowlist -----------------------------------------------------------------------------

  #applyAllowlistPreset(preset: AllowlistPreset): void {
    this.rows = ALLOWLIST_PRESETS[preset].map((entry) => this.#makeRow(entry));
    this.rowErrors = {};
    this.#clearError('allowlist');
    this.announcement = this.localize.term(`form.allowlist.preset.${preset}`);
  }

  async #addRow(): Promise<void> {
    const row = this.#makeRow({ method: 'CALL', resource: '' });
    this.rows = [...this.rows, row];
    this.announcement = this.localize.term('form.allowlist.added', this.rows.length);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#resource-${row.id}`)?.focus();
  }

  async #removeRow(row: Row): Promise<void> {
    const index = this.rows.indexOf(row);
    this.rows = this.rows.filter((r) => r !== row);
    this.rowErrors = { ...this.rowErrors, [row.id]: undefined };
    this.announcement = this.localize.term('form.allowlist.removed', index + 1);
    await this.updateComplete;
    // Keep focus nearby: the next row's remove button, else the previous one, else "Add entry".
    const next = this.rows[index] ?? this.rows[index - 1];
    const target = next ? this.renderRoot.querySelector<HTMLElement>(`#remove-${next.id}`) : this.renderRoot.querySelector<HTMLElement>('#add-entry');
    target?.focus();
  }

  #updateRow(row: Row, change: Partial<Row>): void {
    this.rows = this.rows.map((r) => (r === row ? { ...r, ...change } : r));
    if (change.resource !== undefined && this.rowErrors[row.id]) this.rowErrors = { ...this.rowErrors, [row.id]: undefined };
  }

  #clearError(field: FormField): void {
    if (this.errors[field]) this.errors = { ...this.errors, [field]: undefined };
  }

  // ---- rendering -----------------------------------------------------------------------------

  /** A field's error message, when it has one, under the id its `aria-describedby` names. */
  #errorText(id: string, message: string | null | undefined) {
    return message ? html`<span id=${id} class="error">${message}</span>` : nothing;
  }

  /** `aria-describedby` listing only ids that are rendered. */
  #describedBy(...ids: Array<string | false | undefined>): string {
    return ids.filter(Boolean).join(' ');
  }

  override render(): TemplateResult {
    const edit = this.mode === 'edit';
    const problems = this.summary || this.formErrors.length > 0;
    return html`<form
      part="form"
      novalidate
      aria-label=${this.localize.term(`form.label.${this.mode}`)}
      aria-busy=${this.busy ? 'true' : 'false'}
      dir=${ifDefined(this.contentDir)}
      @submit=${this.#onSubmit}
    >
      ${problems
        ? html`<div part="errors" class="alert" role="alert" tabindex="-1">
            ${this.summary ? html`<p>${this.summary}</p>` : nothing}
            ${this.formErrors.length > 0
              ? html`<p>${this.localize.term('form.failed')}</p>
                  <ul>
                    ${this.formErrors.map((message) => html`<li>${message}</li>`)}
                  </ul>`
              : nothing}
          </div>`
        : nothing}
      ${this.#showAllowlist && this.capabilities ? html`<p class="hint">${this.localize.term('form.legacy', this.capabilities.version)}</p>` : nothing}
      ${this.#renderName()} ${this.#userLinked ? this.#renderOwner() : nothing} ${this.#userLinked ? this.#renderExpiry() : nothing}
      ${this.#showAllowlist ? this.#renderAllowlist() : nothing} ${edit ? this.#renderReset() : nothing}
      <p class="visually-hidden" role="status">${this.announcement}</p>
      <div class="footer" part="footer">
        <button type="button" part="cancel-button" @click=${this.#onCancel}>${this.localize.term('common.cancel')}</button>
        <button type="submit" class="primary" part="submit-button" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${this.localize.term(this.busy ? 'form.saving' : `form.submit.${this.mode}`)}
        </button>
      </div>
    </form>`;
  }

  #renderName() {
    const error = this.errors.name;
    const note = this.nameNote ? this.localize.term(`form.name.${this.nameNote}`) : '';
    return html`<div class="field" part="field">
      <label for="name">${this.localize.term('form.name')}</label>
      <input
        id="name"
        part="name"
        name="name"
        autocomplete="off"
        required
        aria-required="true"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${this.#describedBy('name-hint', note && 'name-note', error && 'name-error')}
        .value=${this.name}
        @input=${(e: Event) => {
          this.name = (e.target as HTMLInputElement).value;
          this.nameNote = null;
          this.#clearError('name');
        }}
        @blur=${this.#onNameBlur}
      />
      <span id="name-hint" class="hint">${this.localize.term('form.name.hint')}</span>
      ${note ? html`<span id="name-note" class="hint">${note}</span>` : nothing}
      ${this.#errorText('name-error', error)}
    </div>`;
  }

  #renderOwner() {
    const error = this.errors.username;
    if (this.mode === 'edit') {
      // Not a field: the owner of an existing key cannot change, so it reads as plain text.
      return html`<div class="field" part="field">
        <span class="label">${this.localize.term('form.owner')}</span>
        <bdi id="owner" part="owner" class="fixed">${this.owner}</bdi>
        <span class="hint">${this.localize.term('form.owner.fixed')}</span>
        ${this.#errorText('owner-error', error)}
      </div>`;
    }
    const options = this.listOpen ? this.#candidates() : [];
    const active = this.activeOption >= 0 && this.activeOption < options.length ? this.activeOption : -1;
    return html`<div class="field" part="field">
      <label for="owner" id="owner-label">${this.localize.term('form.owner')}</label>
      <div class="combo">
        <input
          id="owner"
          part="owner"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-required="true"
          aria-expanded=${this.listOpen ? 'true' : 'false'}
          aria-controls="owner-list"
          aria-activedescendant=${ifDefined(active >= 0 ? `owner-option-${active}` : undefined)}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${this.#describedBy('owner-hint', this.searchError ? 'owner-search-error' : undefined, error && 'owner-error')}
          .value=${this.owner}
          @input=${this.#onOwnerInput}
          @keydown=${this.#onOwnerKeydown}
          @blur=${this.#onOwnerBlur}
          @click=${() => (this.listOpen ? this.#closeList() : this.#openList())}
        />
        <button
          type="button"
          class="icon toggle"
          part="owner-toggle"
          tabindex="-1"
          aria-labelledby="owner-label"
          aria-controls="owner-list"
          aria-expanded=${this.listOpen ? 'true' : 'false'}
          @mousedown=${(e: Event) => e.preventDefault()}
          @click=${this.#toggleList}
        >
          ${chevron}
        </button>
        <ul id="owner-list" part="owner-list" role="listbox" aria-labelledby="owner-label" ?hidden=${!this.listOpen}>
          ${options.map(
            (user, index) => html`<li
              id="owner-option-${index}"
              role="option"
              aria-selected=${index === active ? 'true' : 'false'}
              class=${index === active ? 'active' : ''}
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => this.#chooseOwner(user)}
            >
              <span>${this.#ownerLabel(user)}</span>
              ${user.fullName && user.fullName !== user.username ? html`<span class="hint">${user.fullName}</span>` : nothing}
            </li>`,
          )}
          ${this.listOpen && options.length === 0
            ? html`<li role="option" aria-disabled="true" aria-selected="false" class="hint">
                ${this.localize.term(this.searching ? 'form.owner.searching' : 'form.owner.noMatches')}
              </li>`
            : nothing}
        </ul>
      </div>
      <span id="owner-hint" class="hint">${this.localize.term('form.owner.hint')}</span>
      ${this.#errorText('owner-search-error', this.searchError)}
      ${this.#errorText('owner-error', error)}
    </div>`;
  }

  #renderExpiry() {
    const error = this.errors.expiresAt;
    const dated = this.expiry === 'date';
    // The native field writes dates the browser's way; this says the same in the page's language.
    const at = dated ? parseLocalDateTime(this.expiryText) : null;
    const readable = at === null ? '' : this.localize.date(at, { dateStyle: 'full', timeStyle: 'short' });
    return html`<fieldset part="expiry">
      <legend>${this.localize.term('form.expiry')}</legend>
      <label class="choice">
        <input type="radio" name="expiry" value="never" .checked=${!dated} @change=${() => this.#setExpiryMode('never')} />
        ${this.localize.term('form.expiry.never')}
      </label>
      <label class="choice">
        <input type="radio" name="expiry" value="date" .checked=${dated} @change=${() => this.#setExpiryMode('date')} />
        ${this.localize.term('form.expiry.on')}
      </label>
      ${dated
        ? html`<div class="field" part="field">
            <label for="expires">${this.localize.term('form.expiry.date')}</label>
            <input
              id="expires"
              type="datetime-local"
              min=${toLocalDateTime(Date.now())}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${this.#describedBy('expires-hint', readable && 'expires-readable', error && 'expires-error')}
              .value=${this.expiryText}
              @input=${(e: Event) => {
                this.expiryText = (e.target as HTMLInputElement).value;
                this.#clearError('expiresAt');
              }}
              @blur=${() => this.#validateField('expiresAt')}
            />
            <span id="expires-hint" class="hint">${this.localize.term('form.expiry.hint')}</span>
            ${readable ? html`<span id="expires-readable" class="hint" part="expiry-readable">${readable}</span>` : nothing}
            ${this.#errorText('expires-error', error)}
          </div>`
        : html`<span class="hint">${this.localize.term('form.expiry.neverHint')}</span>`}
      <div class="presets" part="presets" role="group" aria-label=${this.localize.term('form.expiry.presets')}>
        ${EXPIRY_PRESETS.map(
          (days) => html`<button type="button" @click=${() => this.#applyPreset(days)}><bdi>${this.localize.term('form.expiry.preset', days)}</bdi></button>`,
        )}
      </div>
    </fieldset>`;
  }

  /** A reset offers to end the key's open sessions (TrueNAS keeps them alive after a reset). */
  get #offerEndSessions(): boolean {
    return this.mode === 'edit' && this.reset && (this.openSessions ?? 0) > 0;
  }

  #renderReset() {
    // Advice follows the NAS's reason: a reset rescues an insecure-use revocation, never a gone owner.
    const trouble = this.key ? keyTrouble(this.key) : null;
    return html`<div class="field" part="reset">
      <label class="choice">
        <input
          type="checkbox"
          aria-describedby="reset-hint"
          .checked=${this.reset}
          @change=${(e: Event) => (this.reset = (e.target as HTMLInputElement).checked)}
        />
        ${this.localize.term('form.reset')}
      </label>
      <span id="reset-hint" class="hint">${this.localize.term(trouble && trouble !== 'expired' ? `form.reset.${trouble === 'owner-gone' ? 'ownerGone' : trouble}` : 'form.reset.hint')}</span>
      ${this.#offerEndSessions
        ? html`<label class="choice" part="end-sessions">
              <input
                type="checkbox"
                name="end-sessions"
                aria-describedby="end-sessions-hint"
                .checked=${this.endSessions}
                @change=${(e: Event) => (this.endSessions = (e.target as HTMLInputElement).checked)}
              />
              ${this.localize.term('common.endSessions', this.openSessions ?? 0)}
            </label>
            <span id="end-sessions-hint" class="hint">${this.localize.term('common.endSessions.hint')}</span>`
        : nothing}
    </div>`;
  }

  #renderAllowlist() {
    const error = this.errors.allowlist;
    return html`<fieldset part="allowlist" aria-describedby=${this.#describedBy('allowlist-hint', error && 'allowlist-error')}>
      <legend>${this.localize.term('form.allowlist')}</legend>
      <span id="allowlist-hint" class="hint">${this.localize.term('form.allowlist.hint')}</span>
      <div class="presets" role="group" aria-label=${this.localize.term('form.allowlist.presets')}>
        ${(['everything', 'readOnly', 'events', 'snapshots', 'replication', 'sharing'] as const).map(
          (preset) => html`<button type="button" @click=${() => this.#applyAllowlistPreset(preset)}>
            ${this.localize.term(`form.allowlist.preset.${preset}`)}
          </button>`,
        )}
      </div>
      ${this.rows.length === 0
        ? html`<p class="hint">${this.localize.term('form.allowlist.empty')}</p>`
        : html`<div class="entries">
            <span class="column" aria-hidden="true">${this.localize.term('form.allowlist.method')}</span>
            <span class="column" aria-hidden="true">${this.localize.term('form.allowlist.resource')}</span>
            <span></span>
            ${this.rows.map((row, index) => this.#renderRow(row, index + 1))}
          </div>`}
      ${this.#errorText('allowlist-error', error)}
      <button type="button" id="add-entry" class="add" @click=${this.#addRow}>${this.localize.term('form.allowlist.add')}</button>
    </fieldset>`;
  }

  #renderRow(row: Row, position: number) {
    const error = this.rowErrors[row.id];
    return html`<select
        aria-label=${this.localize.term('form.allowlist.methodOf', position)}
        @change=${(e: Event) => this.#updateRow(row, { method: (e.target as HTMLSelectElement).value as AllowlistMethod })}
      >
        ${ALLOWLIST_METHODS.map((method) => html`<option value=${method} ?selected=${method === row.method}>${method}</option>`)}
      </select>
      <input
        id="resource-${row.id}"
        autocomplete="off"
        spellcheck="false"
        aria-label=${this.localize.term('form.allowlist.resourceOf', position)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(error ? `resource-error-${row.id}` : undefined)}
        .value=${row.resource}
        @input=${(e: Event) => this.#updateRow(row, { resource: (e.target as HTMLInputElement).value })}
      />
      <button type="button" id="remove-${row.id}" class="icon" aria-label=${this.localize.term('form.allowlist.remove', position)} @click=${() => this.#removeRow(row)}>
        ${removeIcon}
      </button>
      ${error ? html`<span id="resource-error-${row.id}" class="error row-error">${error}</span>` : nothing}`;
  }
}
