import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import browser from 'webextension-polyfill';
import { controls, tokens, errorMessage, displayText, isolate, nasText } from '../../components/kit.js';
import { parseHostAddress } from '../shared/hosts.js';
import { call, subscribe } from '../shared/messaging.js';
import type { ConnectionReport, SavedHost, VaultState } from '../shared/protocol.js';
import type { Settings } from '../shared/settings.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import type { ExtEvent } from '../shared/ui/events.js';
import { pageStyles } from '../shared/ui/styles.js';
import { fitStyles } from '../shared/ui/fit.styles.js';
import { renderReport } from './report.js';

/** The options page: the vault and the saved NAS hosts. */
export class NkmOptionsApp extends ExtElement {
  static override styles = [tokens, controls, pageStyles, fitStyles];

  @state() private vault: VaultState | null = null;
  @state() private hosts: SavedHost[] = [];
  @state() private settings: Settings | null = null;
  @state() private loadError: string | null = null;
  @state() private editing: SavedHost | 'new' | null = null;
  @state() private reports: Record<string, ConnectionReport> = {};
  @state() private access: Record<string, boolean> = {};
  @state() private testing = new Set<string>();
  @state() private confirmRemove: string | null = null;
  @state() private notice: string | null = null;

  private unsubscribe: (() => void) | null = null;
  private readonly onPermissions = (): void => void this.checkAccess();

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = subscribe((event) => {
      if (event.type === 'vault') this.vaultChanged(event.state);
      else if (event.type === 'hosts') {
        this.hosts = event.hosts;
        void this.checkAccess();
      } else if (event.type === 'settings') this.settings = event.settings;
    });
    browser.permissions.onAdded.addListener(this.onPermissions);
    browser.permissions.onRemoved.addListener(this.onPermissions);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    browser.permissions.onAdded.removeListener(this.onPermissions);
    browser.permissions.onRemoved.removeListener(this.onPermissions);
  }

  private async load(): Promise<void> {
    try {
      const state = await call('app.state', null);
      this.vault = state.vault;
      this.hosts = state.hosts;
      this.settings = state.settings;
      this.loadError = null;
      await this.checkAccess();
    } catch (error) {
      this.loadError = errorMessage(error, this.t.term('ext.error.internal'));
    }
  }

  /** The host list is sealed in the vault: it is read when the vault unlocks and forgotten when it locks. */
  private vaultChanged(vault: VaultState): void {
    const wasUnlocked = this.vault?.initialized === true && !this.vault.locked;
    this.vault = vault;
    const unlocked = vault.initialized && !vault.locked;
    if (unlocked && !wasUnlocked) void this.load();
    if (!unlocked) {
      this.hosts = [];
      this.editing = null;
    }
  }

  /** Host access can be withdrawn in the browser at any time: show it per host. */
  private async checkAccess(): Promise<void> {
    const access: Record<string, boolean> = {};
    for (const host of this.hosts) {
      access[host.id] = await browser.permissions.contains({ origins: [parseHostAddress(host.address).permissionPattern] }).catch(() => false);
    }
    this.access = access;
  }

  override render() {
    const unlocked = this.vault !== null && this.vault.initialized && !this.vault.locked;
    return html`<main class="stack">
      <header class="row">
        <img src="../icons/icon-48.png" alt="" width="32" height="32" />
        <h1>${this.t.term('ext.options.title')}</h1>
      </header>
      ${this.loadError ? html`<p class="alert" role="alert">${this.loadError} <button type="button" @click=${this.load}>${this.t.term('ext.common.retry')}</button></p>` : nothing}
      <nkm-vault-panel .vault=${this.vault} .settings=${this.settings} @nkm-unlocked=${(e: ExtEvent<VaultState>) => this.vaultChanged(e.detail)}></nkm-vault-panel>
      <section class="stack" aria-labelledby="hosts-title">
        <div class="row">
          <h2 id="hosts-title">${this.t.term('ext.hosts.title')}</h2>
          <span class="spacer"></span>
          <button type="button" class="primary" name="add-host" ?disabled=${!unlocked || this.editing !== null} @click=${() => void this.edit('new')}>${this.t.term('ext.hosts.add')}</button>
        </div>
        ${!unlocked ? html`<p class="hint">${this.t.term('ext.hosts.lockedHint')}</p>` : nothing}
        ${this.notice ? html`<p class="status" role="status" id="hosts-notice">${this.notice}</p>` : nothing}
        ${this.editing !== null
          ? html`<nkm-host-form
              .host=${this.editing === 'new' ? null : this.editing}
              @nkm-cancel=${this.cancelEdit}
              @nkm-host-saved=${this.saved}
            ></nkm-host-form>`
          : nothing}
        ${unlocked && this.hosts.length === 0 ? html`<p class="muted">${this.t.term('ext.hosts.empty')}</p>` : nothing}
        <ul class="plain">
          ${this.hosts.map((host) => this.renderHost(host, unlocked))}
        </ul>
      </section>
    </main>`;
  }

  private renderHost(host: SavedHost, unlocked: boolean) {
    const address = parseHostAddress(host.address);
    const report = this.reports[host.id];
    const access = this.access[host.id];
    return html`<li class="card" data-host-id=${host.id}>
      <div class="row">
        <h3 class="truncate" title=${displayText(host.name)}>${nasText(host.name)}</h3>
        <span class="muted truncate">${nasText(host.address)}</span>
      </div>
      <p>
        ${host.version ? this.t.term('ext.hosts.detected', host.version, host.protocol === 'legacy' ? this.t.term('ext.hosts.protocolLegacy') : this.t.term('ext.hosts.protocolJsonRpc')) : this.t.term('ext.hosts.notDetected')}
        · ${host.login === 'apiKey' ? this.t.term('ext.hosts.viaKey') : this.t.term('ext.hosts.viaPassword', isolate(host.username ?? ''))}
      </p>
      ${!address.secure && !address.loopback ? html`<p class="warning">${this.t.term('ext.hosts.plainWarning')}</p>` : nothing}
      ${access === false
        ? html`<p class="warning" data-access="missing">
            ${this.t.term('ext.hosts.noAccess')}
            <button type="button" name="grant" @click=${() => void this.grant(host)}>${this.t.term('ext.hosts.grant')}</button>
          </p>`
        : nothing}
      ${report ? renderReport(report, this.t) : nothing}
      ${this.confirmRemove === host.id
        ? html`<div class="warning row" role="alertdialog" aria-labelledby=${`remove-${host.id}`}>
            <p id=${`remove-${host.id}`}>${this.t.term('ext.hosts.removeConfirm', isolate(host.name))}</p>
            <button type="button" class="danger" name="confirm-remove" @click=${() => void this.removeHost(host)}>${this.t.term('ext.hosts.remove')}</button>
            <button type="button" @click=${() => (this.confirmRemove = null)}>${this.t.term('ext.common.cancel')}</button>
          </div>`
        : nothing}
      <div class="row">
        <button type="button" name="test" @click=${() => void this.test(host)} ?disabled=${this.testing.has(host.id)}>
          ${this.testing.has(host.id) ? this.t.term('ext.hosts.testing') : this.t.term('ext.hosts.test')}
        </button>
        <button type="button" name="edit" ?disabled=${!unlocked || this.editing !== null} @click=${() => void this.edit(host)}>${this.t.term('ext.hosts.edit')}</button>
        <button type="button" name="remove" @click=${() => (this.confirmRemove = host.id)}>${this.t.term('ext.hosts.remove')}</button>
      </div>
    </li>`;
  }

  /** Opens the form (a new host or this one), scrolled into view with focus on its first field. */
  private async edit(target: SavedHost | 'new'): Promise<void> {
    this.editing = target;
    await this.updateComplete;
    await this.renderRoot.querySelector('nkm-host-form')?.focusFirst();
  }

  /** Focus returns to "Add host" when the form goes (its own buttons are gone). */
  private async focusAdd(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button[name="add-host"]')?.focus();
  }

  private readonly cancelEdit = (): void => {
    this.editing = null;
    void this.focusAdd();
  };

  private saved(event: ExtEvent<{ host: SavedHost; accessGranted: boolean; report: ConnectionReport | null; savedAnyway: boolean }>): void {
    const { host, accessGranted, report, savedAnyway } = event.detail;
    this.editing = null;
    const name = isolate(host.name);
    const protocol = report?.protocol === 'legacy' ? this.t.term('ext.hosts.protocolLegacy') : this.t.term('ext.hosts.protocolJsonRpc');
    this.notice = !accessGranted
      ? this.t.term('ext.hosts.savedNoAccess', name)
      : savedAnyway
        ? this.t.term('ext.hosts.savedUntested', name)
        : report?.outcome === 'ok' && report.version
          ? this.t.term('ext.hosts.savedTested', name, report.version, protocol)
          : this.t.term('ext.hosts.saved', name);
    // What the sign-in test found stays on the host's card, as after "Test connection".
    if (report) this.reports = { ...this.reports, [host.id]: report };
    void this.checkAccess();
    void this.focusAdd();
  }

  private async grant(host: SavedHost): Promise<void> {
    await browser.permissions.request({ origins: [parseHostAddress(host.address).permissionPattern] }).catch(() => false);
    await this.checkAccess();
  }

  private async test(host: SavedHost): Promise<void> {
    // Ask for access inside the click; the background re-checks and reports if it is missing.
    const access = browser.permissions.request({ origins: [parseHostAddress(host.address).permissionPattern] }).catch(() => false);
    this.testing = new Set([...this.testing, host.id]);
    try {
      await access;
      const report = await call('hosts.test', { id: host.id });
      this.reports = { ...this.reports, [host.id]: report };
    } catch (error) {
      this.reports = { ...this.reports, [host.id]: { outcome: 'error', message: errorMessage(error, this.t.term('ext.error.internal')), version: null, protocol: null, openUrl: null } };
    } finally {
      const next = new Set(this.testing);
      next.delete(host.id);
      this.testing = next;
      void this.checkAccess();
    }
  }

  private async removeHost(host: SavedHost): Promise<void> {
    try {
      await call('hosts.remove', { id: host.id });
      this.confirmRemove = null;
      this.notice = this.t.term('ext.hosts.removed', isolate(host.name));
    } catch (error) {
      this.notice = errorMessage(error, this.t.term('ext.error.internal'));
    }
  }
}
