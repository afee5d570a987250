import { css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { controls, tokens, errorMessage, displayText, icon, isolate, nasText } from '../../components/kit.js';
import { call } from '../shared/messaging.js';
import type { DriftState, VaultDamagedEntry, VaultKeyView } from '../shared/protocol.js';
import type { ExtTermKey } from '../shared/i18n/index.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import { pageStyles } from '../shared/ui/styles.js';
import { fitStyles } from '../shared/ui/fit.styles.js';
import { popupStyles } from './popup.styles.js';

const DRIFT: Record<DriftState, ExtTermKey> = {
  present: 'ext.drift.present',
  verified: 'ext.drift.verified',
  'reset-elsewhere': 'ext.drift.resetElsewhere',
  missing: 'ext.drift.missing',
  revoked: 'ext.drift.revoked',
  unknown: 'ext.drift.unknown',
};

/**
 * Stored keys: copy, explicit reveal, notes ("used by …"), delete, and drift marks from the live
 * NAS. A revealed secret lives only while shown; it is dropped on hide and when the view goes.
 */
export class NkmVaultView extends ExtElement {
  static override styles = [
    tokens,
    controls,
    pageStyles,
    popupStyles,
    fitStyles,
    css`
      /* A revealed key: monospace, so 0/O and 1/l read apart, and never wider than its card. */
      input.secret {
        inline-size: 100%;
        font-family: var(--nas-font-family-mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
      }
      /* The same search field as the key list: a magnifier inside, a placeholder that says what it matches. */
      .search-box {
        position: relative;
        display: flex;
        align-items: center;
        min-inline-size: 0;
      }
      .search-box svg {
        position: absolute;
        inset-inline-start: var(--_space-2);
        color: var(--_muted);
        pointer-events: none;
      }
      input[type='search'] {
        inline-size: 100%;
        min-inline-size: 0;
        padding-inline-start: calc(var(--_space-2) * 2 + var(--_icon));
      }
      .card {
        min-inline-size: 0;
      }
    `,
  ];

  @state() private entries: VaultKeyView[] | null = null;
  @state() private error: string | null = null;
  @state() private busy: 'live' | 'verify' | null = null;
  @state() private revealed: { id: string; secret: string } | null = null;
  @state() private notice: string | null = null;
  @state() private confirmDelete: string | null = null;
  @state() private editingNotes: string | null = null;
  /** Entries that fail their integrity check (store and opaque id), with the one awaiting delete confirmation. */
  @state() private damaged: VaultDamagedEntry[] = [];
  @state() private confirmDamaged: string | null = null;
  /** Counts list reads so that only the newest one's answer is shown. */
  private generation = 0;
  /** The search text: matches name, host, key id and notes. */
  @state() private query = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // Busy from the start: "Check stored keys" must not flash enabled between the cached and the live list.
    this.busy = 'live';
    void this.load(false).then(() => this.load(true));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.revealed = null;
  }

  private async load(live: boolean): Promise<void> {
    if (live) this.busy = 'live';
    const generation = ++this.generation;
    try {
      const entries = await call('vault.list', { live });
      // A list read before a newer one (a check of the stored keys) must not overwrite its marks.
      if (generation === this.generation) this.entries = entries;
      if (!live) this.damaged = await call('vault.damaged', null);
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error, this.t.term('ext.error.internal'));
    } finally {
      if (live) this.busy = null;
    }
  }

  private async act(task: () => Promise<void>): Promise<void> {
    this.notice = null;
    try {
      await task();
    } catch (error) {
      this.notice = errorMessage(error, this.t.term('ext.error.internal'));
    }
  }

  /** Entries matching the search (all of them without one). */
  private get shown(): VaultKeyView[] {
    const entries = this.entries ?? [];
    const words = this.query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return entries;
    return entries.filter((e) => {
      const text = [e.name, e.hostName ?? '', e.host, e.keyId !== null ? `#${e.keyId} ${e.keyId}` : '', e.notes].join(' ').toLocaleLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  override render() {
    const entries = this.entries;
    const shown = this.shown;
    const searching = this.query.trim() !== '';
    return html`<section class="stack" aria-labelledby="vault-view-title">
      <div class="row">
        <h2 id="vault-view-title">${this.t.term('ext.vaultView.title')}</h2>
        <span class="spacer"></span>
        <button type="button" name="verify" ?disabled=${this.busy !== null || !entries?.length} @click=${this.verify} aria-describedby="verify-hint">
          ${this.busy === 'verify' ? this.t.term('ext.vaultView.verifying') : this.t.term('ext.vaultView.verify')}
        </button>
      </div>
      <p class="hint" id="verify-hint">${this.t.term('ext.vaultView.verifyHint')}</p>
      ${this.busy === 'live' ? html`<p class="muted" role="status">${this.t.term('ext.vaultView.checking')}</p>` : nothing}
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
      ${this.notice ? html`<p class="status" role="status" id="vault-notice">${this.notice}</p>` : nothing}
      ${entries === null ? html`<p role="status">${this.t.term('ext.popup.loading')}</p>` : entries.length === 0 ? html`<p class="muted">${this.t.term('ext.vaultView.empty')}</p>` : nothing}
      ${entries?.length
        ? html`<label class="field">
            ${this.t.term('ext.vaultView.search')}
            <span class="search-box"
              >${icon('search')}<input
                type="search"
                name="vault-search"
                autocomplete="off"
                spellcheck="false"
                placeholder=${this.t.term('ext.vaultView.searchPlaceholder')}
                .value=${this.query}
                aria-describedby="vault-search-count"
                @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
            /></span>
          </label>
          <p class="hint" id="vault-search-count" role="status" data-search-count>
            ${searching ? (shown.length ? this.t.term('ext.vaultView.searchCount', shown.length, entries.length) : this.t.term('ext.vaultView.noMatch')) : nothing}
          </p>`
        : nothing}
      ${this.renderDamaged()}
      <ul class="plain">
        ${shown.map((entry) => this.renderEntry(entry))}
      </ul>
    </section>`;
  }

  /** Damaged entries: what they are (store, opaque id), what to do, and a delete with confirmation. */
  private renderDamaged() {
    const damaged = this.damaged;
    if (!damaged.length) return nothing;
    const key = (d: VaultDamagedEntry) => `${d.store}/${d.id}`;
    return html`<section class="warning stack" id="vault-damaged" aria-labelledby="vault-damaged-title">
      <h3 id="vault-damaged-title">${this.t.term('ext.vaultView.damagedTitle', damaged.length)}</h3>
      <p>${this.t.term('ext.vaultView.damagedIntro')}</p>
      <ul class="plain stack">
        ${damaged.map(
          (d) => html`<li class="row" data-damaged-id=${d.id} data-store=${d.store}>
            <span class="truncate">${this.t.term(d.store === 'hosts' ? 'ext.vaultView.damagedHost' : 'ext.vaultView.damagedKey', d.id)}</span>
            <span class="spacer"></span>
            ${this.confirmDamaged === key(d)
              ? html`<span role="alertdialog" class="row" aria-labelledby=${`damaged-confirm-${d.id}`}>
                  <span id=${`damaged-confirm-${d.id}`}>${this.t.term('ext.vaultView.deleteDamagedConfirm')}</span>
                  <button type="button" class="danger" name="confirm-delete-damaged" @click=${() => this.deleteDamaged(d)}>${this.t.term('ext.vaultView.delete')}</button>
                  <button type="button" @click=${() => (this.confirmDamaged = null)}>${this.t.term('ext.common.cancel')}</button>
                </span>`
              : html`<button type="button" name="delete-damaged" @click=${() => (this.confirmDamaged = key(d))}>${this.t.term('ext.vaultView.deleteDamaged')}</button>`}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private deleteDamaged(entry: VaultDamagedEntry): Promise<void> {
    return this.act(async () => {
      try {
        await call('vault.deleteDamaged', { store: entry.store, id: entry.id });
        this.notice = this.t.term('ext.vaultView.damagedDeleted');
      } finally {
        this.confirmDamaged = null;
        this.damaged = await call('vault.damaged', null);
      }
    });
  }

  private renderEntry(entry: VaultKeyView) {
    const revealed = this.revealed?.id === entry.id ? this.revealed.secret : null;
    const driftClass = entry.drift === 'present' || entry.drift === 'verified' ? 'ok' : entry.drift === 'unknown' ? 'muted' : 'error';
    return html`<li class="card" data-entry-id=${entry.id} data-drift=${entry.drift}>
      <div class="row">
        <h3 class="truncate" title=${displayText(entry.name)}>${this.storedName(entry.name, entry.keyId)}</h3>
        <span class="muted truncate">${nasText(entry.hostName ?? entry.host)}${entry.keyId !== null ? ` · #${entry.keyId}` : ''}</span>
        <span class="spacer"></span>
        <span class=${driftClass} data-drift-label>${this.t.term(DRIFT[entry.drift] as 'ext.drift.present')}</span>
      </div>
      ${entry.driftNote ? html`<p class="hint">${entry.driftNote}</p>` : nothing}
      <p class="hint">
        ${this.t.term(entry.source === 'reset' ? 'ext.vaultView.storedReset' : entry.source === 'create' ? 'ext.vaultView.storedCreate' : 'ext.vaultView.storedManual', this.t.date(entry.storedAt, { dateStyle: 'medium', timeStyle: 'short' }))}
        ${entry.history.length ? html` · ${this.t.term('ext.vaultView.history', entry.history.length)}` : nothing}
      </p>
      ${revealed !== null
        ? html`<label class="field">
            ${this.t.term('ext.vaultView.secret')}
            <input class="secret" readonly .value=${revealed} autocomplete="off" spellcheck="false" />
          </label>`
        : nothing}
      ${this.editingNotes === entry.id
        ? html`<form class="stack" @submit=${(e: Event) => this.saveNotes(e, entry)}>
            <label class="field">
              ${this.t.term('ext.vaultView.notes')}
              <textarea name="notes" rows="2" maxlength="4000" .value=${entry.notes}></textarea>
            </label>
            <div class="row">
              <button type="submit" class="primary">${this.t.term('ext.common.save')}</button>
              <button type="button" @click=${() => (this.editingNotes = null)}>${this.t.term('ext.common.cancel')}</button>
            </div>
          </form>`
        : entry.notes
          ? html`<p data-notes>${this.t.term('ext.vaultView.usedBy', isolate(entry.notes))}</p>`
          : nothing}
      ${this.confirmDelete === entry.id
        ? html`<div class="warning stack" role="alertdialog" aria-labelledby=${`del-${entry.id}`} data-delete-confirm>
            <p id=${`del-${entry.id}`}>${this.t.term('ext.vaultView.deleteConfirm', this.storedNameText(entry.name, entry.keyId))}</p>
            <div class="row">
              <button type="button" class="danger" name="confirm-delete" @click=${() => this.delete(entry)}>${this.t.term('ext.vaultView.delete')}</button>
              <button type="button" name="cancel-delete" @click=${() => this.cancelDelete(entry)}>${this.t.term('ext.common.cancel')}</button>
            </div>
          </div>`
        : nothing}
      <div class="row">
        <button type="button" name="copy" @click=${() => this.copy(entry)}>${this.t.term('ext.vaultView.copy')}</button>
        <button type="button" name="reveal" aria-pressed=${revealed !== null ? 'true' : 'false'} @click=${() => this.toggleReveal(entry)}>
          ${revealed !== null ? this.t.term('ext.vaultView.hide') : this.t.term('ext.vaultView.reveal')}
        </button>
        <button type="button" name="notes" @click=${() => (this.editingNotes = entry.id)}>${this.t.term('ext.vaultView.editNotes')}</button>
        <button type="button" name="delete" @click=${() => void this.askDelete(entry)}>${this.t.term('ext.vaultView.delete')}</button>
      </div>
    </li>`;
  }

  /** The confirmation opens in place: brought fully into view, focus on its safe choice. */
  private async askDelete(entry: VaultKeyView): Promise<void> {
    this.confirmDelete = entry.id;
    await this.updateComplete;
    const box = this.renderRoot.querySelector<HTMLElement>(`li[data-entry-id="${CSS.escape(entry.id)}"] [data-delete-confirm]`);
    box?.scrollIntoView({ block: 'nearest' });
    box?.querySelector<HTMLButtonElement>('button[name="cancel-delete"]')?.focus({ preventScroll: true });
  }

  private async cancelDelete(entry: VaultKeyView): Promise<void> {
    this.confirmDelete = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`li[data-entry-id="${CSS.escape(entry.id)}"] button[name="delete"]`)?.focus();
  }

  private copy(entry: VaultKeyView): Promise<void> {
    return this.act(async () => {
      const { clearsAt } = await call('vault.copy', { id: entry.id });
      this.notice = clearsAt ? this.t.term('ext.vaultView.copied', this.t.date(clearsAt, { timeStyle: 'medium' })) : this.t.term('ext.vaultView.copiedNoClear');
    });
  }

  private toggleReveal(entry: VaultKeyView): Promise<void> {
    if (this.revealed?.id === entry.id) {
      this.revealed = null;
      return Promise.resolve();
    }
    return this.act(async () => {
      const { secret } = await call('vault.reveal', { id: entry.id });
      this.revealed = { id: entry.id, secret };
    });
  }

  private saveNotes(event: Event, entry: VaultKeyView): Promise<void> {
    event.preventDefault();
    const notes = ((event.target as HTMLFormElement).elements.namedItem('notes') as HTMLTextAreaElement).value;
    return this.act(async () => {
      const updated = await call('vault.update', { id: entry.id, notes });
      this.entries = (this.entries ?? []).map((e) => (e.id === entry.id ? { ...updated, drift: e.drift, driftNote: e.driftNote } : e));
      this.editingNotes = null;
      this.notice = this.t.term('ext.settings.saved');
    });
  }

  private delete(entry: VaultKeyView): Promise<void> {
    return this.act(async () => {
      await call('vault.delete', { id: entry.id });
      if (this.revealed?.id === entry.id) this.revealed = null;
      this.entries = (this.entries ?? []).filter((e) => e.id !== entry.id);
      this.confirmDelete = null;
      this.notice = this.t.term('ext.vaultView.deleted', this.storedNameText(entry.name, entry.keyId));
    });
  }

  private async verify(): Promise<void> {
    this.busy = 'verify';
    const generation = ++this.generation;
    await this.act(async () => {
      const entries = await call('vault.verify', {});
      if (generation === this.generation) this.entries = entries;
    });
    this.busy = null;
  }
}
