import { html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { controls, dialogStyles, tokens, errorMessage, displayText, isolate, icon } from '../../components/kit.js';
import type { KeyRevealDialog } from '../../components/key-reveal-dialog/key-reveal-dialog.js';
import type { ApiKeyService } from '../../components/service/api-key-service.js';
import { keyTrouble, type ApiKey, type ApiKeyRow, type ConnectionState, type KeyChange } from '../../components/model/api-key.js';
import { call, subscribe, unwrap } from '../shared/messaging.js';
import { nativeApi } from '../shared/platform.js';
import type { ExtTermKey } from '../shared/i18n/index.js';
import type { FleetResult, QuickResetResult, SavedHost, VaultState } from '../shared/protocol.js';
import { DeferredLockController } from '../shared/ui/deferred-lock-controller.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import type { ExtEvent } from '../shared/ui/events.js';
import { pageStyles } from '../shared/ui/styles.js';
import { backgroundService } from './background-service.js';
import { FirstPaintController } from './first-paint/controller.js';
import { openFullView } from './full-view.js';
import { loadRevealDialog, loadVaultView } from './lazy-parts.js';
import type { KeyAction, NkmKeyList } from './key-list.js';
import { popupStyles } from './popup.styles.js';
import { ALL, SELECTED_KEY, rememberSelection } from './selection.js';
import { fleetReadiness } from '../shared/upgrade.js';
import { takeEarly } from './startup.js';

type View = 'keys' | 'vault';

const CONNECTION_TERMS: Record<ConnectionState, ExtTermKey> = {
  connecting: 'ext.full.connection.connecting',
  'signed-in': 'ext.full.connection.signedIn',
  reconnecting: 'ext.full.connection.reconnecting',
  offline: 'ext.full.connection.offline',
};
const DAY_MS = 86_400_000;
/** Worst first: All hosts shows the state of the host that fares worst. */
const CONNECTION_ORDER: readonly ConnectionState[] = ['offline', 'reconnecting', 'connecting', 'signed-in'];

interface Pending {
  host: SavedHost;
  key: ApiKeyRow;
}

/** Applies one live change to a host's rows (tagged with the host, as All hosts rows are). */
function applyChange(rows: readonly ApiKeyRow[], change: KeyChange, host: SavedHost): ApiKeyRow[] {
  const tag = (key: ApiKey): ApiKeyRow => ({ ...key, hostId: host.id, hostName: host.name });
  if (change.type === 'removed') return rows.filter((r) => r.id !== change.id);
  const at = rows.findIndex((r) => r.id === change.key.id);
  if (at < 0) return [...rows, tag(change.key)];
  const next = [...rows];
  next[at] = tag(change.key);
  return next;
}

/**
 * The toolbar popup: unlock prompt, a search-first key list for one host or All hosts with a
 * row menu per key, Quick reset (reset + copy + vault in two clicks) with its truthful result,
 * Copy from vault, the vault view, and the full view (a tab) for edit, reset, delete and create.
 */
export class NkmPopupApp extends ExtElement {
  static override styles = [tokens, controls, dialogStyles, pageStyles, popupStyles];

  @state() private vault: VaultState | null = null;
  @state() private hosts: SavedHost[] = [];
  @state() private loadError: string | null = null;
  @state() private view: View = 'keys';
  @state() private selected: string = ALL;
  /** Keys of the shown host (or all hosts); null while loading. */
  @state() private rows: ApiKeyRow[] | null = null;
  @state() private listError: string | null = null;
  @state() private liveError: string | null = null;
  /** When the shown host's list last came live from the NAS (null: still the cached one). */
  @state() private liveAt: number | null = null;
  @state() private connection = new Map<string, ConnectionState>();
  @state() private fleet: FleetResult | null = null;
  @state() private fleetBusy = false;
  @state() private fleetError: string | null = null;
  @state() private progress: { done: number; total: number } | null = null;
  @state() private expiringDays = 14;
  /** Vault entry ids by `hostId#keyId`, for "Copy from vault". */
  @state() private stored = new Map<string, string>();
  /** The same keys as a set, kept with `stored` so the list re-renders only when it changes. */
  @state() private storedKeys: ReadonlySet<string> = new Set();
  @state() private notice: { text: string; error: boolean } | null = null;
  @state() private confirmReset: Pending | null = null;
  /** Open sessions of the key being quick-reset (they outlive the reset on TrueNAS), and whether to end them. */
  @state() private resetSessions: { count: number; end: boolean } | null = null;
  @state() private resetBusy = false;
  @state() private resetError: string | null = null;
  @state() private resetDone: { host: SavedHost; result: QuickResetResult; sessions?: { ended: number; failed: number; keptCurrent: boolean } | { error: string } } | null = null;
  @state() private otpFor: SavedHost | null = null;
  @state() private otpError: string | null = null;

  @query('dialog.confirm-reset') private confirmDialog?: HTMLDialogElement;
  @query('key-reveal-dialog.unsaved') private unsavedDialog?: KeyRevealDialog;
  @query('dialog.otp') private otpDialog?: HTMLDialogElement;
  @query('dialog.otp input') private otpInput?: HTMLInputElement;
  @query('nkm-key-list') private keyList?: NkmKeyList;
  /** The lock screen waits while a new secret is on its way or on screen (the NAS never shows it again). */
  private readonly deferredLock = new DeferredLockController(this, { holdsSecret: () => this.holdsSecret(), lock: () => this.applyLock() });

  private unsubscribe: (() => void) | null = null;
  /** Stops the shown selection's change and connection listeners. */
  private stopSelection: Array<() => void> = [];
  private otpResolve: ((otp: string | null) => void) | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The search gets the cursor once, when the list first shows (on open or after unlock). */
  private focusSearch = true;
  /** The lock screen's form, to give its passphrase field the cursor once each time it shows. */
  private unlockShown: Element | null = null;
  /** The remembered host's cached list, asked for before the app existed (first load only). */
  private early: Promise<{ hostId: string; keys: ApiKey[] } | null> | null = null;

  constructor() {
    super();
    // The next opening paints this list first (see shared/first-paint.ts).
    new FirstPaintController(this, { settled: () => this.settled(), picture: () => this.picture() });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = subscribe((event) => {
      if (event.type === 'vault') this.vaultChanged(event.state);
      else if (event.type === 'hosts') this.hostsChanged(event.hosts);
      else if (event.type === 'settings') this.expiringDays = event.settings.expiringDays;
      else if (event.type === 'progress' && event.operation === 'fleet') this.progress = { done: event.done, total: event.total };
      else if (event.type === 'keys-changed') {
        if (this.selected === ALL && this.fleet) void this.loadFleet(true);
        void this.loadStored();
      }
    });
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.stopWatching();
    clearTimeout(this.noticeTimer);
  }

  override updated(): void {
    const unlock = this.renderRoot.querySelector('nkm-unlock-form');
    if (unlock && unlock !== this.unlockShown) unlock.focus();
    this.unlockShown = unlock;
    if (this.focusSearch && this.keyList) {
      this.focusSearch = false;
      void this.keyList.focusSearch();
    }
  }

  private async load(): Promise<void> {
    try {
      const early = takeEarly();
      this.early = early?.cached ?? null;
      const [state, selected] = await Promise.all([
        early ? early.state.then((reply) => unwrap<'app.state'>(reply)) : call('app.state', null),
        early?.selected ?? nativeApi().storage.local.get(SELECTED_KEY).then((stored) => stored[SELECTED_KEY]),
      ]);
      this.expiringDays = state.settings.expiringDays;
      this.hosts = state.hosts;
      const remembered = typeof selected === 'string' ? selected : ALL;
      // While locked the host list is sealed (empty): the remembered host stays chosen, and is
      // checked against the hosts the unlock sends (hostsChanged).
      this.selected = state.vault.locked || remembered === ALL || state.hosts.some((h) => h.id === remembered) ? remembered : ALL;
      // A remembered host that is gone: All hosts is remembered instead (the first paint reads it).
      if (this.selected !== remembered) void rememberSelection(this.selected);
      this.loadError = null;
      this.vaultChanged(state.vault);
    } catch (error) {
      this.loadError = errorMessage(error, this.t.term('ext.error.internal'));
    }
  }

  /** Whether what shows is what this opening shows (not "Loading"), so the first paint can go. */
  private settled(): boolean {
    if (this.loadError) return true;
    if (!this.vault) return false;
    if (!this.unlocked || this.view !== 'keys' || this.hosts.length === 0) return true;
    return this.rows !== null || this.listError !== null || this.fleetError !== null;
  }

  /** The key list as the next opening should paint it first, or null if something else shows. */
  private picture(): { selected: string; validUntil: number; ready: Promise<unknown> } | null {
    const list = this.keyList;
    const rows = this.rows;
    if (!this.unlocked || this.view !== 'keys' || !list?.unfiltered || !rows || this.deferredLock.pending) return null;
    if (this.listError || this.liveError || this.fleetError || this.fleetBusy || this.fleet?.hosts.some((h) => h.state === 'error')) return null;
    if (this.notice || this.resetDone || this.confirmReset || this.otpFor || this.unsavedDialog?.open) return null;
    // Until a shown status would change (a key expires or starts expiring), or the vault locks.
    const now = Date.now();
    let validUntil = this.vault?.autoLockAt ?? Infinity;
    for (const row of rows) {
      if (row.expiresAt === null || row.revoked) continue;
      for (const at of [row.expiresAt - this.expiringDays * DAY_MS, row.expiresAt]) if (at > now) validUntil = Math.min(validUntil, at);
    }
    return { selected: this.selected, validUntil, ready: list.updateComplete };
  }

  private get unlocked(): boolean {
    return this.vault !== null && this.vault.initialized && !this.vault.locked;
  }

  private vaultChanged(vault: VaultState): void {
    const wasUnlocked = this.unlocked;
    this.vault = vault;
    if (this.unlocked) {
      this.deferredLock.vaultUnlocked();
      if (!wasUnlocked) {
        this.focusSearch = true;
        this.showSelection();
      }
      return;
    }
    this.deferredLock.vaultLocked();
  }

  /** A new secret is on its way, or shown in the reveal dialog: it must reach the user first. */
  private holdsSecret(): boolean {
    return this.resetBusy || this.unsavedDialog?.open === true;
  }

  private applyLock(): void {
    this.stopWatching();
    this.rows = null;
    this.fleet = null;
    this.resetDone = null;
    this.stored = new Map();
    this.storedKeys = new Set();
    this.notice = null;
  }

  private hostsChanged(hosts: SavedHost[]): void {
    const had = this.hosts.some((h) => h.id === this.selected);
    this.hosts = hosts;
    if (this.selected !== ALL && !hosts.some((h) => h.id === this.selected)) return this.select(ALL);
    // After an unlock the host list can arrive after the new vault state: show the remembered host now.
    if (this.selected !== ALL && !had && this.unlocked) this.showSelection();
  }

  private select(selected: string): void {
    this.selected = selected;
    void rememberSelection(selected);
    this.showSelection();
  }

  private stopWatching(): void {
    for (const stop of this.stopSelection) stop();
    this.stopSelection = [];
    this.connection = new Map();
  }

  private serviceFor(host: SavedHost): ApiKeyService {
    return backgroundService(host, {
      askOtp: (h) => this.askOtp(h),
      onLiveError: (error) => {
        if (this.selected === host.id) this.liveError = errorMessage(error, this.t.term('ext.error.internal'));
      },
      onLive: (fetchedAt) => {
        if (this.selected !== host.id) return;
        this.liveError = null;
        this.liveAt = fetchedAt;
      },
    });
  }

  /** Follows a host's connection state, when its service can tell. */
  private watch(host: SavedHost, service: ApiKeyService): void {
    const stop = service.watchConnection?.((state) => (this.connection = new Map(this.connection).set(host.id, state)));
    if (stop) this.stopSelection.push(stop);
  }

  private showSelection(): void {
    this.stopWatching();
    this.liveError = null;
    this.listError = null;
    this.liveAt = null;
    this.resetDone = null;
    this.rows = null;
    if (!this.unlocked) return;
    if (this.selected === ALL) {
      for (const host of this.hosts) this.watch(host, this.serviceFor(host));
      void this.loadFleet(false);
      return;
    }
    const host = this.hosts.find((h) => h.id === this.selected);
    if (!host) return;
    const service = this.serviceFor(host);
    const selected = this.selected;
    const early = this.early;
    this.early = null;
    // The early cached list shows at once; the service's own list (cached, then live) follows.
    void early?.then((list) => {
      if (list && list.hostId === selected && this.selected === selected && this.rows === null) this.rows = list.keys.map((key) => ({ ...key, hostId: host.id, hostName: host.name }));
    });
    // Changes (the live list after the cached one, other pages, quick resets) arrive in place.
    this.stopSelection.push(
      service.subscribe((change) => {
        if (this.selected === selected && this.rows) this.rows = applyChange(this.rows, change, host);
      }),
    );
    service.list().then(
      (keys) => {
        if (this.selected !== selected) return;
        this.rows = keys.map((key) => ({ ...key, hostId: host.id, hostName: host.name }));
        // The connection state after the rows: its request does not hold up the first list.
        this.watch(host, service);
        // After the list: which keys the vault holds does not hold up the first rows.
        void this.loadStored();
      },
      (error: unknown) => {
        if (this.selected !== selected) return;
        this.listError = errorMessage(error, this.t.term('ext.error.internal'));
        this.watch(host, service);
      },
    );
  }

  /** All hosts: the cached list at once, then a live refresh of every host in parallel. */
  private async loadFleet(liveOnly: boolean): Promise<void> {
    try {
      if (!liveOnly) {
        this.setFleet(await call('keys.fleet', { cached: true }));
        void this.loadStored();
      }
      if (this.hosts.length === 0) return;
      this.fleetBusy = true;
      this.fleetError = null;
      this.setFleet(await call('keys.fleet', {}));
    } catch (error) {
      this.fleetError = errorMessage(error, this.t.term('ext.error.internal'));
    } finally {
      this.fleetBusy = false;
      this.progress = null;
    }
  }

  private setFleet(fleet: FleetResult): void {
    if (this.selected !== ALL || !this.unlocked) return;
    this.fleet = fleet;
    this.rows = fleet.rows;
  }

  /** Which keys the vault holds a secret for (no secrets: ids only). */
  private async loadStored(): Promise<void> {
    if (!this.unlocked) return;
    try {
      const entries = await call('vault.list', {});
      this.stored = new Map(entries.filter((e) => e.hostId !== null && e.keyId !== null).map((e) => [`${e.hostId}#${e.keyId}`, e.id]));
      this.storedKeys = new Set(this.stored.keys());
    } catch {
      // Copy from vault stays disabled; the vault view says what is wrong.
    }
  }

  private say(text: string, error = false): void {
    clearTimeout(this.noticeTimer);
    this.notice = { text, error };
    // Success fades after a while; an error stays until dismissed or replaced.
    if (!error) this.noticeTimer = setTimeout(() => (this.notice = null), 8000);
  }

  // ---- Row actions -------------------------------------------------------------------------------

  private onKeyAction(event: ExtEvent<KeyAction>): void {
    const { action, row } = event.detail;
    const hostId = row.hostId ?? this.selected;
    if (action === 'quick-reset') return this.startQuickReset(row);
    if (action === 'copy') return void this.copyFromVault(row);
    void openFullView(hostId, { keyId: row.id, action });
  }

  private async copyFromVault(row: ApiKeyRow): Promise<void> {
    const id = this.stored.get(`${row.hostId ?? ''}#${row.id}`);
    if (!id) return;
    const name = this.storedNameText(row.name, row.id);
    try {
      const { clearsAt } = await call('vault.copy', { id });
      this.say(clearsAt ? this.t.term('ext.popup.copied', name, this.t.date(clearsAt, { timeStyle: 'medium' })) : this.t.term('ext.popup.copiedNoClear', name));
    } catch (error) {
      this.say(errorMessage(error, this.t.term('ext.error.internal')), true);
    }
  }

  // ---- One-time codes ---------------------------------------------------------------------------

  private askOtp(host: SavedHost): Promise<string | null> {
    this.otpResolve?.(null);
    this.otpFor = host;
    this.otpError = null;
    void this.updateComplete.then(() => {
      this.otpDialog?.showModal();
      this.otpInput?.focus();
    });
    return new Promise((resolve) => (this.otpResolve = resolve));
  }

  private finishOtp(otp: string | null): void {
    if (otp !== null && !/^\d{6,8}$/.test(otp.trim())) {
      this.otpError = this.t.term('ext.host.error.otpFormat');
      return;
    }
    this.otpDialog?.close();
    this.otpFor = null;
    const resolve = this.otpResolve;
    this.otpResolve = null;
    resolve?.(otp?.trim() ?? null);
  }

  /**
   * The reveal dialog copies through the background, which records when to clear the clipboard
   * before it writes (and refuses with a message when it cannot): the page never writes a key itself.
   */
  private readonly copyThroughBackground = async (text: string): Promise<void> => {
    await call('clipboard.copy', { text });
  };

  // ---- Quick reset --------------------------------------------------------------------------------

  private startQuickReset(row: ApiKeyRow): void {
    const host = this.hosts.find((h) => h.id === (row.hostId ?? this.selected));
    if (!host) return;
    this.resetError = null;
    this.resetDone = null;
    this.confirmReset = { host, key: row };
    this.resetSessions = null;
    // Loaded now, so a new key the vault does not take is shown at once.
    void loadRevealDialog();
    void this.updateComplete.then(() => this.confirmDialog?.showModal());
    // Sessions opened with the key stay signed in after a reset: offer to end them (24.10+).
    void call('keys.keySessions', { hostId: host.id, id: row.id }).then(
      (sessions) => {
        if (this.confirmReset?.key.id === row.id && sessions.length) this.resetSessions = { count: sessions.length, end: true };
      },
      () => undefined,
    );
  }

  private closeConfirm(): void {
    this.confirmDialog?.close();
    this.confirmReset = null;
    this.resetError = null;
  }

  private async runQuickReset(): Promise<void> {
    const pending = this.confirmReset;
    if (!pending) return;
    this.resetBusy = true;
    this.resetError = null;
    try {
      const result = await call('keys.quickReset', { hostId: pending.host.id, id: pending.key.id });
      const endSessions = this.resetSessions?.end === true;
      this.resetDone = { host: pending.host, result };
      this.closeConfirm();
      if (endSessions) void this.endResetSessions(pending);
      // The result card sits above the list: bring it into view wherever the list was scrolled to.
      void this.updateComplete.then(() => this.renderRoot.querySelector('[data-quick-reset-done]')?.scrollIntoView({ block: 'nearest' }));
      // The vault or the clipboard did not take the new key: show it, it is never shown again.
      if (result.secret) await this.showUnsaved(result);
      if (this.selected === ALL && this.unlocked) void this.loadFleet(false);
      void this.loadStored();
    } catch (error) {
      this.resetError = errorMessage(error, this.t.term('ext.error.internal'));
    } finally {
      this.resetBusy = false;
      this.deferredLock.release();
    }
  }

  /** Ends the reset key's open sessions; the result card says how many the NAS ended (or why not). */
  private async endResetSessions(pending: Pending): Promise<void> {
    let sessions: NonNullable<NonNullable<typeof this.resetDone>['sessions']>;
    try {
      sessions = await call('keys.endSessions', { hostId: pending.host.id, id: pending.key.id });
    } catch (error) {
      sessions = { error: errorMessage(error, this.t.term('ext.error.internal')) };
    }
    if (this.resetDone?.result.key.id === pending.key.id) this.resetDone = { ...this.resetDone, sessions };
  }

  private async showUnsaved(result: QuickResetResult): Promise<void> {
    if (!result.secret) return;
    await loadRevealDialog();
    await this.updateComplete;
    await this.unsavedDialog?.show({ key: result.key, secret: result.secret, stored: result.stored }, { mode: 'reset' });
  }

  // ---- Rendering ----------------------------------------------------------------------------------

  override render() {
    if (this.loadError) return html`<main class="stack pad"><p class="alert" role="alert">${this.loadError}</p><div class="row"><button type="button" @click=${this.load}>${this.t.term('ext.common.retry')}</button></div></main>`;
    if (!this.vault) return html`<main class="pad"><p role="status">${this.t.term('ext.popup.loading')}</p></main>`;
    if (!this.vault.initialized) return this.renderWelcome();
    if (this.vault.locked && !this.deferredLock.pending) {
      return html`<main class="stack pad">
        ${this.renderBrand()}
        <nkm-unlock-form @nkm-unlocked=${(e: ExtEvent<VaultState>) => this.vaultChanged(e.detail)}></nkm-unlock-form>
      </main>`;
    }
    return html`${this.renderHeader()}
      ${this.deferredLock.pending ? html`<p class="alert pad" role="alert" data-lock-pending>${this.t.term('ext.popup.lockPending')}</p>` : nothing}
      <main class="stack pad scroll" @nas-close=${this.deferredLock.release}>${this.view === 'vault' ? html`<nkm-vault-view></nkm-vault-view>` : this.renderKeys()}</main>
      ${this.renderFooter()} ${this.renderConfirmDialog()} ${this.renderOtpDialog()}
      <key-reveal-dialog class="unsaved" .writeClipboard=${this.copyThroughBackground} @nas-close=${this.deferredLock.release}></key-reveal-dialog>`;
  }

  private renderBrand() {
    return html`<div class="row brand">
      <img src="../icons/icon-32.png" alt="" width="24" height="24" />
      <h1>${this.t.term('ext.popup.title')}</h1>
    </div>`;
  }

  private renderWelcome() {
    return html`<main class="stack pad">
      ${this.renderBrand()}
      <p>${this.t.term('ext.popup.welcome')}</p>
      <div class="row"><button type="button" class="primary" name="open-settings" @click=${() => void nativeApi().runtime.openOptionsPage()}>${this.t.term('ext.popup.openSettings')}</button></div>
    </main>`;
  }

  private renderHeader() {
    return html`<header class="bar stack">
      <div class="row nowrap">
        ${this.renderBrand()}
        <span class="spacer"></span>
        <button type="button" name="lock" class="quiet" title=${this.t.term('ext.popup.lockHint')} @click=${() => void call('vault.lock', null).then((v) => this.vaultChanged(v))}>
          ${icon('unlock')}<span>${this.t.term('ext.popup.lockNow')}</span>
        </button>
        <button type="button" name="settings" class="quiet icon-only" aria-label=${this.t.term('ext.popup.settings')} title=${this.t.term('ext.popup.settings')} @click=${() => void nativeApi().runtime.openOptionsPage()}>
          ${icon('settings')}
        </button>
      </div>
      ${this.hosts.length ? this.renderHostChooser() : nothing}
      <div class="tabs" role="tablist" aria-label=${this.t.term('ext.popup.views')}>
        <button type="button" role="tab" name="tab-keys" aria-selected=${this.view === 'keys' ? 'true' : 'false'} @click=${() => (this.view = 'keys')}>${this.t.term('ext.popup.keys')}</button>
        <button type="button" role="tab" name="tab-vault" aria-selected=${this.view === 'vault' ? 'true' : 'false'} @click=${this.showVault}>${this.t.term('ext.popup.vault')}</button>
      </div>
    </header>`;
  }

  private readonly showVault = (): void => {
    this.view = 'vault';
    void loadVaultView();
  };

  private renderHostChooser() {
    return html`<div class="host-row">
      <select name="host" aria-label=${this.t.term('ext.popup.host')} @change=${(e: Event) => this.select((e.target as HTMLSelectElement).value)}>
        <option value=${ALL} ?selected=${this.selected === ALL}>${this.t.term('ext.popup.allHosts')}</option>
        ${this.hosts.map((h) => html`<option value=${h.id} ?selected=${h.id === this.selected}>${displayText(h.name)}</option>`)}
      </select>
      ${this.renderConnection()}
    </div>`;
  }

  /** The shown host's connection state; for All hosts, the state of the host that fares worst. */
  private renderConnection() {
    const states = this.selected === ALL ? [...this.connection.values()] : [this.connection.get(this.selected)].filter((s): s is ConnectionState => s !== undefined);
    if (!states.length) return nothing;
    const worst = CONNECTION_ORDER.find((s) => states.includes(s)) ?? 'signed-in';
    const count = states.filter((s) => s === worst).length;
    const label = this.t.term(CONNECTION_TERMS[worst]);
    return html`<span class="connection" role="status" data-connection-state=${worst}>
      <span class="dot" aria-hidden="true"></span>
      <span class="truncate">${this.selected === ALL && count < this.hosts.length ? this.t.term('ext.popup.connectionSome', label, count, this.hosts.length) : label}</span>
    </span>`;
  }

  private renderFooter() {
    if (this.view !== 'keys' || this.hosts.length === 0) return nothing;
    const hostId = this.selected === ALL ? null : this.selected;
    return html`<footer class="bar foot row">
      <button type="button" name="add-key" class="primary" title=${this.t.term('ext.popup.inFullView')} @click=${() => void openFullView(hostId ?? this.hosts[0]?.id ?? null)}>
        ${icon('add')}<span>${this.t.term('ext.popup.addKey')}</span>
      </button>
      <span class="spacer"></span>
      <button type="button" name="open-full-view" class="quiet" title=${this.t.term('ext.popup.inFullView')} @click=${() => void openFullView(hostId ?? this.hosts[0]?.id ?? null)}>
        ${icon('external')}<span>${this.t.term('ext.popup.openFullView')}</span>
      </button>
    </footer>`;
  }

  private renderKeys() {
    if (this.hosts.length === 0) {
      return html`<p>${this.t.term('ext.popup.noHosts')}</p>
        <div class="row"><button type="button" class="primary" name="open-settings" @click=${() => void nativeApi().runtime.openOptionsPage()}>${this.t.term('ext.popup.addHost')}</button></div>`;
    }
    // A host whose list could not be loaded shows only what went wrong and Retry: no search over
    // nothing, and never "No API keys on this NAS yet".
    return html`${this.renderNotice()} ${this.renderResetDone()} ${this.selected === ALL ? this.renderFleetState() : this.renderHostState()} ${this.renderUpgrade()}
      ${this.listError && this.selected !== ALL
        ? nothing
        : html`<nkm-key-list .rows=${this.rows} .expiringDays=${this.expiringDays} .stored=${this.storedKeys} @nkm-key-action=${this.onKeyAction}></nkm-key-list>`}`;
  }

  private renderNotice() {
    const notice = this.notice;
    // One live region, always present, so screen readers announce what lands in it.
    return html`<div class="notice" role=${notice?.error ? 'alert' : 'status'}>
      ${notice
        ? html`<p class=${notice.error ? 'alert row' : 'status row'} data-notice>
            <span class="spacer">${notice.text}</span>
            <button type="button" class="quiet icon-only" name="dismiss-notice" aria-label=${this.t.term('ext.common.dismiss')} title=${this.t.term('ext.common.dismiss')} @click=${() => (this.notice = null)}>${icon('close')}</button>
          </p>`
        : nothing}
    </div>`;
  }

  /**
   * Upgrade readiness from the shown rows: for one host its keys at risk, each with the reason and
   * a quick reset; for All hosts one line per host.
   */
  private renderUpgrade() {
    if (!this.rows) return nothing;
    const readiness = fleetReadiness(this.rows, this.selected === ALL ? this.hosts : this.hosts.filter((h) => h.id === this.selected));
    const hosts = [...readiness].filter(([, r]) => r.risks.length > 0 || r.unchecked > 0);
    if (!hosts.length) return nothing;
    if (this.selected === ALL) {
      const names = new Map(this.hosts.map((h) => [h.id, h.name]));
      return html`<ul class="plain warning small" data-upgrade-fleet>
        ${hosts.filter(([, r]) => r.risks.length).map(([id, r]) => html`<li>${this.t.term('ext.upgrade.fleet', isolate(names.get(id) ?? id), r.risks.length, r.target ?? '')}</li>`)}
      </ul>`;
    }
    const [, r] = hosts[0]!;
    const rows = this.rows;
    return html`<section class="card upgrade" aria-labelledby="upgrade-title" data-upgrade-risk>
      ${r.risks.length ? html`<h2 id="upgrade-title">${this.t.term('ext.upgrade.title', r.risks.length, r.target ?? '')}</h2>` : nothing}
      <ul class="plain">
        ${r.risks.map((risk) => {
          const row = rows.find((k) => k.id === risk.keyId);
          return html`<li data-risk=${risk.reason} data-key-id=${risk.keyId}>
            <strong>${this.storedName(risk.keyName, risk.keyId)}</strong>
            <p class="small">${this.t.term(risk.reason === 'sha256-hash' ? 'ext.upgrade.sha256' : 'ext.upgrade.allowlist')}</p>
            ${row
              ? html`<div class="row"><button type="button" name="upgrade-reset" title=${this.t.term('ext.upgrade.resetHint')} @click=${() => this.startQuickReset(row)}>${icon('quick-reset')}<span>${this.t.term('ext.upgrade.reset')}</span></button></div>`
              : nothing}
          </li>`;
        })}
      </ul>
      ${r.unchecked ? html`<p class="hint" data-upgrade-unchecked>${this.t.term('ext.upgrade.unchecked', r.unchecked)}</p>` : nothing}
    </section>`;
  }

  private renderHostState() {
    const host = this.hosts.find((h) => h.id === this.selected);
    if (!host) return nothing;
    return html`${this.listError
        ? html`<div class="alert stack" role="alert" data-list-error>
            <p>${this.listError}</p>
            <div class="row"><button type="button" name="retry" @click=${() => this.showSelection()}>${this.t.term('ext.common.retry')}</button></div>
          </div>`
        : nothing}
      ${this.liveError ? html`<p class="alert" role="alert" data-live-error>${this.t.term('ext.popup.liveFailed', this.liveError)}</p>` : nothing}
      ${this.liveAt ? html`<p class="muted small" data-live>${this.t.term('ext.fleet.refreshedAt', this.t.date(this.liveAt, { timeStyle: 'short' }))}</p>` : nothing}`;
  }

  private renderFleetState() {
    const fleet = this.fleet;
    const failed = fleet?.hosts.filter((h) => h.state === 'error') ?? [];
    const names = new Map(this.hosts.map((h) => [h.id, h.name]));
    return html`<div class="row small">
        ${this.fleetBusy
          ? html`<span class="muted spacer" role="status">${this.progress ? this.t.term('ext.fleet.progress', this.progress.done, this.progress.total) : this.t.term('ext.fleet.refreshing')}</span>`
          : fleet && fleet.refreshedAt > 0
            ? html`<span class="muted spacer" data-refreshed>${this.t.term('ext.fleet.refreshedAt', this.t.date(fleet.refreshedAt, { timeStyle: 'short' }))}</span>`
            : html`<span class="spacer"></span>`}
        <button type="button" name="refresh" class="quiet" ?disabled=${this.fleetBusy} @click=${() => void this.loadFleet(true)}>${icon('refresh')}<span>${this.t.term('ext.fleet.refresh')}</span></button>
      </div>
      ${this.fleetBusy ? html`<progress max=${this.progress?.total ?? 1} value=${this.progress?.done ?? 0} aria-label=${this.t.term('ext.fleet.refreshing')}></progress>` : nothing}
      ${this.fleetError ? html`<p class="alert" role="alert">${this.fleetError}</p>` : nothing}
      ${failed.length
        ? html`<ul class="plain" data-host-errors>
            ${failed.map((s) => html`<li class="alert">${this.t.term('ext.fleet.hostFailed', isolate(names.get(s.hostId) ?? s.hostId), s.error?.message ?? '')}</li>`)}
          </ul>`
        : nothing}`;
  }

  private renderResetDone() {
    const done = this.resetDone;
    if (!done) return nothing;
    const { result, host } = done;
    return html`<section class="card done" role="status" aria-labelledby="done-title" data-quick-reset-done>
      <h2 id="done-title">${this.t.term('ext.quickReset.doneTitle', this.keyName(result.key), isolate(host.name))}</h2>
      <ul>
        <li>${this.t.term('ext.quickReset.didReset')}</li>
        <li data-copied=${result.copied.ok ? 'yes' : 'no'} class=${result.copied.ok ? '' : 'alert'}>
          ${result.copied.ok
            ? result.copied.clearsAt
              ? this.t.term('ext.quickReset.didCopy', this.t.date(result.copied.clearsAt, { timeStyle: 'medium' }))
              : this.t.term('ext.quickReset.didCopyNoClear')
            : this.t.term('ext.quickReset.notCopied', result.copied.reason)}
        </li>
        <li data-stored=${result.stored.saved ? 'yes' : 'no'} class=${result.stored.saved ? '' : 'alert'}>
          ${result.stored.saved
            ? this.t.term(result.supersededPrevious ? 'ext.quickReset.didStoreHistory' : 'ext.quickReset.didStore')
            : this.t.term('ext.quickReset.notStored', result.stored.reason)}
        </li>
        ${this.renderOutcome(result)} ${this.renderEndedSessions(done.sessions)}
      </ul>
      ${this.renderAdvice(result)}
      <p class="hint">${this.t.term('ext.quickReset.updateConsumers')}</p>
      <div class="row">
        ${result.secret ? html`<button type="button" class="primary" name="show-new-key" @click=${() => void this.showUnsaved(result)}>${this.t.term('ext.quickReset.showKey')}</button>` : nothing}
        <button type="button" name="dismiss-done" @click=${() => (this.resetDone = null)}>${this.t.term('ext.common.dismiss')}</button>
      </div>
    </section>`;
  }

  /** What ending the old secret's sessions did, as the NAS answered (nothing shown until it answered). */
  private renderEndedSessions(sessions: NonNullable<typeof this.resetDone>['sessions']) {
    if (!sessions) return nothing;
    if ('error' in sessions) return html`<li class="alert" data-sessions-ended="failed">${this.t.term('ext.quickReset.sessionsFailed', sessions.error)}</li>`;
    return html`<li data-sessions-ended=${sessions.ended} class=${sessions.failed ? 'alert' : ''}>
      ${this.t.term('ext.quickReset.sessionsEnded', sessions.ended)}${sessions.failed ? ` ${this.t.term('ext.quickReset.sessionsNotEnded', sessions.failed)}` : ''}${sessions.keptCurrent ? ` ${this.t.term('ext.quickReset.sessionKept')}` : ''}
    </li>`;
  }

  /** The key's state as read back after the reset, never assumed from the reset having run. */
  private renderOutcome(result: QuickResetResult) {
    if (result.key.revoked) return html`<li class="alert" data-outcome="still-revoked">${this.t.term('ext.quickReset.stillRevoked', this.reason(result.key.revokedReason ?? result.revokedReason))}</li>`;
    if (keyTrouble(result.key) === 'expired') return html`<li class="alert" data-outcome="still-expired">${this.t.term('ext.quickReset.stillExpired')}</li>`;
    if (result.wasRevoked) return html`<li data-outcome="unrevoked">${this.t.term('ext.quickReset.unrevoked', this.reason(result.revokedReason))}</li>`;
    return nothing;
  }

  /** Advice that follows the NAS's own reason for the revocation. */
  private renderAdvice(result: QuickResetResult) {
    if (!result.wasRevoked && !result.key.revoked) return nothing;
    const trouble = keyTrouble({ ...result.key, revoked: true, revokedReason: result.key.revokedReason ?? result.revokedReason });
    const term =
      trouble === 'insecure' ? 'ext.quickReset.avoid' : trouble === 'owner-gone' ? 'ext.quickReset.ownerGoneAdvice' : result.key.revoked ? 'ext.quickReset.unknownAdvice' : null;
    return term ? html`<p class="warning" data-rescue-tip=${trouble ?? 'unknown'}>${this.t.term(term)}</p>` : nothing;
  }

  /** A revocation reason (NAS text) for a sentence, or "no reason given". */
  private reason(reason: string | null): string {
    return reason ? isolate(reason) : this.t.term('ext.quickReset.noReason');
  }

  private renderConfirmDialog() {
    const pending = this.confirmReset;
    return html`<dialog class="confirm-reset" aria-labelledby="confirm-title" @close=${() => (this.confirmReset = null)}>
      ${pending
        ? html`<div class="dialog-body">
            <h2 id="confirm-title" class="dialog-title">${this.t.term('ext.quickReset.confirmTitle', this.keyName(pending.key))}</h2>
            <p>${this.t.term('ext.quickReset.confirmText', isolate(pending.host.name))}</p>
            ${pending.key.revoked
              ? this.renderRevokedNote(pending.key)
              : nothing}
            ${this.resetSessions
              ? html`<label class="check" data-end-sessions>
                  <input type="checkbox" name="end-sessions" .checked=${this.resetSessions.end} @change=${(e: Event) => (this.resetSessions = { count: this.resetSessions?.count ?? 0, end: (e.target as HTMLInputElement).checked })} />
                  <span>${this.t.term('ext.quickReset.endSessions', this.resetSessions.count)}</span>
                </label>`
              : nothing}
            ${this.resetError ? html`<p class="alert" role="alert">${this.resetError}</p>` : nothing}
            <div class="dialog-footer">
              <button type="button" @click=${this.closeConfirm}>${this.t.term('ext.common.cancel')}</button>
              <button type="button" class="primary" name="confirm-quick-reset" autofocus ?disabled=${this.resetBusy} @click=${this.runQuickReset}>
                ${this.resetBusy ? this.t.term('ext.quickReset.busy') : this.t.term('ext.quickReset.confirm')}
              </button>
            </div>
          </div>`
        : nothing}
    </dialog>`;
  }

  private renderRevokedNote(key: ApiKeyRow) {
    const reason = this.reason(key.revokedReason);
    const trouble = keyTrouble(key);
    const text =
      trouble === 'owner-gone'
        ? this.t.term('ext.quickReset.ownerGoneNote')
        : trouble === 'insecure'
          ? this.t.term('ext.quickReset.revokedNote', reason)
          : this.t.term('ext.quickReset.unknownNote', reason);
    return html`<p class="warning" data-revoked-note=${trouble ?? 'unknown'}>${text}</p>`;
  }

  private renderOtpDialog() {
    const host = this.otpFor;
    return html`<dialog class="otp" aria-labelledby="otp-title" @cancel=${(e: Event) => { e.preventDefault(); this.finishOtp(null); }}>
      ${host
        ? html`<form class="dialog-body" @submit=${(e: Event) => { e.preventDefault(); this.finishOtp(this.otpInput?.value ?? ''); }}>
            <h2 id="otp-title" class="dialog-title">${this.t.term('ext.otp.title', isolate(host.name))}</h2>
            <p>${this.t.term('ext.host.otpRequired', isolate(host.name))}</p>
            <label class="field">
              ${this.t.term('ext.hostForm.otp')}
              <input name="otp" inputmode="numeric" autocomplete="one-time-code" aria-invalid=${this.otpError ? 'true' : 'false'} aria-describedby=${this.otpError ? 'otp-error' : nothing} />
            </label>
            ${this.otpError ? html`<p class="error" id="otp-error">${this.otpError}</p>` : nothing}
            <div class="dialog-footer">
              <button type="button" @click=${() => this.finishOtp(null)}>${this.t.term('ext.common.cancel')}</button>
              <button type="submit" class="primary">${this.t.term('ext.otp.submit')}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}
