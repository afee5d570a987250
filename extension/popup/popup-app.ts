import { html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import browser from 'webextension-polyfill';
import { controls, dialogStyles, tokens } from '../../components/internal/controls.styles.js';
import { errorMessage } from '../../components/internal/errors.js';
import { displayText, isolate } from '../../components/internal/display-text.js';
import type { NasKeyActionEvent } from '../../components/events/key-action.js';
import type { KeyRevealDialog } from '../../components/key-reveal-dialog/key-reveal-dialog.js';
import type { ApiKeyService } from '../../components/service/api-key-service.js';
import { keyTrouble, type ApiKeyRow, type KeyStatus } from '../../components/model/api-key.js';
import { call, subscribe } from '../shared/messaging.js';
import type { FleetResult, QuickResetResult, SavedHost, VaultState } from '../shared/protocol.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import type { ExtEvent } from '../shared/ui/events.js';
import { pageStyles } from '../shared/ui/styles.js';
import { backgroundService } from './background-service.js';
import { popupStyles } from './popup.styles.js';

type View = 'keys' | 'vault';
const ALL = 'all';
const SELECTED_KEY = 'popup.selected';

interface Pending {
  host: SavedHost;
  key: ApiKeyRow;
}

/**
 * The toolbar popup: unlock prompt, host switcher with "All hosts", every key action through
 * `<api-key-manager>`, Quick reset (reset + copy + vault in two clicks), revoked rescue, and the
 * vault view.
 */
export class NkmPopupApp extends ExtElement {
  static override styles = [tokens, controls, dialogStyles, pageStyles, popupStyles];

  @state() private vault: VaultState | null = null;
  @state() private hosts: SavedHost[] = [];
  @state() private loadError: string | null = null;
  @state() private view: View = 'keys';
  @state() private selected: string = ALL;
  @state() private service: ApiKeyService | null = null;
  @state() private liveError: string | null = null;
  /** When the shown host's list last came live from the NAS (null: still the cached one). */
  @state() private liveAt: number | null = null;
  @state() private fleet: FleetResult | null = null;
  @state() private fleetBusy = false;
  @state() private fleetError: string | null = null;
  @state() private progress: { done: number; total: number } | null = null;
  @state() private statusFilter: KeyStatus | null = null;
  @state() private expiringDays = 14;
  @state() private confirmReset: Pending | null = null;
  @state() private resetBusy = false;
  @state() private resetError: string | null = null;
  @state() private resetDone: { host: SavedHost; result: QuickResetResult } | null = null;
  @state() private otpFor: SavedHost | null = null;
  /**
   * The vault locked while a new secret was on its way or on screen: the lock screen waits until
   * that secret has reached the user (its dialog closed), since the NAS never shows it again.
   */
  @state() private lockPending = false;
  /** Create/reset calls in flight (their answer carries a secret). */
  private secretCalls = 0;
  @state() private otpError: string | null = null;

  @query('dialog.confirm-reset') private confirmDialog?: HTMLDialogElement;
  @query('key-reveal-dialog.unsaved') private unsavedDialog?: KeyRevealDialog;
  @query('dialog.otp') private otpDialog?: HTMLDialogElement;
  @query('dialog.otp input') private otpInput?: HTMLInputElement;

  private unsubscribe: (() => void) | null = null;
  private otpResolve: ((otp: string | null) => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = subscribe((event) => {
      if (event.type === 'vault') this.vaultChanged(event.state);
      else if (event.type === 'hosts') this.hostsChanged(event.hosts);
      else if (event.type === 'settings') this.expiringDays = event.settings.expiringDays;
      else if (event.type === 'progress' && event.operation === 'fleet') this.progress = { done: event.done, total: event.total };
      else if (event.type === 'keys-changed' && this.selected === ALL && this.fleet) void this.loadFleet(true);
    });
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    try {
      const [state, stored] = await Promise.all([call('app.state', null), browser.storage.local.get(SELECTED_KEY)]);
      this.expiringDays = state.settings.expiringDays;
      this.hosts = state.hosts;
      const selected = stored[SELECTED_KEY];
      this.selected = typeof selected === 'string' && (selected === ALL || state.hosts.some((h) => h.id === selected)) ? selected : ALL;
      this.loadError = null;
      this.vaultChanged(state.vault);
    } catch (error) {
      this.loadError = errorMessage(error, this.t.term('ext.error.internal'));
    }
  }

  private get unlocked(): boolean {
    return this.vault !== null && this.vault.initialized && !this.vault.locked;
  }

  private vaultChanged(vault: VaultState): void {
    const wasUnlocked = this.unlocked;
    this.vault = vault;
    if (this.unlocked) {
      this.lockPending = false;
      if (!wasUnlocked) this.showSelection();
      return;
    }
    if (this.holdsSecret()) {
      this.lockPending = true;
      return;
    }
    this.applyLock();
  }

  /** A new secret is on its way, or shown in a reveal dialog: it must reach the user first. */
  private holdsSecret(): boolean {
    const managerReveal = this.renderRoot.querySelector('api-key-manager')?.shadowRoot?.querySelector('key-reveal-dialog');
    return this.secretCalls > 0 || this.resetBusy || managerReveal?.open === true || this.unsavedDialog?.open === true;
  }

  private applyLock(): void {
    this.lockPending = false;
    this.service = null;
    this.fleet = null;
    this.resetDone = null;
  }

  /** After a dialog closed or a secret call ended: a lock that waited for it happens now. */
  private lockIfPending(): void {
    if (this.lockPending && !this.unlocked && !this.holdsSecret()) this.applyLock();
  }

  private hostsChanged(hosts: SavedHost[]): void {
    this.hosts = hosts;
    if (this.selected !== ALL && !hosts.some((h) => h.id === this.selected)) this.select(ALL);
  }

  private select(selected: string): void {
    this.selected = selected;
    void browser.storage.local.set({ [SELECTED_KEY]: selected });
    this.showSelection();
  }

  private showSelection(): void {
    this.liveError = null;
    this.liveAt = null;
    this.resetDone = null;
    if (!this.unlocked) return;
    if (this.selected === ALL) {
      this.service = null;
      void this.loadFleet(false);
      return;
    }
    const host = this.hosts.find((h) => h.id === this.selected);
    this.service = host
      ? backgroundService(host, {
          askOtp: (h) => this.askOtp(h),
          onSecretCall: (running) => {
            this.secretCalls += running ? 1 : -1;
            // The manager opens its reveal dialog right after the answer: check once it has.
            if (!running) void this.updateComplete.then(() => setTimeout(() => this.lockIfPending()));
          },
          onLiveError: (error) => (this.liveError = errorMessage(error, this.t.term('ext.error.internal'))),
          onLive: (fetchedAt) => {
            this.liveError = null;
            this.liveAt = fetchedAt;
          },
        })
      : null;
  }

  /** All hosts: the cached table at once, then a live refresh of every host in parallel. */
  private async loadFleet(liveOnly: boolean): Promise<void> {
    try {
      if (!liveOnly) this.fleet = await call('keys.fleet', { cached: true });
      if (this.hosts.length === 0) return;
      this.fleetBusy = true;
      this.fleetError = null;
      this.fleet = await call('keys.fleet', {});
    } catch (error) {
      this.fleetError = errorMessage(error, this.t.term('ext.error.internal'));
    } finally {
      this.fleetBusy = false;
      this.progress = null;
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
   * Reveal dialogs copy through the background, which records when to clear the clipboard before
   * it writes (and refuses with a message when it cannot): the page never writes a key itself.
   */
  private readonly copyThroughBackground = async (text: string): Promise<void> => {
    await call('clipboard.copy', { text });
  };

  // ---- Quick reset --------------------------------------------------------------------------------

  /** Row action "Quick reset" (from the manager or the All hosts table): the popup's own flow replaces the manager's. */
  private onKeyAction(event: NasKeyActionEvent): void {
    if (event.detail.action !== 'quick-reset') return;
    event.preventDefault();
    const row = event.detail.key;
    const host = this.hosts.find((h) => h.id === (row.hostId ?? this.selected));
    if (!host) return;
    this.resetError = null;
    this.resetDone = null;
    this.confirmReset = { host, key: row };
    void this.updateComplete.then(() => this.confirmDialog?.showModal());
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
      this.resetDone = { host: pending.host, result };
      this.closeConfirm();
      // The vault or the clipboard did not take the new key: show it, it is never shown again.
      if (result.secret) await this.showUnsaved(result);
      if (this.selected === ALL && this.unlocked) void this.loadFleet(false);
    } catch (error) {
      this.resetError = errorMessage(error, this.t.term('ext.error.internal'));
    } finally {
      this.resetBusy = false;
      this.lockIfPending();
    }
  }

  private async showUnsaved(result: QuickResetResult): Promise<void> {
    if (!result.secret) return;
    await this.updateComplete;
    await this.unsavedDialog?.show({ key: result.key, secret: result.secret, stored: result.stored }, { mode: 'reset' });
  }

  // ---- Rendering ----------------------------------------------------------------------------------

  override render() {
    if (this.loadError) return html`<main class="stack pad"><p class="alert" role="alert">${this.loadError}</p><button type="button" @click=${this.load}>${this.t.term('ext.common.retry')}</button></main>`;
    if (!this.vault) return html`<main class="pad"><p role="status">${this.t.term('ext.popup.loading')}</p></main>`;
    if (!this.vault.initialized) return this.renderWelcome();
    if (this.vault.locked && !this.lockPending) {
      return html`<main class="stack pad narrow">
        ${this.renderBrand()}
        <nkm-unlock-form @nkm-unlocked=${(e: ExtEvent<VaultState>) => this.vaultChanged(e.detail)}></nkm-unlock-form>
      </main>`;
    }
    return html`${this.renderHeader()}
      ${this.lockPending ? html`<p class="alert pad" role="alert" data-lock-pending>${this.t.term('ext.popup.lockPending')}</p>` : nothing}
      <main class="stack pad" @nas-close=${this.lockIfPending}>${this.view === 'vault' ? html`<nkm-vault-view></nkm-vault-view>` : this.renderKeys()}</main>
      ${this.renderConfirmDialog()} ${this.renderOtpDialog()}
      <key-reveal-dialog class="unsaved" .writeClipboard=${this.copyThroughBackground} @nas-close=${this.lockIfPending}></key-reveal-dialog>`;
  }

  private renderBrand() {
    return html`<div class="row brand">
      <img src="../icons/icon-32.png" alt="" width="24" height="24" />
      <h1>${this.t.term('ext.popup.title')}</h1>
    </div>`;
  }

  private renderWelcome() {
    return html`<main class="stack pad narrow">
      ${this.renderBrand()}
      <p>${this.t.term('ext.popup.welcome')}</p>
      <div class="row"><button type="button" class="primary" name="open-settings" @click=${() => void browser.runtime.openOptionsPage()}>${this.t.term('ext.popup.openSettings')}</button></div>
    </main>`;
  }

  private renderHeader() {
    return html`<header class="row bar">
      ${this.renderBrand()}
      <span class="spacer"></span>
      <div class="tabs" role="tablist" aria-label=${this.t.term('ext.popup.views')}>
        <button type="button" role="tab" name="tab-keys" aria-selected=${this.view === 'keys' ? 'true' : 'false'} @click=${() => (this.view = 'keys')}>${this.t.term('ext.popup.keys')}</button>
        <button type="button" role="tab" name="tab-vault" aria-selected=${this.view === 'vault' ? 'true' : 'false'} @click=${() => (this.view = 'vault')}>${this.t.term('ext.popup.vault')}</button>
      </div>
      <button type="button" name="settings" @click=${() => void browser.runtime.openOptionsPage()}>${this.t.term('ext.popup.settings')}</button>
      <button type="button" name="lock" @click=${() => void call('vault.lock', null).then((v) => this.vaultChanged(v))}>${this.t.term('ext.vault.lock')}</button>
    </header>`;
  }

  private renderKeys() {
    if (this.hosts.length === 0) {
      return html`<p>${this.t.term('ext.popup.noHosts')}</p>
        <div class="row"><button type="button" class="primary" name="open-settings" @click=${() => void browser.runtime.openOptionsPage()}>${this.t.term('ext.popup.addHost')}</button></div>`;
    }
    const host = this.hosts.find((h) => h.id === this.selected);
    return html`<div class="row">
        <label class="row">
          ${this.t.term('ext.popup.host')}
          <select name="host" @change=${(e: Event) => this.select((e.target as HTMLSelectElement).value)}>
            <option value=${ALL} ?selected=${this.selected === ALL}>${this.t.term('ext.popup.allHosts')}</option>
            ${this.hosts.map((h) => html`<option value=${h.id} ?selected=${h.id === this.selected}>${displayText(h.name)}</option>`)}
          </select>
        </label>
        ${host ? html`<span class="muted">${host.address}${host.version ? ` · TrueNAS ${host.version}` : ''}</span>` : nothing}
      </div>
      ${this.renderResetDone()}
      <div @nas-key-action=${this.onKeyAction}>
        ${this.selected === ALL ? this.renderFleet() : this.renderHost(host)}
      </div>`;
  }

  private renderHost(host: SavedHost | undefined) {
    if (!host || !this.service) return nothing;
    return html`${this.liveError ? html`<p class="alert" role="alert" data-live-error>${this.t.term('ext.popup.liveFailed', this.liveError)}</p>` : nothing}
      ${this.liveAt ? html`<p class="muted" data-live>${this.t.term('ext.fleet.refreshedAt', this.t.date(this.liveAt, { timeStyle: 'short' }))}</p>` : nothing}
      <api-key-manager .service=${this.service} .actions=${['edit', 'reset', 'quick-reset', 'delete']} heading=${host.name} .writeClipboard=${this.copyThroughBackground}></api-key-manager>`;
  }

  private renderFleet() {
    const fleet = this.fleet;
    const failed = fleet?.hosts.filter((h) => h.state === 'error') ?? [];
    const names = new Map(this.hosts.map((h) => [h.id, h.name]));
    return html`<section class="stack" aria-labelledby="fleet-title">
      <div class="row">
        <h2 id="fleet-title">${this.t.term('ext.fleet.title')}</h2>
        <span class="spacer"></span>
        <label class="row">
          ${this.t.term('ext.fleet.withinDays')}
          <input type="number" name="expiring-days" min="1" max="365" class="days" .value=${String(this.expiringDays)} @change=${(e: Event) => (this.expiringDays = Math.min(365, Math.max(1, Number((e.target as HTMLInputElement).value) || 14)))} />
        </label>
        <button type="button" name="refresh" ?disabled=${this.fleetBusy} @click=${() => void this.loadFleet(true)}>${this.t.term('ext.fleet.refresh')}</button>
      </div>
      ${this.fleetBusy
        ? html`<div class="stack" role="status">
            <progress max=${this.progress?.total ?? 1} value=${this.progress?.done ?? 0} aria-label=${this.t.term('ext.fleet.refreshing')}></progress>
            <span class="muted">${this.progress ? this.t.term('ext.fleet.progress', this.progress.done, this.progress.total) : this.t.term('ext.fleet.refreshing')}</span>
          </div>`
        : fleet && fleet.refreshedAt > 0
          ? html`<p class="muted" data-refreshed>${this.t.term('ext.fleet.refreshedAt', this.t.date(fleet.refreshedAt, { timeStyle: 'short' }))}</p>`
          : nothing}
      ${this.fleetError ? html`<p class="alert" role="alert">${this.fleetError}</p>` : nothing}
      ${failed.length
        ? html`<ul class="plain" data-host-errors>
            ${failed.map((s) => html`<li class="alert">${this.t.term('ext.fleet.hostFailed', isolate(names.get(s.hostId) ?? s.hostId), s.error?.message ?? '')}</li>`)}
          </ul>`
        : nothing}
      <api-key-table
        multi-host
        .keys=${fleet?.rows ?? []}
        .loading=${!fleet}
        .statusFilter=${this.statusFilter}
        .expiringWithinDays=${this.expiringDays}
        .actions=${['quick-reset']}
        label=${this.t.term('ext.fleet.title')}
        @nas-filter-change=${(e: CustomEvent<{ statusFilter: KeyStatus | null }>) => (this.statusFilter = e.detail.statusFilter)}
      ></api-key-table>
    </section>`;
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
        ${this.renderOutcome(result)}
      </ul>
      ${this.renderAdvice(result)}
      <p class="hint">${this.t.term('ext.quickReset.updateConsumers')}</p>
      <div class="row">
        ${result.secret ? html`<button type="button" class="primary" name="show-new-key" @click=${() => void this.showUnsaved(result)}>${this.t.term('ext.quickReset.showKey')}</button>` : nothing}
        <button type="button" name="dismiss-done" @click=${() => (this.resetDone = null)}>${this.t.term('ext.common.dismiss')}</button>
      </div>
    </section>`;
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
