import { html, nothing, type PropertyValues, type CSSResultGroup, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { NasElement } from '../internal/nas-element.js';
import { ModalController } from '../internal/modal.js';
import { controls, dialogStyles, tokens } from '../internal/controls.styles.js';
import { ApiKeyTable, usageWindowDays, type TableSort } from '../api-key-table/api-key-table.js';
import type { NasSortChangeEvent } from '../events/sort-change.js';
import { ApiKeyForm } from '../api-key-form/api-key-form.js';
import { KeyRevealDialog } from '../key-reveal-dialog/key-reveal-dialog.js';
import { DeleteKeyDialog } from '../delete-key-dialog/delete-key-dialog.js';
import { ScopedKeyForm } from '../scoped-key-form/scoped-key-form.js';
import type { NasScopedKeyCreateEvent } from '../events/scoped-key-create.js';
import type { RoleInfo, ScopedKeyInput } from '../model/scoped-key.js';
import { defineElement } from '../internal/define.js';
import { NasKeyActionEvent, type KeyAction } from '../events/key-action.js';
import type { NasKeySubmitEvent } from '../events/key-submit.js';
import type { NasDeleteConfirmEvent } from '../events/delete-confirm.js';
import type { ApiKeyService } from '../service/api-key-service.js';
import { isolate } from '../internal/display-text.js';
import {
  keyTrouble,
  type ApiKey,
  type ConnectionState,
  type EndSessionsResult,
  type HostCapabilities,
  type KeyChange,
  type KeyOwner,
  type KeySessionsReport,
  type KeyUsageReport,
  type KeyWithSecret,
  type UpdateKeyInput,
} from '../model/api-key.js';
import styles from './api-key-manager.styles.js';
import { addEnglishTerms } from '../localize/localize.js';
import enManager from '../localize/translations/en-manager.js';
import { layered } from '../internal/layer.js';
import { DELETE_EXPORTPARTS, FORM_EXPORTPARTS, REVEAL_EXPORTPARTS, SCOPED_EXPORTPARTS, TABLE_EXPORTPARTS } from './nested-parts.js';

addEnglishTerms(enManager);

interface Notice {
  id: number;
  kind: 'success' | 'error';
  text: string;
  /** An offer in the toast (e.g. end a quick-reset key's sessions); such a toast stays until used or dismissed. */
  offer?: { label: string; run: () => Promise<void> };
}

/** Most notices kept on screen; older ones drop off. */
const MAX_NOTICES = 3;

const TERM_OF_STATE = {
  connecting: 'manager.connection.connecting',
  'signed-in': 'manager.connection.signedIn',
  reconnecting: 'manager.connection.reconnecting',
  offline: 'manager.connection.offline',
} as const;

/**
 * @summary The complete API-key screen for one NAS: the key table plus add, edit, reset and delete
 * flows (form, one-time key reveal, delete confirmation) against an injected `ApiKeyService`, with
 * success and error notices, live updates and an "API Docs" link.
 * @status stable
 * @since 0.1
 *
 * @event {NasKeyActionEvent} nas-key-action - A row action was chosen (cancelable): `preventDefault()` to handle it yourself instead of the manager's flow.
 * @event {NasKeySaveEvent} nas-key-save - From the reveal dialog when `vault` is set: store `detail.secret`; call `event.waitUntil(promise)`.
 * @event {NasKeyCopyEvent} nas-key-copy - From the reveal dialog: a copy attempt finished.
 *
 * @csspart toolbar - Title, connection state, API Docs link and Add button.
 * @csspart title - The heading.
 * @csspart connection - The connection state (only when the service has `watchConnection`); its `data-connection-state` attribute holds the state.
 * @csspart docs-link - The API Docs link.
 * @csspart add-button - Add.
 * @csspart scoped-button - "Scoped key" (25.04+ hosts whose service plans scoped keys).
 * @csspart scoped-dialog - The scoped-key `<dialog>`.
 * @csspart details-dialog - A key's details `<dialog>` (the `details` row action, offered where the host reports last use or sessions).
 * @csspart details - Its list: access and roles, last use, open sessions.
 * @csspart details-last-used - The last use (time and address), or why it is not known.
 * @csspart details-sessions - The open sessions (address, since when), or why they are not shown.
 * @csspart details-close-button - Its Close button.
 * @csspart scoped-key-form - The `<scoped-key-form>` in it; its parts as `scoped-<part>` (`scoped-review`, `scoped-create-button`, `scoped-failure`, …).
 * @csspart notices - The toast stack (a live region): success toasts leave after `noticeDuration`, errors stay until dismissed.
 * @csspart notice - One toast; also `notice-success` / `notice-error`.
 * @csspart empty-add-button - Add, in the table's empty state.
 * @csspart dismiss-button - A notice's Dismiss button.
 * @csspart notice-offer-button - An offer in a notice: after a quick reset, "End its N open sessions" (the toast stays until used or dismissed).
 * @csspart table - The `<api-key-table>`.
 * @csspart form-dialog - The add/edit `<dialog>`.
 * @csspart form - The `<api-key-form>`.
 * @csspart keep-editing-button - "Keep editing", when closing the form would discard changes.
 * @csspart discard-button - "Discard", ditto.
 * @csspart status-badge - Every part of the nested `<api-key-table>` under its own name (`row`, `status-badge`, `action-edit`, `organizer`, …), except `base` and `toolbar`, which are `table-base` and `table-toolbar`.
 * @csspart form-submit-button - Every part of the nested `<api-key-form>` as `form-<part>` (`form-name`, `form-owner`, `form-footer`, …).
 * @csspart reveal-copy-button - Every part of the nested `<key-reveal-dialog>` as `reveal-<part>` (`reveal-dialog`, `reveal-secret`, …).
 * @csspart delete-delete-button - Every part of the nested `<delete-key-dialog>` as `delete-<part>` (`delete-dialog`, `delete-confirm`, …).
 *
 * @cssproperty --nas-dialog-width - Preferred width of the dialogs (the add/edit dialog defaults to 38rem, the others to 34rem).
 */
export class ApiKeyManager extends NasElement {
  static override styles: CSSResultGroup = layered(tokens, controls, dialogStyles, styles);

  /** The NAS to manage. Setting it (re)loads everything and subscribes to live changes. */
  @property({ attribute: false }) service: ApiKeyService | null = null;

  /** Offer "Save to vault" when a key is shown (handle `nas-key-save`). */
  @property({ type: Boolean, reflect: true }) vault = false;

  /** Passed to the reveal dialog: writes copies for hosts that keep their own clipboard (see key-reveal-dialog). */
  @property({ attribute: false }) writeClipboard: ((text: string) => Promise<void>) | null = null;

  /** Row actions to offer. */
  @property({ attribute: false }) actions: KeyAction[] = ['edit', 'reset', 'delete'];

  /** Heading text; defaults to the translated "API keys". */
  @property() heading = '';

  /** Passed to the table: the `localStorage` key under which column choices persist (null: not kept). */
  @property({ attribute: 'columns-key' }) columnsKey: string | null = null;

  /**
   * The sort the table opens with (it sorts the keys, e.g. name ascending), null for the service's
   * order. The user's choice (a header click) replaces it; an equal new object is no change.
   */
  @property({ attribute: false, hasChanged: (a: TableSort | null, b: TableSort | null) => a?.field !== b?.field || a?.direction !== b?.direction })
  initialSort: TableSort | null = null;

  /** The user's sort, once they chose one (undefined: `initialSort`). */
  @state() private userSort: TableSort | null | undefined = undefined;

  /** How long a success toast stays once it can be seen (not behind a dialog), in ms; hover or focus keep it longer. Errors stay until dismissed. */
  @property({ attribute: false }) noticeDuration = 6000;

  @state() private keys: ApiKey[] = [];
  /** Last use per key (one `keyUsage()` per refresh); null while unknown or unsupported. */
  @state() private usage: KeyUsageReport | null = null;
  /** Open sessions per key (one `allKeySessions()` per refresh); null while unknown or unsupported. */
  @state() private sessions: KeySessionsReport | null = null;
  @state() private capabilities: HostCapabilities | null = null;
  @state() private currentUsername: string | null = null;
  @state() private users: KeyOwner[] = [];
  @state() private loading = false;
  @state() private loadError: string | null = null;
  @state() private notices: Notice[] = [];
  @state() private form: { mode: 'create' | 'edit'; key: ApiKey | null; resetChecked: boolean } | null = null;
  @state() private discarding = false;
  /** The scoped-key dialog is open (its form is rendered). */
  @state() private scopedOpen = false;
  /** The key whose details are shown, or null. */
  @state() private detailsKey: ApiKey | null = null;
  @state() private roles: RoleInfo[] | null = null;
  @state() private connection: ConnectionState | null = null;
  /**
   * Whether one of the manager's modal dialogs is open. Toasts wait until it closes: under the
   * backdrop they would be dimmed and, the page being inert, never announced.
   */
  @state() private covered = false;

  @query('dialog.form-dialog') private formDialog!: HTMLDialogElement;
  @query('api-key-form') private formElement?: ApiKeyForm;
  @query('api-key-table') private table?: ApiKeyTable;
  @query('key-reveal-dialog') private reveal!: KeyRevealDialog;
  @query('delete-key-dialog') private deleteDialog!: DeleteKeyDialog;
  @query('[part~="add-button"]') private addButton?: HTMLButtonElement;
  @query('dialog.scoped-dialog') private scopedDialog!: HTMLDialogElement;
  @query('dialog.details-dialog') private detailsDialog!: HTMLDialogElement;
  @query('scoped-key-form') private scopedForm?: ScopedKeyForm;
  @query('[part~="scoped-button"]') private scopedButton?: HTMLButtonElement;

  private unsubscribe: (() => void) | null = null;
  private unwatch: (() => void) | null = null;
  /** The key to highlight once the reveal dialog closes (a highlight behind a modal is never seen). */
  private pendingHighlight: number | null = null;
  private readonly noticeTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private loadToken = 0;
  private noticeId = 0;
  private usersLoaded = false;

  private readonly formModal = new ModalController(this, () => this.formDialog, {
    requestClose: () => this.requestFormClose(),
    closedByBrowser: () => this.closeForm(),
  });

  private readonly detailsModal = new ModalController(this, () => this.detailsDialog, {
    requestClose: () => this.closeDetails(),
    closedByBrowser: () => this.closeDetails(),
  });

  private readonly scopedModal = new ModalController(this, () => this.scopedDialog, {
    requestClose: () => {
      if (!this.scopedForm?.busy) this.closeScoped();
    },
    closedByBrowser: () => this.closeScoped(),
  });

  constructor() {
    super();
    // The manager renders the other components; make sure they exist even when only its own
    // define entry point was loaded.
    defineElement('api-key-table', ApiKeyTable);
    defineElement('api-key-form', ApiKeyForm);
    defineElement('key-reveal-dialog', KeyRevealDialog);
    defineElement('delete-key-dialog', DeleteKeyDialog);
    defineElement('scoped-key-form', ScopedKeyForm);
  }

  /** Loads keys, capabilities and the signed-in user again. */
  async reload(): Promise<void> {
    const service = this.service;
    if (!service) return;
    const token = ++this.loadToken;
    this.loading = true;
    this.loadError = null;
    try {
      const [capabilities, keys, currentUsername] = await Promise.all([service.capabilities(), service.list(), service.currentUsername()]);
      if (token !== this.loadToken) return;
      this.capabilities = capabilities;
      this.keys = keys;
      this.currentUsername = currentUsername;
      void this.refreshInsights(token);
    } catch (error) {
      if (token !== this.loadToken) return;
      this.loadError = this.localize.term('manager.loadFailed', this.failureText(error));
    } finally {
      if (token === this.loadToken) this.loading = false;
    }
  }

  /**
   * Last use and open sessions of every key: one call each (never one per key), only where the
   * host has them; a failure becomes a `failed` report, so the keys stay usable without them.
   */
  private async refreshInsights(token = this.loadToken): Promise<void> {
    const service = this.service;
    const caps = this.capabilities;
    if (!service || !caps) return;
    const failed = (error: unknown) => ({ status: 'failed' as const, reason: this.failureText(error) });
    const [usage, sessions] = await Promise.all([
      caps.keyUsage && service.keyUsage ? service.keyUsage().catch(failed) : Promise.resolve(null),
      caps.keySessions && service.allKeySessions ? service.allKeySessions().catch(failed) : Promise.resolve(null),
    ]);
    if (token !== this.loadToken) return;
    this.usage = usage;
    this.sessions = sessions;
  }

  /** Open sessions of a key, when the host can end them; null when not offered. */
  private openSessions(key: ApiKey): number | null {
    if (!this.capabilities?.endSessions || !this.service?.endKeySessions || this.sessions?.status !== 'ok') return null;
    return this.sessions.byKey.get(key.id)?.length ?? 0;
  }

  /**
   * Ends a key's sessions after a delete or reset and says what happened, as the NAS reported it;
   * `chosen` false: the user kept them open. Reads the sessions again afterwards.
   */
  private async endSessionsAfter(key: ApiKey, chosen: boolean | undefined, count: number | null): Promise<{ text: string; ok: boolean }> {
    const service = this.service;
    if (chosen === undefined || !service?.endKeySessions) return { text: '', ok: true };
    if (!chosen) return { text: this.localize.term('manager.sessions.leftOpen', count ?? 0), ok: true };
    let text: string;
    let ok = true;
    try {
      const result: EndSessionsResult = await service.endKeySessions(key.id);
      text = this.localize.term('manager.sessions.ended', result.ended);
      if (result.failed > 0) {
        ok = false;
        text += ` ${this.localize.term('manager.sessions.notEnded', result.failed)}`;
      }
      if (result.keptCurrent) text += ` ${this.localize.term('manager.sessions.keptCurrent')}`;
    } catch (error) {
      ok = false;
      text = this.localize.term('manager.sessions.endFailed', this.failureText(error));
    }
    void this.refreshInsights();
    return { text, ok };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.service) this.attach();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detach();
    this.clearNotices();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('service')) {
      this.detach();
      this.keys = [];
      this.usage = null;
      this.sessions = null;
      this.capabilities = null;
      this.users = [];
      this.usersLoaded = false;
      this.roles = null;
      this.clearNotices();
      this.connection = null;
      // Until the first load settles the table shows "Loading", never "No API keys yet".
      this.loading = this.service !== null;
      this.loadError = null;
      if (this.service && this.isConnected) this.attach();
    }
  }

  private attach(): void {
    const service = this.service;
    if (!service) return;
    this.unsubscribe = service.subscribe((change) => this.applyChange(change));
    this.unwatch = service.watchConnection?.((state) => this.onConnection(state)) ?? null;
    void this.reload();
  }

  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.unwatch?.();
    this.unwatch = null;
    this.loadToken++;
  }

  private onConnection(state: ConnectionState): void {
    const before = this.connection;
    this.connection = state;
    // Back online: changes made meanwhile were never pushed, and a failed load can now succeed.
    if (state === 'signed-in' && (before === 'reconnecting' || before === 'offline' || (before && this.loadError))) void this.reload();
  }

  /** Applies a live change (also used for our own results, so the table never waits for the event). */
  private applyChange(change: KeyChange): void {
    if (change.type === 'removed') {
      this.keys = this.keys.filter((k) => k.id !== change.id);
      return;
    }
    const index = this.keys.findIndex((k) => k.id === change.key.id);
    this.keys = index < 0 ? [...this.keys, change.key] : this.keys.map((k, i) => (i === index ? change.key : k));
  }

  /**
   * Reports a change by the key's state as read back from the NAS: success only when the key now
   * works; otherwise what still keeps it from working, with advice that follows the NAS's reason.
   */
  private report(key: ApiKey, done: string): void {
    const trouble = keyTrouble(key);
    if (!trouble) return this.notify('success', done);
    const advice =
      trouble === 'unknown'
        ? this.localize.term('manager.trouble.unknown', key.revokedReason ? isolate(key.revokedReason) : this.localize.term('manager.trouble.noReason'))
        : this.localize.term(`manager.trouble.${trouble === 'owner-gone' ? 'ownerGone' : trouble}`);
    this.notify('error', `${done} ${advice}`);
  }

  private notify(kind: Notice['kind'], text: string, offer?: Notice['offer']): void {
    const notice: Notice = { id: ++this.noticeId, kind, text, ...(offer ? { offer } : {}) };
    const kept = [...this.notices, notice].slice(-MAX_NOTICES);
    for (const old of this.notices) if (!kept.includes(old)) this.dismiss(old);
    this.notices = kept;
    if (kind === 'success' && !offer) this.expire(notice, this.noticeDuration);
  }

  /** Removes a success toast after `delay`, later while someone reads it or a dialog covers the page. */
  private expire(notice: Notice, delay: number): void {
    this.noticeTimers.set(
      notice.id,
      setTimeout(() => {
        const element = this.renderRoot.querySelector(`[data-toast="${notice.id}"]`);
        const busy = this.covered || element?.matches(':hover, :focus-within');
        if (busy) this.expire(notice, 1000);
        else this.dismiss(notice);
      }, delay),
    );
  }

  private dismiss(notice: Notice): void {
    clearTimeout(this.noticeTimers.get(notice.id));
    this.noticeTimers.delete(notice.id);
    this.notices = this.notices.filter((n) => n !== notice);
  }

  private clearNotices(): void {
    for (const notice of this.notices) this.dismiss(notice);
  }

  /** Marks a new or changed row and scrolls it into view. */
  private highlight(id: number): void {
    void this.table?.highlight(id);
  }

  // ---- form ----------------------------------------------------------------------------------

  private async openForm(mode: 'create' | 'edit', key: ApiKey | null, resetChecked = false): Promise<void> {
    this.form = { mode, key, resetChecked };
    this.discarding = false;
    await this.updateComplete;
    this.formModal.show(mode === 'create' ? this.addButton : undefined);
    this.syncCovered();
    await this.formElement?.updateComplete;
    this.formElement?.focus();
    if (mode === 'create') void this.loadUsers();
  }

  private async loadUsers(): Promise<void> {
    const service = this.service;
    if (!service || this.usersLoaded || !this.capabilities?.userLinkedKeys) return;
    try {
      this.users = await service.users();
      this.usersLoaded = true;
    } catch {
      // The picker still searches through `searchUsers`; its own error shows there.
    }
  }

  private requestFormClose(): void {
    if (this.formElement?.busy) return;
    if (this.discarding) {
      void this.keepEditing();
      return;
    }
    if (this.formElement?.dirty) {
      this.discarding = true;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="keep-editing-button"]')?.focus());
      return;
    }
    this.closeForm();
  }

  private async keepEditing(): Promise<void> {
    this.discarding = false;
    await this.updateComplete;
    this.formElement?.focus();
  }

  private closeForm(fallback?: HTMLElement | null): void {
    this.formModal.close(fallback ?? this.addButton);
    this.form = null;
    this.discarding = false;
    this.syncCovered();
  }

  /** Reads whether a modal dialog of the manager is open now (see `covered`). */
  private syncCovered(): void {
    const covered = this.formModal.isOpen || this.scopedModal.isOpen || this.detailsModal.isOpen || this.reveal?.open === true || this.deleteDialog?.open === true;
    // A success toast that waited behind a dialog gets its full time once it can be seen.
    if (this.covered && !covered) {
      for (const notice of this.notices) {
        if (notice.kind !== 'success') continue;
        clearTimeout(this.noticeTimers.get(notice.id));
        this.expire(notice, this.noticeDuration);
      }
    }
    this.covered = covered;
  }

  private readonly nameTaken = async (name: string, exceptId?: number): Promise<boolean> =>
    // TrueNAS compares names case-sensitively across all keys of the NAS.
    this.keys.some((k) => k.name === name && k.id !== exceptId);

  private readonly searchUsers = async (text: string): Promise<KeyOwner[]> => (this.service ? this.service.users(text) : []);

  private onSubmit(event: NasKeySubmitEvent): void {
    const service = this.service;
    if (!service) return;
    const { detail } = event;
    event.waitUntil(
      (async () => {
        if (detail.mode === 'create') {
          const created = await service.create(detail.input);
          this.applyChange({ type: 'added', key: created.key });
          this.closeForm();
          this.report(created.key, this.localize.term('manager.created', this.keyName(created.key)));
          this.pendingHighlight = created.key.id;
          await this.showSecret(created, 'created');
          return;
        }
        const { reset, ...changes } = detail.input;
        const before = this.keys.find((k) => k.id === detail.id);
        if (reset) {
          // One call: service.reset applies the other changes too and is the only call that
          // returns the new secret, so nothing is half-applied if it fails.
          const count = before ? this.openSessions(before) : null;
          const fresh = await service.reset(detail.id, this.changed(before, changes) ? changes : undefined);
          this.applyChange({ type: 'changed', key: fresh.key });
          this.closeForm(this.table);
          const ended = await this.endSessionsAfter(fresh.key, detail.endSessions, count);
          const done = [this.localize.term('manager.wasReset', this.keyName(fresh.key)), ended.text].filter(Boolean).join(' ');
          if (ended.ok) this.report(fresh.key, done);
          else this.notify('error', done);
          this.pendingHighlight = fresh.key.id;
          await this.showSecret(fresh, 'reset');
        } else {
          const key = await service.update(detail.id, changes);
          this.applyChange({ type: 'changed', key });
          this.closeForm(this.table);
          this.report(key, this.localize.term('manager.updated', this.keyName(key)));
          this.highlight(key.id);
        }
      })(),
    );
  }

  /** Whether an edit changes anything besides the reset. */
  private changed(before: ApiKey | undefined, input: Omit<UpdateKeyInput, 'reset'>): boolean {
    if (!before) return true;
    if (input.name !== undefined && input.name !== before.name) return true;
    if (input.expiresAt !== undefined && input.expiresAt !== before.expiresAt) return true;
    if (input.allowlist !== undefined && JSON.stringify(input.allowlist) !== JSON.stringify(before.allowlist ?? [])) return true;
    return false;
  }

  private async showSecret(entry: KeyWithSecret, mode: 'created' | 'reset'): Promise<void> {
    const shown = this.reveal.show(entry, { mode });
    this.syncCovered();
    await shown;
  }

  // ---- details -------------------------------------------------------------------------------

  /** Row actions with Details first, where the host reports last use or sessions (the details show them). */
  private get rowActions(): KeyAction[] {
    const insights = this.usage !== null || this.sessions !== null;
    return insights && !this.actions.includes('details') && this.actions.length > 0 ? ['details', ...this.actions] : this.actions;
  }

  private async openDetails(key: ApiKey): Promise<void> {
    this.detailsKey = key;
    await this.updateComplete;
    this.detailsModal.show();
    this.syncCovered();
    this.renderRoot.querySelector<HTMLElement>('[part~="details-close-button"]')?.focus();
  }

  private closeDetails(): void {
    this.detailsModal.close();
    this.detailsKey = null;
    void this.keepFocus();
  }

  // ---- scoped keys (25.04+) ------------------------------------------------------------------

  /** The host makes keys scoped by a service account's roles, and the service can plan and run them. */
  private get scopedAvailable(): boolean {
    const service = this.service;
    return this.capabilities?.scopedKeys === true && !!service?.planScopedKey && !!service.createScopedKey && !!service.availableRoles;
  }

  private async openScoped(): Promise<void> {
    this.scopedOpen = true;
    await this.updateComplete;
    this.scopedForm?.reset();
    this.scopedModal.show(this.scopedButton);
    this.syncCovered();
    await this.scopedForm?.updateComplete;
    this.scopedForm?.focus();
    void this.loadRoles();
  }

  private async loadRoles(): Promise<void> {
    const service = this.service;
    if (!service?.availableRoles || this.roles) return;
    try {
      this.roles = await service.availableRoles();
    } catch (error) {
      this.roles = [];
      this.notify('error', this.failureText(error));
    }
  }

  private closeScoped(fallback?: HTMLElement | null): void {
    this.scopedModal.close(fallback ?? this.scopedButton);
    this.scopedOpen = false;
    this.syncCovered();
  }

  private readonly planScoped = async (input: ScopedKeyInput) => {
    const service = this.service;
    if (!service?.planScopedKey) throw new Error(this.localize.term('common.error.method_not_found'));
    return service.planScopedKey(input);
  };

  /**
   * Runs a reviewed plan. On success the key goes to the reveal dialog as any new key does (so a
   * vault saves it through `nas-key-save`); a failure stays in the form, which says which step
   * failed and what was undone: nothing is reported as created.
   */
  private onScopedCreate(event: NasScopedKeyCreateEvent): void {
    const run = this.service?.createScopedKey?.bind(this.service);
    if (!run) return;
    const { plan } = event.detail;
    event.waitUntil(
      (async () => {
        const result = await run(plan);
        this.applyChange({ type: 'added', key: result.key });
        this.closeScoped(this.table);
        const purpose = this.localize.term(`scoped.purpose.${plan.purpose}`);
        const done = result.created.username
          ? this.localize.term('scoped.created', this.keyName(result.key), purpose, isolate(result.created.username))
          : this.localize.term('scoped.createdAllowlist', this.keyName(result.key), purpose);
        this.report(result.key, done);
        for (const warning of result.warnings) this.notify('error', warning);
        this.pendingHighlight = result.key.id;
        void this.refreshInsights();
        // A service that keeps secrets itself (the extension's vault) says so in `stored`, as for `create`.
        const { stored } = result as Partial<KeyWithSecret>;
        await this.showSecret({ key: result.key, secret: result.secret, ...(stored ? { stored } : {}) }, 'created');
      })(),
    );
  }

  // ---- table actions -------------------------------------------------------------------------

  private onAction(event: NasKeyActionEvent): void {
    // The table's event stays inside; the host sees one cancelable request and may take it over.
    event.stopPropagation();
    if (!this.dispatchEvent(new NasKeyActionEvent(event.detail, true))) return;
    const { action, key } = event.detail;
    switch (action) {
      case 'details':
        void this.openDetails(key);
        break;
      case 'edit':
        void this.openForm('edit', key);
        break;
      case 'reset':
        void this.openForm('edit', key, true);
        break;
      case 'quick-reset':
        void this.quickReset(key);
        break;
      case 'delete':
        this.deleteDialog.openSessions = this.openSessions(key);
        void this.deleteDialog.show(key);
        this.syncCovered();
        break;
    }
  }

  private async quickReset(key: ApiKey): Promise<void> {
    const service = this.service;
    if (!service) return;
    const count = this.openSessions(key);
    try {
      const fresh = await service.reset(key.id);
      this.applyChange({ type: 'changed', key: fresh.key });
      this.report(fresh.key, this.localize.term('manager.wasReset', this.keyName(fresh.key)));
      // No confirmation step to ask in: the offer to end the sessions the old secret opened waits in a toast.
      if (count !== null && count > 0) {
        this.notify('success', this.localize.term('manager.sessions.stillOpen', count), {
          label: this.localize.term('common.endSessions', count),
          run: async () => {
            const ended = await this.endSessionsAfter(fresh.key, true, count);
            this.notify(ended.ok ? 'success' : 'error', ended.text);
          },
        });
      }
      this.pendingHighlight = fresh.key.id;
      await this.showSecret(fresh, 'reset');
    } catch (error) {
      this.notify('error', this.localize.term('manager.resetFailed', this.keyName(key), this.failureText(error)));
    }
  }

  private onDeleteConfirm(event: NasDeleteConfirmEvent): void {
    const service = this.service;
    if (!service) return;
    const { key, endSessions } = event.detail;
    const count = this.openSessions(key);
    event.waitUntil(
      service.delete(key.id).then(async () => {
        this.applyChange({ type: 'removed', id: key.id });
        const ended = await this.endSessionsAfter(key, endSessions, count);
        this.notify(ended.ok ? 'success' : 'error', [this.localize.term('manager.deleted', this.keyName(key)), ended.text].filter(Boolean).join(' '));
      }),
    );
  }

  /** After a dialog closed: when its trigger is gone (a deleted or re-rendered row), keep focus in the table. */
  private async keepFocus(): Promise<void> {
    this.syncCovered();
    await this.updateComplete;
    const active = this.renderRoot.ownerDocument.activeElement;
    if (!active || active === document.body) this.table?.focus();
  }

  private async onRevealClose(): Promise<void> {
    await this.keepFocus();
    const id = this.pendingHighlight;
    this.pendingHighlight = null;
    if (id !== null) this.highlight(id);
  }

  // ---- rendering -----------------------------------------------------------------------------

  override render(): TemplateResult {
    const docs = this.service?.apiDocsUrl;
    return html`<div class="manager" dir=${ifDefined(this.contentDir)}>
      <div class="toolbar" part="toolbar">
        <h2 class="title" part="title">${this.heading || this.localize.term('manager.title')}</h2>
        ${this.renderConnection()}
        <div class="toolbar-actions">
          ${docs
            ? html`<a part="docs-link" href=${docs} target="_blank" rel="noopener noreferrer"
                >${this.localize.term('manager.docs')}<span class="visually-hidden"> ${this.localize.term('manager.newTab')}</span></a
              >`
            : nothing}
          ${this.scopedAvailable
            ? html`<button type="button" part="scoped-button" aria-haspopup="dialog" @click=${() => this.openScoped()}>${this.localize.term('scoped.open')}</button>`
            : nothing}
          <button type="button" class="primary" part="add-button" ?disabled=${!this.capabilities} @click=${() => this.openForm('create', null)}>
            ${this.localize.term('manager.add')}
          </button>
        </div>
      </div>
      <div class="notices" part="notices" role="status">
        ${this.notices.length > 0 && !this.covered
          ? html`<ul>
              ${this.notices.map(
                (notice) => html`<li class="notice ${notice.kind}" part="notice notice-${notice.kind}" data-toast=${notice.id}>
                  <span>${notice.text}</span>
                  ${notice.offer
                    ? html`<button
                        type="button"
                        class="link"
                        part="notice-offer-button"
                        @click=${() => {
                          this.dismiss(notice);
                          void notice.offer?.run();
                        }}
                      >
                        ${notice.offer.label}
                      </button>`
                    : nothing}
                  <button type="button" class="link" part="dismiss-button" @click=${() => this.dismiss(notice)}>${this.localize.term('manager.dismiss')}</button>
                </li>`,
              )}
            </ul>`
          : nothing}
      </div>
      <api-key-table
        part="table"
        exportparts=${TABLE_EXPORTPARTS}
        .keys=${this.keys}
        .usage=${this.usage}
        .sessions=${this.sessions}
        .capabilities=${this.capabilities}
        .actions=${this.rowActions}
        .loading=${this.loading}
        .error=${this.loadError}
        .columnsKey=${this.columnsKey}
        .sort=${this.userSort !== undefined ? this.userSort : this.initialSort}
        @nas-sort-change=${(event: NasSortChangeEvent) => (this.userSort = event.detail.sort)}
        @nas-key-action=${this.onAction}
        @nas-retry=${() => this.reload()}
      >
        <div slot="empty" class="empty">
          <span>${this.localize.term('table.state.empty')}</span>
          <button type="button" class="primary" part="empty-add-button" ?disabled=${!this.capabilities} @click=${() => this.openForm('create', null)}>
            ${this.localize.term('manager.addFirst')}
          </button>
        </div>
      </api-key-table>
      ${this.renderFormDialog()} ${this.renderScopedDialog()} ${this.renderDetailsDialog()}
      <key-reveal-dialog exportparts=${REVEAL_EXPORTPARTS} ?vault=${this.vault} .writeClipboard=${this.writeClipboard} @nas-close=${this.onRevealClose}></key-reveal-dialog>
      <delete-key-dialog exportparts=${DELETE_EXPORTPARTS} @nas-delete-confirm=${this.onDeleteConfirm} @nas-close=${this.keepFocus}></delete-key-dialog>
    </div>`;
  }

  /** The connection state, when the service reports one; a live region, so changes are announced. */
  private renderConnection() {
    const state = this.connection;
    if (!state) return nothing;
    return html`<span class="connection" part="connection" data-connection-state=${state} role="status">
      <span class="dot" aria-hidden="true"></span>${this.localize.term(TERM_OF_STATE[state])}
    </span>`;
  }

  private renderDetailsDialog() {
    const key = this.detailsKey ? (this.keys.find((k) => k.id === this.detailsKey!.id) ?? this.detailsKey) : null;
    return html`<dialog class="details-dialog" part="details-dialog" aria-labelledby="details-title">
      ${key
        ? html`<div class="dialog-body">
            <h2 id="details-title" class="dialog-title">${this.localize.term('manager.details.title', this.keyName(key))}</h2>
            <dl class="details" part="details">
              ${key.access
                ? html`<dt>${this.localize.term('table.column.access')}</dt>
                    <dd>
                      ${key.access.summary === 'custom' ? this.localize.term('table.access.custom', key.access.roles.length) : this.localize.term(`table.access.${key.access.summary}`)}
                      ${key.access.managesKeys ? html`<strong class="wide"> — ${this.localize.term('table.access.managesKeys')}</strong>` : nothing}
                      ${key.access.roles.length ? html`<div class="roles"><code>${key.access.roles.join(', ')}</code></div>` : nothing}
                    </dd>`
                : nothing}
              <dt>${this.localize.term('table.column.lastUsed')}</dt>
              <dd part="details-last-used">${this.renderLastUse(key)}</dd>
              <dt>${this.localize.term('manager.details.sessions')}</dt>
              <dd part="details-sessions">${this.renderSessions(key)}</dd>
            </dl>
            <div class="dialog-footer">
              <button type="button" part="details-close-button" @click=${() => this.closeDetails()}>${this.localize.term('common.close')}</button>
            </div>
          </div>`
        : nothing}
    </dialog>`;
  }

  private renderLastUse(key: ApiKey): string {
    const usage = this.usage;
    if (!usage) return this.localize.term('manager.details.usageUnsupported');
    if (usage.status === 'not-permitted') return this.localize.term('table.usage.notPermitted');
    if (usage.status === 'unsupported') return this.localize.term('manager.details.usageUnsupported');
    if (usage.status === 'failed') return this.localize.term('table.usage.failed', isolate(usage.reason));
    const use = usage.lastUse.get(key.id);
    if (!use) return this.localize.term('table.lastUsed.notSeenWhy', usageWindowDays(usage, Date.now()));
    const when = `${this.localize.date(use.at, { dateStyle: 'long', timeStyle: 'short' })} (${this.localize.relativeTime(use.at)})`;
    return use.address ? this.localize.term('table.lastUsed.from', when, isolate(use.address)) : when;
  }

  private renderSessions(key: ApiKey) {
    const sessions = this.sessions;
    if (!sessions || sessions.status === 'unsupported') return this.localize.term('manager.details.sessionsUnsupported');
    if (sessions.status === 'not-permitted') return this.localize.term('table.sessions.notPermitted');
    if (sessions.status === 'failed') return this.localize.term('table.sessions.failed', isolate(sessions.reason));
    const list = sessions.byKey.get(key.id) ?? [];
    if (list.length === 0) return this.localize.term('manager.details.noSessions');
    return html`<ul class="sessions">
      ${list.map(
        (session) => html`<li>
          <bdi>${session.origin ?? this.localize.term('manager.details.noOrigin')}</bdi>
          ${session.loginAt !== null
            ? html` — ${this.localize.term('manager.details.since', `${this.localize.date(session.loginAt, { dateStyle: 'medium', timeStyle: 'short' })} (${this.localize.relativeTime(session.loginAt)})`)}`
            : nothing}
          ${session.current ? html` — <strong>${this.localize.term('manager.details.current')}</strong>` : nothing}
          ${session.secureTransport === false ? html` — ${this.localize.term('manager.details.insecure')}` : nothing}
        </li>`,
      )}
    </ul>`;
  }

  private renderScopedDialog() {
    return html`<dialog class="scoped-dialog" part="scoped-dialog" aria-labelledby="scoped-title">
      ${this.scopedOpen
        ? html`<div class="dialog-body">
            <h2 id="scoped-title" class="dialog-title">${this.localize.term('scoped.title')}</h2>
            <scoped-key-form
              part="scoped-key-form"
              exportparts=${SCOPED_EXPORTPARTS}
              .capabilities=${this.capabilities}
              .roles=${this.roles}
              .planner=${this.planScoped}
              @nas-scoped-key-create=${this.onScopedCreate}
              @nas-form-cancel=${() => this.closeScoped()}
            ></scoped-key-form>
          </div>`
        : nothing}
    </dialog>`;
  }

  private renderFormDialog() {
    const form = this.form;
    const title = form?.mode === 'edit' && form.key ? this.localize.term('manager.editTitle', this.keyName(form.key)) : this.localize.term('manager.addTitle');
    return html`<dialog
      class="form-dialog"
      part="form-dialog"
      aria-labelledby="form-title"
    >
      ${form
        ? html`<div class="dialog-body">
            <h2 id="form-title" class="dialog-title">${this.discarding ? this.localize.term('manager.discard.title') : title}</h2>
            ${this.discarding
              ? html`<p>${this.localize.term('manager.discard.text')}</p>
                  <div class="dialog-footer">
                    <button type="button" class="primary" part="keep-editing-button" @click=${this.keepEditing}>${this.localize.term('manager.discard.back')}</button>
                    <button type="button" class="danger" part="discard-button" @click=${() => this.closeForm()}>${this.localize.term('manager.discard.confirm')}</button>
                  </div>`
              : nothing}
            <api-key-form
              part="form"
              exportparts=${FORM_EXPORTPARTS}
              ?hidden=${this.discarding}
              mode=${form.mode}
              .key=${form.key}
              .resetChecked=${form.resetChecked}
              .openSessions=${form.mode === 'edit' && form.key ? this.openSessions(form.key) : null}
              .capabilities=${this.capabilities}
              .users=${this.users}
              .searchUsers=${this.searchUsers}
              .currentUsername=${this.currentUsername}
              .nameTaken=${this.nameTaken}
              @nas-key-submit=${this.onSubmit}
              @nas-form-cancel=${() => this.requestFormClose()}
            ></api-key-form>
          </div>`
        : nothing}
    </dialog>`;
  }
}
