import { html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import browser from 'webextension-polyfill';
import { controls, tokens, errorMessage, displayText } from '../../components/kit.js';
import { NasKeyActionEvent } from '../../components/events/key-action.js';
import type { ApiKeyManager } from '../../components/api-key-manager/api-key-manager.js';
import type { ApiKey, ConnectionState } from '../../components/model/api-key.js';
import type { ApiKeyService } from '../../components/service/api-key-service.js';
import { call, subscribe } from '../shared/messaging.js';
import type { SavedHost, VaultState } from '../shared/protocol.js';
import type { ExtTermKey } from '../shared/i18n/index.js';
import { DeferredLockController } from '../shared/ui/deferred-lock-controller.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import type { ExtEvent } from '../shared/ui/events.js';
import type { NkmOtpDialog } from '../shared/ui/otp-dialog.js';
import { pageStyles } from '../shared/ui/styles.js';
import { fitStyles } from '../shared/ui/fit.styles.js';
import { backgroundService } from '../popup/background-service.js';
import { fullViewSearch, parseFullViewParams, type FullViewParams } from './params.js';
import { managerStyles } from './manager.styles.js';

/** The popup remembers its host here; the full view falls back to it when opened without `?host=`. */
const POPUP_SELECTED = 'popup.selected';

const CONNECTION_TERMS: Record<ConnectionState, ExtTermKey> = {
  connecting: 'ext.full.connection.connecting',
  'signed-in': 'ext.full.connection.signedIn',
  reconnecting: 'ext.full.connection.reconnecting',
  offline: 'ext.full.connection.offline',
};

/** Column choices of the full view's table, per host (opaque id, no name: see docs/extension.md). */
export function columnsKey(hostId: string): string {
  return `nkm.columns.${hostId}`;
}

/**
 * The full view (a tab): the whole `<api-key-manager>` (table, column organizer, forms) for one
 * saved host, with a host chooser, the visible connection state, lock and unlock. It talks to the
 * background exactly as the popup does (popup/background-service.ts), and keeps a new secret on
 * screen through a lock until its dialog is closed.
 */
export class NkmManagerApp extends ExtElement {
  static override styles = [tokens, controls, pageStyles, fitStyles, managerStyles];

  @state() private vault: VaultState | null = null;
  @state() private hosts: SavedHost[] = [];
  @state() private selected: string | null = null;
  @state() private service: ApiKeyService | null = null;
  @state() private loadError: string | null = null;
  @state() private liveError: string | null = null;
  @state() private connection: ConnectionState | null = null;
  @state() private notice: string | null = null;

  @query('api-key-manager') private manager?: ApiKeyManager;
  @query('nkm-otp-dialog') private otpDialog?: NkmOtpDialog;
  /** The lock screen waits while a new secret is on its way or on screen (the NAS never shows it again). */
  private readonly deferredLock = new DeferredLockController(this, { holdsSecret: () => this.holdsSecret(), lock: () => this.applyLock() });

  /** The host asked for (address, then the chooser); kept while locked, when no host is readable. */
  private requested: string | null = null;
  /** The one-off `key`/`action` of the address, applied once to the first host shown. */
  private pendingOpen: FullViewParams['open'] = null;
  /** The list the manager last loaded (to find the address's key in). */
  private lastKeys: ApiKey[] = [];
  private secretCalls = 0;
  /** After an unlock from this page, focus goes to the host chooser (the form it was in is gone). */
  private focusChooser = false;
  private unsubscribe: (() => void) | null = null;
  private stopWatch: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    const params = parseFullViewParams(location.search);
    this.requested = params.hostId;
    this.pendingOpen = params.open;
    this.unsubscribe = subscribe((event) => {
      if (event.type === 'vault') this.vaultChanged(event.state);
      else if (event.type === 'hosts') this.hostsChanged(event.hosts);
    });
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.stopWatch?.();
  }

  private async load(): Promise<void> {
    try {
      const [appState, stored] = await Promise.all([call('app.state', null), browser.storage.local.get(POPUP_SELECTED)]);
      this.hosts = appState.hosts;
      const remembered = stored[POPUP_SELECTED];
      const wanted = this.requested ?? (typeof remembered === 'string' ? remembered : null);
      this.selected = this.pick(wanted);
      // An address naming a host that is no longer saved (only knowable while unlocked).
      if (this.requested && this.selected !== this.requested && appState.hosts.length > 0) this.notice = this.t.term('ext.full.hostGone');
      this.loadError = null;
      this.vaultChanged(appState.vault, true);
    } catch (error) {
      this.loadError = errorMessage(error, this.t.term('ext.error.internal'));
    }
  }

  /** The wanted host if it is saved, else the first one (null without hosts). */
  private pick(wanted: string | null): string | null {
    return this.hosts.find((h) => h.id === wanted)?.id ?? this.hosts[0]?.id ?? null;
  }

  private get unlocked(): boolean {
    return this.vault !== null && this.vault.initialized && !this.vault.locked;
  }

  private vaultChanged(vault: VaultState, fresh = false): void {
    const wasUnlocked = this.unlocked;
    this.vault = vault;
    if (this.unlocked) {
      this.deferredLock.vaultUnlocked();
      // Hosts are sealed in the vault: after an unlock they must be read again.
      if (!wasUnlocked && !fresh) void this.load();
      else if (!wasUnlocked || !this.service) this.showHost();
      return;
    }
    this.deferredLock.vaultLocked();
  }

  /** A new secret is on its way or shown in the manager's reveal dialog: it must reach the user first. */
  private holdsSecret(): boolean {
    const reveal = this.manager?.shadowRoot?.querySelector('key-reveal-dialog');
    return this.secretCalls > 0 || reveal?.open === true;
  }

  private applyLock(): void {
    this.setService(null);
    this.hosts = [];
  }

  private hostsChanged(hosts: SavedHost[]): void {
    this.hosts = hosts;
    if (!this.unlocked) return;
    const next = this.pick(this.selected);
    if (next !== this.selected) this.choose(next);
  }

  private choose(hostId: string | null): void {
    this.selected = hostId;
    this.requested = hostId;
    if (hostId) history.replaceState(null, '', fullViewSearch(hostId));
    this.notice = null;
    this.showHost();
  }

  private setService(service: ApiKeyService | null): void {
    this.stopWatch?.();
    this.stopWatch = null;
    this.service = service;
    this.connection = null;
    this.liveError = null;
    if (service?.watchConnection) this.stopWatch = service.watchConnection((s) => (this.connection = s));
    else if (service) this.connection = 'connecting';
  }

  private showHost(): void {
    const host = this.hosts.find((h) => h.id === this.selected);
    if (!this.unlocked || !host) {
      this.setService(null);
      return;
    }
    const watched = (service: ApiKeyService): boolean => typeof service.watchConnection === 'function';
    const service: ApiKeyService = backgroundService(host, {
      askOtp: (h) => this.otpDialog?.ask(h) ?? Promise.resolve(null),
      onSecretCall: (running) => {
        this.secretCalls += running ? 1 : -1;
        // The manager opens its reveal dialog right after the answer: check once it has.
        if (!running) void this.updateComplete.then(() => setTimeout(this.deferredLock.release));
      },
      onLiveError: (error) => {
        this.liveError = errorMessage(error, this.t.term('ext.error.internal'));
        if (!watched(service)) this.connection = 'offline';
      },
      onLive: () => {
        this.liveError = null;
        if (!watched(service)) this.connection = 'signed-in';
        void this.openPending(true);
      },
    });
    this.setService(this.observed(service));
  }

  /** Wraps the service so the page sees the list the manager loaded (to open `?key=…&action=…` on it). */
  private observed(service: ApiKeyService): ApiKeyService {
    const list = async (): Promise<ApiKey[]> => {
      try {
        const keys = await service.list();
        void this.openPending(false, keys);
        return keys;
      } catch (error) {
        // Without a cached list the first live call failed: nothing is connected.
        if (!service.watchConnection) this.connection = 'offline';
        throw error;
      }
    };
    return { ...service, list };
  }

  /**
   * Opens the address's action on its key once the manager shows the list. The key may only be in
   * the live list (after the cached one), so "not found" waits for that.
   */
  private async openPending(live: boolean, keys?: ApiKey[]): Promise<void> {
    if (keys) this.lastKeys = keys;
    const open = this.pendingOpen;
    if (!open) return;
    await this.updateComplete;
    await this.manager?.updateComplete;
    const key = this.lastKeys.find((k) => k.id === open.keyId) ?? (live ? await this.findLive(open.keyId) : undefined);
    if (!key) {
      if (live) {
        this.pendingOpen = null;
        this.notice = this.t.term('ext.full.keyNotFound', open.keyId);
      }
      return;
    }
    this.pendingOpen = null;
    // The manager runs its own edit/reset/delete flow for a row action from its table.
    this.manager?.shadowRoot?.querySelector('api-key-table')?.dispatchEvent(new NasKeyActionEvent({ action: open.action, key }));
  }

  private async findLive(id: number): Promise<ApiKey | undefined> {
    if (!this.selected) return undefined;
    const live = await call('keys.list', { hostId: this.selected, cached: true }).catch(() => null);
    return live?.keys.find((k) => k.id === id);
  }

  private readonly copyThroughBackground = async (text: string): Promise<void> => {
    await call('clipboard.copy', { text });
  };

  private readonly unlockedHere = (event: ExtEvent<VaultState>): void => {
    this.focusChooser = true;
    this.vaultChanged(event.detail);
  };

  protected override updated(): void {
    if (!this.focusChooser) return;
    const chooser = this.renderRoot.querySelector<HTMLSelectElement>('select[name="host"]');
    if (!chooser) return;
    this.focusChooser = false;
    chooser.focus();
  }

  private lock(): void {
    void call('vault.lock', null).then((v) => this.vaultChanged(v));
  }

  // ---- Rendering ----------------------------------------------------------------------------------

  override render() {
    if (this.loadError) {
      return html`<main class="stack">
        <p class="alert" role="alert">${this.loadError}</p>
        <div class="row"><button type="button" @click=${() => void this.load()}>${this.t.term('ext.common.retry')}</button></div>
      </main>`;
    }
    if (!this.vault) return html`<main><p role="status">${this.t.term('ext.popup.loading')}</p></main>`;
    if (!this.vault.initialized) {
      return html`${this.renderHeader(false)}
        <main class="stack narrow">
          <p>${this.t.term('ext.popup.welcome')}</p>
          <div class="row"><button type="button" class="primary" name="open-settings" @click=${() => void browser.runtime.openOptionsPage()}>${this.t.term('ext.popup.openSettings')}</button></div>
        </main>`;
    }
    if (this.vault.locked && !this.deferredLock.pending) {
      return html`${this.renderHeader(false)}
        <main class="stack narrow">
          <nkm-unlock-form @nkm-unlocked=${this.unlockedHere}></nkm-unlock-form>
        </main>`;
    }
    return html`${this.renderHeader(true)}
      ${this.deferredLock.pending ? html`<p class="alert" role="alert" data-lock-pending>${this.t.term('ext.popup.lockPending')}</p>` : nothing}
      <main class="stack" @nas-close=${this.deferredLock.release}>${this.renderBody()}</main>
      <nkm-otp-dialog></nkm-otp-dialog>`;
  }

  private renderHeader(unlocked: boolean) {
    return html`<header class="bar">
      <div class="row brand">
        <img src="../icons/icon-32.png" alt="" width="24" height="24" />
        <h1>${this.t.term('ext.popup.title')}</h1>
      </div>
      <span class="spacer"></span>
      <div class="row">
        <button type="button" name="settings" @click=${() => void browser.runtime.openOptionsPage()}>${this.t.term('ext.popup.settings')}</button>
        ${unlocked ? html`<button type="button" name="lock" @click=${this.lock}>${this.t.term('ext.vault.lock')}</button>` : nothing}
      </div>
    </header>`;
  }

  private renderBody() {
    if (this.hosts.length === 0) {
      return html`<p>${this.t.term('ext.popup.noHosts')}</p>
        <div class="row"><button type="button" class="primary" name="open-settings" @click=${() => void browser.runtime.openOptionsPage()}>${this.t.term('ext.popup.addHost')}</button></div>`;
    }
    const host = this.hosts.find((h) => h.id === this.selected);
    return html`<div class="row host-bar">
        <label class="row">
          ${this.t.term('ext.popup.host')}
          <select name="host" @change=${(e: Event) => this.choose((e.target as HTMLSelectElement).value)}>
            ${this.hosts.map((h) => html`<option value=${h.id} ?selected=${h.id === this.selected}>${displayText(h.name)}</option>`)}
          </select>
        </label>
        ${host ? html`<span class="muted address">${host.address}${host.version ? ` · TrueNAS ${host.version}` : ''}</span>` : nothing}
        <span class="spacer"></span>
        ${this.renderConnection()}
      </div>
      ${this.notice ? html`<p class="status" role="status" data-notice>${this.notice}</p>` : nothing}
      ${this.liveError ? html`<p class="alert" role="alert" data-live-error>${this.t.term('ext.popup.liveFailed', this.liveError)}</p>` : nothing}
      ${host && this.service
        ? html`<api-key-manager
            .service=${this.service}
            .writeClipboard=${this.copyThroughBackground}
            .actions=${['edit', 'reset', 'delete']}
            .initialSort=${{ field: 'name', direction: 'asc' }}
            heading=${host.name}
            columns-key=${columnsKey(host.id)}
          ></api-key-manager>`
        : nothing}`;
  }

  /** Only for a service without `watchConnection`: otherwise `<api-key-manager>` shows the state itself. */
  private renderConnection() {
    const state = this.connection;
    if (!state || this.service?.watchConnection) return nothing;
    return html`<p class="connection" role="status" data-connection-state=${state}>
      <span class="dot" aria-hidden="true"></span>
      <span class="visually-hidden">${this.t.term('ext.full.connection.label')}</span>
      ${this.t.term(CONNECTION_TERMS[state] as 'ext.full.connection.connecting')}
    </p>`;
  }
}
