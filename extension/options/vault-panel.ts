import { css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import browser from 'webextension-polyfill';
import { controls, tokens, errorMessage, nasText } from '../../components/kit.js';
import { call } from '../shared/messaging.js';
import type { VaultDamagedEntry, VaultImportAction, VaultImportPreview, VaultState } from '../shared/protocol.js';
import { AUTO_LOCK_CHOICES, CLIPBOARD_CLEAR_CHOICES, type Settings } from '../shared/settings.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import { download } from '../shared/ui/page.js';
import { pageStyles } from '../shared/ui/styles.js';
import { fitStyles } from '../shared/ui/fit.styles.js';
import '../shared/ui/define.js';
import { passphraseStrength } from './passphrase-strength.js';

type Busy = 'create' | 'lock' | 'export' | 'import' | 'settings' | 'passphrase' | null;

const ACTION_TERMS = { add: 'ext.transfer.action.add', replace: 'ext.transfer.action.replace', skip: 'ext.transfer.action.skip' } as const satisfies Record<VaultImportAction, string>;

/** An import waiting for the user's confirmation: the file and its passphrase stay in memory only. */
interface PendingImport {
  content: string;
  passphrase: string;
  preview: VaultImportPreview;
}

/**
 * The vault section of the options page: create the vault, unlock or lock it, auto-lock and
 * clipboard settings, notifications, and encrypted export and import.
 */
export class NkmVaultPanel extends ExtElement {
  static override styles = [
    tokens,
    controls,
    pageStyles,
    fitStyles,
    css`
      .scroll {
        max-block-size: 20rem;
        overflow: auto;
      }
      table.preview {
        inline-size: 100%;
        border-collapse: collapse;
        table-layout: fixed;
      }
      table.preview th,
      table.preview td {
        text-align: start;
        padding: 0.25em 0.5em;
        border-block-end: 1px solid var(--_border);
        vertical-align: top;
      }
    `,
  ];

  @property({ attribute: false }) vault: VaultState | null = null;
  @property({ attribute: false }) settings: Settings | null = null;

  @state() private busy: Busy = null;
  @state() private error: { where: string; message: string } | null = null;
  @state() private notice: string | null = null;
  /** Damaged entries the last export could not include (shown until the next export). */
  @state() private exportDamaged: VaultDamagedEntry[] = [];
  @state() private pendingImport: PendingImport | null = null;
  @state() private strength: ReturnType<typeof passphraseStrength> = 'none';

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A lock drops a pending import (its file and passphrase) and the passphrase strength hint.
    if (changed.has('vault') && (!this.vault || this.vault.locked)) {
      this.pendingImport = null;
      this.strength = 'none';
    }
  }

  override render() {
    const vault = this.vault;
    if (!vault) return nothing;
    return html`<section class="card" aria-labelledby="vault-title">
      <h2 id="vault-title">${this.t.term('ext.vault.title')}</h2>
      ${!vault.initialized ? this.renderCreate() : vault.locked ? html`<nkm-unlock-form></nkm-unlock-form>` : this.renderUnlocked(vault)}
      ${this.notice ? html`<p class="status" role="status">${this.notice}</p>` : nothing}
      ${this.settings ? this.renderSettings(this.settings, vault) : nothing}
      ${vault.initialized && !vault.locked ? this.renderTransfer() : nothing}
      ${vault.initialized && !vault.locked ? this.renderPassphraseChange() : nothing}
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
        <input type="password" name="repeat" autocomplete="new-password" required aria-invalid=${this.error?.where === 'create' ? 'true' : 'false'} aria-describedby=${this.error?.where === 'create' ? 'create-error' : nothing} />
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
        ${this.renderExportDamage()}
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
        <p class="hint" id="import-hint">${this.t.term('ext.transfer.previewHint')}</p>
        ${this.errorFor('import')}
        <div class="row">
          <button type="submit" name="preview" aria-describedby="import-hint" ?disabled=${this.busy === 'import' || this.pendingImport !== null}>${this.t.term('ext.transfer.preview')}</button>
        </div>
      </form>
      ${this.pendingImport ? this.renderPreview(this.pendingImport.preview) : nothing}
    </div>`;
  }

  private renderExportDamage() {
    const damaged = this.exportDamaged;
    if (!damaged.length) return nothing;
    const entries = damaged.map((d) => this.t.term(d.store === 'hosts' ? 'ext.transfer.damagedHost' : 'ext.transfer.damagedKey', d.id)).join(', ');
    return html`<p class="warning" role="alert" id="export-damaged">${this.t.term('ext.transfer.exportDamaged', damaged.length, entries)}</p>`;
  }

  /** The import preview: counts, then every entry with what the import will do. Names and hosts come from the file and are shown as text. */
  private renderPreview(preview: VaultImportPreview) {
    const { add, replace, skip } = preview.counts;
    const nothingToDo = add + replace === 0;
    return html`<section class="stack card" id="import-preview" aria-labelledby="import-preview-title">
      <h4 id="import-preview-title">${this.t.term('ext.transfer.previewTitle')}</h4>
      <p>${this.t.term('ext.transfer.previewExportedAt', this.t.date(preview.exportedAt, { dateStyle: 'medium', timeStyle: 'short' }))}</p>
      <p role="status" id="import-preview-counts">${nothingToDo ? this.t.term('ext.transfer.previewNothing') : this.t.term('ext.transfer.previewCounts', add, replace, skip)}</p>
      ${preview.keys.length + preview.hosts.length
        ? html`<div class="scroll">
            <table class="preview">
              <thead>
                <tr>
                  <th scope="col">${this.t.term('ext.transfer.col.kind')}</th>
                  <th scope="col">${this.t.term('ext.transfer.col.name')}</th>
                  <th scope="col">${this.t.term('ext.transfer.col.host')}</th>
                  <th scope="col">${this.t.term('ext.transfer.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                ${preview.keys.map(
                  (k) => html`<tr data-kind="key" data-action=${k.action}>
                    <td>${this.t.term('ext.transfer.kind.key', k.keyId)}</td>
                    <td class="truncate" data-name>${this.storedName(k.name, k.keyId)}</td>
                    <td class="truncate">${nasText(k.host)}</td>
                    <td>${this.t.term(ACTION_TERMS[k.action])}</td>
                  </tr>`,
                )}
                ${preview.hosts.map(
                  (h) => html`<tr data-kind="host" data-action=${h.action}>
                    <td>${this.t.term('ext.transfer.kind.host')}</td>
                    <td></td>
                    <td class="truncate">${nasText(h.host)}</td>
                    <td>${this.t.term(ACTION_TERMS[h.action])}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing}
      <div class="row">
        <button type="button" class="primary" name="confirm-import" ?disabled=${this.busy === 'import' || nothingToDo} @click=${this.confirmImport}>${this.t.term('ext.transfer.confirm')}</button>
        <button type="button" name="cancel-import" ?disabled=${this.busy === 'import'} @click=${this.cancelImport}>${this.t.term('ext.common.cancel')}</button>
      </div>
    </section>`;
  }

  private renderPassphraseChange() {
    const hint = `ext.passphrase.strength.${this.strength}` as const;
    return html`<form class="stack" @submit=${this.changePassphrase} novalidate aria-labelledby="passphrase-title">
      <h3 id="passphrase-title">${this.t.term('ext.passphrase.title')}</h3>
      <label class="field">
        ${this.t.term('ext.passphrase.current')}
        <input type="password" name="currentPassphrase" autocomplete="current-password" required aria-invalid=${this.error?.where === 'passphrase-current' ? 'true' : 'false'} />
      </label>
      ${this.errorFor('passphrase-current')}
      <label class="field">
        ${this.t.term('ext.passphrase.new')}
        <input type="password" name="newPassphrase" autocomplete="new-password" required minlength="8" aria-describedby="new-passphrase-strength" aria-invalid=${this.error?.where === 'passphrase-next' ? 'true' : 'false'} @input=${(e: Event) => (this.strength = passphraseStrength((e.target as HTMLInputElement).value))} />
      </label>
      <p class="hint" id="new-passphrase-strength" data-strength=${this.strength} aria-live="polite">${this.t.term(hint)}</p>
      ${this.errorFor('passphrase-next')}
      <label class="field">
        ${this.t.term('ext.passphrase.repeat')}
        <input type="password" name="repeatPassphrase" autocomplete="new-password" required aria-invalid=${this.error?.where === 'passphrase-repeat' ? 'true' : 'false'} />
      </label>
      ${this.errorFor('passphrase-repeat')}
      ${this.errorFor('passphrase')}
      <div class="row"><button type="submit" name="change-passphrase" ?disabled=${this.busy === 'passphrase'}>${this.t.term('ext.passphrase.submit')}</button></div>
    </form>`;
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
    const repeatField = form.elements.namedItem('repeat') as HTMLInputElement;
    const repeat = repeatField.value;
    if (passphrase !== repeat) {
      // Keep the first passphrase; ask for the second again.
      this.error = { where: 'create', message: this.t.term('ext.vault.mismatch') };
      this.notice = null;
      repeatField.value = '';
      repeatField.focus();
      return Promise.resolve();
    }
    return this.run('create', async () => {
      try {
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
        this.exportDamaged = [];
        const file = await call('vault.export', { passphrase });
        download(file.fileName, file.content);
        this.exportDamaged = file.damaged;
        this.notice = this.t.term('ext.transfer.exportedFile', file.keys, file.hosts, file.fileName);
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
        const preview = await call('vault.importPreview', { content, passphrase });
        this.pendingImport = { content, passphrase, preview };
        form.reset();
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#import-preview-title')?.setAttribute('tabindex', '-1');
        this.renderRoot.querySelector<HTMLElement>('#import-preview-title')?.focus();
      } finally {
        field.value = '';
      }
    });
  }

  /** Applies the previewed import (the same file and passphrase); the vault merges by its rules at this moment. */
  private confirmImport(): Promise<void> {
    const pending = this.pendingImport;
    if (!pending) return Promise.resolve();
    return this.run('import', async () => {
      const result = await call('vault.import', { content: pending.content, passphrase: pending.passphrase });
      this.pendingImport = null;
      this.notice = this.t.term('ext.transfer.imported', result.added, result.updated, result.unchanged);
    });
  }

  private cancelImport(): void {
    this.pendingImport = null;
    this.error = null;
    this.notice = this.t.term('ext.transfer.cancelled');
  }

  private changePassphrase(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    const current = input('currentPassphrase');
    const next = input('newPassphrase');
    const repeat = input('repeatPassphrase');
    this.error = null;
    this.notice = null;
    if (next.value !== repeat.value) {
      // Keep the first new passphrase; ask for the second again.
      this.error = { where: 'passphrase-repeat', message: this.t.term('ext.passphrase.mismatch') };
      repeat.value = '';
      repeat.focus();
      return Promise.resolve();
    }
    this.busy = 'passphrase';
    return (async () => {
      try {
        await call('vault.changePassphrase', { current: current.value, next: next.value });
        form.reset();
        this.strength = 'none';
        this.notice = this.t.term('ext.passphrase.changed');
      } catch (error) {
        const field = (error as { fieldErrors?: ReadonlyArray<{ field: string }> }).fieldErrors?.[0]?.field;
        const where = field === 'current' ? 'passphrase-current' : field === 'next' ? 'passphrase-next' : 'passphrase';
        this.error = { where, message: errorMessage(error, this.t.term('ext.error.internal')) };
        await this.updateComplete;
        if (field === 'current') {
          current.value = '';
          current.focus();
        } else if (field === 'next') next.focus();
      } finally {
        this.busy = null;
      }
    })();
  }
}
