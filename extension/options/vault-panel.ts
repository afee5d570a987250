import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import browser from 'webextension-polyfill';
import { controls, tokens } from '../../components/internal/controls.styles.js';
import { errorMessage } from '../../components/internal/errors.js';
import { call } from '../shared/messaging.js';
import type { VaultState } from '../shared/protocol.js';
import { AUTO_LOCK_CHOICES, CLIPBOARD_CLEAR_CHOICES, type Settings } from '../shared/settings.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import { download } from '../shared/ui/page.js';
import { pageStyles } from '../shared/ui/styles.js';
import '../shared/ui/define.js';

type Busy = 'create' | 'lock' | 'export' | 'import' | 'settings' | null;

/**
 * The vault section of the options page: create the vault, unlock or lock it, auto-lock and
 * clipboard settings, notifications, and encrypted export and import.
 */
export class NkmVaultPanel extends ExtElement {
  static override styles = [tokens, controls, pageStyles];

  @property({ attribute: false }) vault: VaultState | null = null;
  @property({ attribute: false }) settings: Settings | null = null;

  @state() private busy: Busy = null;
  @state() private error: { where: string; message: string } | null = null;
  @state() private notice: string | null = null;

  override render() {
    const vault = this.vault;
    if (!vault) return nothing;
    return html`<section class="card" aria-labelledby="vault-title">
      <h2 id="vault-title">${this.t.term('ext.vault.title')}</h2>
      ${!vault.initialized ? this.renderCreate() : vault.locked ? html`<nkm-unlock-form></nkm-unlock-form>` : this.renderUnlocked(vault)}
      ${this.notice ? html`<p class="status" role="status">${this.notice}</p>` : nothing}
      ${this.settings ? this.renderSettings(this.settings, vault) : nothing}
      ${vault.initialized && !vault.locked ? this.renderTransfer() : nothing}
    </section>`;
  }

  private errorFor(where: string) {
    return this.error?.where === where ? html`<p class="alert" role="alert" id=${`${where}-error`}>${this.error.message}</p>` : nothing;
  }

  private renderCreate() {
    return html`<form class="stack" @submit=${this.create} novalidate>
      <p>${this.t.term('ext.vault.createIntro')}</p>
      <label class="field">
        ${this.t.term('ext.vault.newPassphrase')}
        <input type="password" name="passphrase" autocomplete="new-password" required minlength="8" aria-describedby="passphrase-hint" />
      </label>
      <p class="hint" id="passphrase-hint">${this.t.term('ext.vault.passphraseHint')}</p>
      <label class="field">
        ${this.t.term('ext.vault.repeatPassphrase')}
        <input type="password" name="repeat" autocomplete="new-password" required />
      </label>
      ${this.errorFor('create')}
      <div class="row"><button type="submit" class="primary" ?disabled=${this.busy === 'create'}>${this.t.term('ext.vault.create')}</button></div>
    </form>`;
  }

  private renderUnlocked(vault: VaultState) {
    return html`<div class="row">
      <p role="status">
        ${vault.autoLockAt ? this.t.term('ext.vault.unlockedUntil', this.t.date(vault.autoLockAt, { timeStyle: 'short' })) : this.t.term('ext.vault.unlocked')}
      </p>
      <span class="spacer"></span>
      <button type="button" @click=${this.lock} ?disabled=${this.busy === 'lock'}>${this.t.term('ext.vault.lock')}</button>
    </div>`;
  }

  private renderSettings(settings: Settings, vault: VaultState) {
    const minutes = (m: number) => (m === 0 ? this.t.term('ext.settings.autoLock.never') : this.t.term('ext.settings.minutes', m));
    const seconds = (ms: number) => (ms === 0 ? this.t.term('ext.settings.clipboard.never') : this.t.term('ext.settings.seconds', ms / 1000));
    const lockChoices: number[] = AUTO_LOCK_CHOICES.includes(settings.autoLockMinutes as never) ? [...AUTO_LOCK_CHOICES] : [settings.autoLockMinutes, ...AUTO_LOCK_CHOICES];
    const clipChoices: number[] = CLIPBOARD_CLEAR_CHOICES.includes(settings.clipboardClearMs as never) ? [...CLIPBOARD_CLEAR_CHOICES] : [settings.clipboardClearMs, ...CLIPBOARD_CLEAR_CHOICES];
    const unlocked = vault.initialized && !vault.locked;
    return html`<div class="stack">
      <h3>${this.t.term('ext.settings.title')}</h3>
      <label class="field">
        ${this.t.term('ext.settings.autoLock')}
        <select name="autoLockMinutes" ?disabled=${!unlocked || this.busy === 'settings'} aria-describedby="autolock-hint" @change=${(e: Event) => this.updateSettings({ autoLockMinutes: Number((e.target as HTMLSelectElement).value) })}>
          ${lockChoices.map((m) => html`<option value=${m} ?selected=${m === settings.autoLockMinutes}>${minutes(m)}</option>`)}
        </select>
      </label>
      <p class="hint" id="autolock-hint">${unlocked ? this.t.term('ext.settings.autoLockHint') : this.t.term('ext.settings.autoLockLocked')}</p>
      <label class="field">
        ${this.t.term('ext.settings.clipboard')}
        <select name="clipboardClearMs" ?disabled=${this.busy === 'settings'} @change=${(e: Event) => this.updateSettings({ clipboardClearMs: Number((e.target as HTMLSelectElement).value) })}>
          ${clipChoices.map((ms) => html`<option value=${ms} ?selected=${ms === settings.clipboardClearMs}>${seconds(ms)}</option>`)}
        </select>
      </label>
      <label class="field">
        ${this.t.term('ext.settings.expiringDays')}
        <input type="number" name="expiringDays" min="1" max="365" .value=${String(settings.expiringDays)} @change=${(e: Event) => this.updateSettings({ expiringDays: Number((e.target as HTMLInputElement).value) })} />
      </label>
      <label class="check">
        <input type="checkbox" name="notifications" .checked=${settings.notifications} @change=${this.toggleNotifications} />
        ${this.t.term('ext.settings.notifications')}
      </label>
      ${this.errorFor('settings')}
    </div>`;
  }

  private renderTransfer() {
    return html`<div class="stack">
      <h3>${this.t.term('ext.transfer.title')}</h3>
      <form class="stack" @submit=${this.exportVault} novalidate aria-labelledby="export-title">
        <h4 id="export-title" class="visually-hidden">${this.t.term('ext.transfer.export')}</h4>
        <p class="hint">${this.t.term('ext.transfer.exportHint')}</p>
        <label class="field">
          ${this.t.term('ext.transfer.exportPassphrase')}
          <input type="password" name="exportPassphrase" autocomplete="new-password" />
        </label>
        ${this.errorFor('export')}
        <div class="row"><button type="submit" ?disabled=${this.busy === 'export'}>${this.t.term('ext.transfer.export')}</button></div>
      </form>
      <form class="stack" @submit=${this.importVault} novalidate aria-labelledby="import-title">
        <h4 id="import-title" class="visually-hidden">${this.t.term('ext.transfer.import')}</h4>
        <label class="field">
          ${this.t.term('ext.transfer.file')}
          <input type="file" name="file" accept=".json,application/json" />
        </label>
        <label class="field">
          ${this.t.term('ext.transfer.importPassphrase')}
          <input type="password" name="importPassphrase" autocomplete="off" />
        </label>
        ${this.errorFor('import')}
        <div class="row"><button type="submit" ?disabled=${this.busy === 'import'}>${this.t.term('ext.transfer.import')}</button></div>
      </form>
    </div>`;
  }

  private async run(busy: Exclude<Busy, null>, task: () => Promise<void>): Promise<void> {
    this.busy = busy;
    this.error = null;
    this.notice = null;
    try {
      await task();
    } catch (error) {
      this.error = { where: busy, message: errorMessage(error, this.t.term('ext.error.internal')) };
    } finally {
      this.busy = null;
    }
  }

  private create(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const passphrase = (form.elements.namedItem('passphrase') as HTMLInputElement).value;
    const repeat = (form.elements.namedItem('repeat') as HTMLInputElement).value;
    return this.run('create', async () => {
      try {
        if (passphrase !== repeat) throw new Error(this.t.term('ext.vault.mismatch'));
        await call('vault.setup', { passphrase });
        this.notice = this.t.term('ext.vault.created');
      } finally {
        form.reset();
      }
    });
  }

  private lock(): Promise<void> {
    return this.run('lock', async () => {
      await call('vault.lock', null);
    });
  }

  private updateSettings(update: Partial<Settings>): Promise<void> {
    return this.run('settings', async () => {
      await call('settings.update', update);
      this.notice = this.t.term('ext.settings.saved');
    });
  }

  private toggleNotifications(event: Event): Promise<void> {
    const box = event.target as HTMLInputElement;
    const on = box.checked;
    // Ask for the optional permission inside the click (a user gesture), before anything else.
    const granted = on ? browser.permissions.request({ permissions: ['notifications'] }) : Promise.resolve(true);
    return this.run('settings', async () => {
      if (!(await granted)) {
        box.checked = false;
        throw new Error(this.t.term('ext.settings.notificationsDenied'));
      }
      await call('settings.update', { notifications: on });
      this.notice = this.t.term('ext.settings.saved');
    });
  }

  private exportVault(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const field = form.elements.namedItem('exportPassphrase') as HTMLInputElement;
    const passphrase = field.value;
    return this.run('export', async () => {
      try {
        const file = await call('vault.export', { passphrase });
        download(file.fileName, file.content);
        this.notice = this.t.term('ext.transfer.exported', file.keys, file.hosts);
      } finally {
        field.value = '';
      }
    });
  }

  private importVault(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const fileInput = form.elements.namedItem('file') as HTMLInputElement;
    const field = form.elements.namedItem('importPassphrase') as HTMLInputElement;
    const passphrase = field.value;
    const file = fileInput.files?.[0];
    return this.run('import', async () => {
      try {
        if (!file) throw new Error(this.t.term('ext.transfer.noFile'));
        if (file.size > 64 * 1024 * 1024) throw new Error(this.t.term('ext.transfer.tooLarge'));
        const content = await file.text();
        const result = await call('vault.import', { content, passphrase });
        this.notice = this.t.term('ext.transfer.imported', result.added, result.updated, result.unchanged);
        form.reset();
      } finally {
        field.value = '';
      }
    });
  }
}
