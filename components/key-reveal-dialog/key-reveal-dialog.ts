import { html, nothing, type CSSResultGroup, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { property, state } from 'lit/decorators.js';
import { NasElement } from '../internal/nas-element.js';
import { ModalController, type CloseSource } from '../internal/modal.js';
import { controls, dialogStyles, tokens } from '../internal/controls.styles.js';
import { NasKeyCopyEvent } from '../events/key-copy.js';
import { NasKeySaveEvent } from '../events/key-save.js';
import { NasRequestCloseEvent } from '../events/request-close.js';
import { NasDialogCloseEvent } from '../events/dialog-close.js';
import type { KeyWithSecret } from '../model/api-key.js';
import { formatKey, KEY_EXPORT_FORMATS, type KeyExportFormat } from './key-formats.js';
import styles from './key-reveal-dialog.styles.js';
import { layered } from '../internal/layer.js';

export interface RevealOptions {
  /** Wording of the title: a new key or a reset one. Default `created`. */
  mode?: 'created' | 'reset';
  /** Gets focus back when the dialog closes (default: the element focused when `show` was called). */
  trigger?: Element | null;
}

/**
 * @summary Shows a newly created or reset API key exactly once, masked until revealed, with copy
 * to clipboard, export formats and an optional "Save to vault". Closing without copying or saving
 * asks for confirmation. The secret lives only in a property (never an attribute) while the dialog
 * is open, and is cleared from the element and its DOM on close and on disconnect.
 * @status stable
 * @since 0.1
 *
 * @event {NasKeyCopyEvent} nas-key-copy - A copy attempt finished; `detail: { format, ok }` (no secret).
 * @event {NasKeySaveEvent} nas-key-save - "Save to vault" was chosen; `detail: { key, secret }`. Call `event.waitUntil(promise)`.
 * @event {NasRequestCloseEvent} nas-request-close - Cancelable; Esc, a backdrop click or Close asked to close.
 * @event {NasDialogCloseEvent} nas-close - The dialog closed; `reason` is `confirm` when the key was copied or saved.
 *
 * @csspart dialog - The native `<dialog>`.
 * @csspart body - Content wrapper.
 * @csspart title - The heading.
 * @csspart key-name - Which key this is.
 * @csspart warning - The "shown only once" warning.
 * @csspart format - The format picker.
 * @csspart secret - The (masked) key field.
 * @csspart reveal-button - Show/hide toggle.
 * @csspart copy-button - Copy to clipboard.
 * @csspart save-button - Save to vault.
 * @csspart close-button - Close.
 * @csspart status - The live region announcing copy/save results.
 * @csspart confirm - The close-confirmation view.
 * @csspart footer - Action rows.
 *
 * @cssproperty --nas-dialog-width - Preferred dialog width (default 34rem).
 * @cssproperty --nas-font-family-mono - Font of the key field.
 */
export class KeyRevealDialog extends NasElement {
  static override styles: CSSResultGroup = layered(tokens, controls, dialogStyles, styles);

  /**
   * The key and its secret. Prefer `show(entry)`. Never reflected; set to null on close and on
   * disconnect.
   */
  @property({ attribute: false }) entry: KeyWithSecret | null = null;

  /** Offer "Save to vault" (the host handles `nas-key-save`). */
  @property({ type: Boolean, reflect: true }) vault = false;

  /**
   * Writes a copy instead of `navigator.clipboard`, for hosts that must record a copy before it
   * happens (the extension schedules the clipboard's clear first). A rejection's message is shown.
   */
  @property({ attribute: false }) writeClipboard: ((text: string) => Promise<void>) | null = null;

  /** Title wording: `created` or `reset`. */
  @property() mode: 'created' | 'reset' = 'created';

  /** Whether the dialog is showing. Read-only in practice: use `show()` and `hide()`. */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private revealed = false;
  @state() private format: KeyExportFormat = 'raw';
  @state() private copied = false;
  @state() private saved = false;
  @state() private saving = false;
  @state() private confirming = false;
  @state() private status: { kind: 'success' | 'error'; text: string } | null = null;

  #pendingTrigger: Element | null = null;

  readonly #modal = new ModalController(this, () => this.renderRoot?.querySelector('dialog'), {
    requestClose: (source) => this.#requestClose(source),
    closedByBrowser: () => {
      // Something closed the dialog behind our back; never lose an unkept key that way.
      if (this.entry && !this.#kept) {
        this.renderRoot.querySelector('dialog')?.showModal();
        this.confirming = true;
      } else {
        this.#finish();
      }
    },
  });

  /** Shows `entry` once. Resolves when the dialog has rendered. */
  async show(entry: KeyWithSecret, options: RevealOptions = {}): Promise<void> {
    this.#reset();
    this.entry = entry;
    this.mode = options.mode ?? 'created';
    this.#pendingTrigger = options.trigger ?? null;
    this.open = true;
    await this.updateComplete;
  }

  /** Closes at once, without asking, and forgets the key. */
  async hide(): Promise<void> {
    this.#finish();
    await this.updateComplete;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#wipe();
    this.open = false;
    this.#reset();
  }

  get #kept(): boolean {
    return this.copied || this.saved || this.entry?.stored?.saved === true;
  }

  #reset(): void {
    this.revealed = false;
    this.format = 'raw';
    this.copied = false;
    this.saved = false;
    this.saving = false;
    this.confirming = false;
    this.status = null;
  }

  /** Drops the secret from the property and from the field that displayed it. */
  #wipe(): void {
    const field = this.renderRoot?.querySelector?.('textarea');
    if (field) field.value = '';
    this.entry = null;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    let opened = false;
    if (changed.has('open') || changed.has('entry')) {
      if (this.open && this.entry && !this.#modal.isOpen) {
        this.#modal.show(this.#pendingTrigger);
        this.#pendingTrigger = null;
        opened = true;
      } else if ((!this.open || !this.entry) && this.#modal.isOpen) {
        this.#modal.close();
      }
    }
    this.#fitSecret();
    // After the key field has its height: focusing scrolls Copy into view in a short window.
    if (opened) this.#focusPart('copy-button');
  }

  /**
   * Grows the key field to its text, so no format is cut off (CSS `field-sizing` does it where
   * supported, also when the width changes; elsewhere this measures once per render).
   */
  #fitSecret(): void {
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
    if (!field || CSS.supports('field-sizing', 'content')) return;
    field.style.blockSize = 'auto';
    const { borderTopWidth, borderBottomWidth } = getComputedStyle(field);
    field.style.blockSize = `${field.scrollHeight + parseFloat(borderTopWidth) + parseFloat(borderBottomWidth)}px`;
  }

  #focusPart(part: string): void {
    this.renderRoot.querySelector<HTMLElement>(`[part~="${part}"]`)?.focus();
  }

  #requestClose(source: CloseSource): void {
    if (this.confirming) {
      // Esc or the backdrop while confirming means "go back", the safe choice.
      if (source !== 'button') void this.#cancelConfirm();
      return;
    }
    const event = new NasRequestCloseEvent({ source });
    this.dispatchEvent(event);
    if (event.defaultPrevented) return;
    if (this.#kept) {
      this.#finish();
    } else {
      this.confirming = true;
      void this.updateComplete.then(() => this.#focusPart('back-button'));
    }
  }

  async #cancelConfirm(): Promise<void> {
    this.confirming = false;
    await this.updateComplete;
    this.#focusPart('copy-button');
  }

  #finish(): void {
    const wasOpen = this.open;
    const reason = this.#kept ? 'confirm' : 'dismiss';
    this.#wipe();
    this.#reset();
    this.open = false;
    this.#modal.close();
    if (wasOpen) this.dispatchEvent(new NasDialogCloseEvent({ reason }));
  }

  async #copy(): Promise<void> {
    const entry = this.entry;
    if (!entry) return;
    const format = this.format;
    const text = formatKey(format, entry.key, entry.secret);
    let failure: string | null = null;
    try {
      if (this.writeClipboard) await this.writeClipboard(text);
      else await navigator.clipboard.writeText(text);
    } catch (error) {
      failure = this.writeClipboard && error instanceof Error ? error.message : this.localize.term('reveal.copyFailed');
    }
    if (this.entry !== entry) return;
    const ok = failure === null;
    if (ok) this.copied = true;
    this.status = failure === null ? { kind: 'success', text: this.localize.term('reveal.copied') } : { kind: 'error', text: failure };
    this.dispatchEvent(new NasKeyCopyEvent({ format, ok }));
  }

  async #save(): Promise<void> {
    const entry = this.entry;
    if (!entry || this.saving) return;
    const event = new NasKeySaveEvent({ key: entry.key, secret: entry.secret });
    this.dispatchEvent(event);
    this.saving = true;
    this.status = null;
    try {
      await event.pending;
      if (this.entry !== entry) return;
      this.saved = true;
      this.status = { kind: 'success', text: this.localize.term('reveal.saved') };
    } catch (error) {
      if (this.entry !== entry) return;
      this.status = { kind: 'error', text: this.localize.term('reveal.saveFailed', this.failureText(error)) };
    } finally {
      this.saving = false;
    }
  }

  override render(): TemplateResult {
    const entry = this.entry;
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      aria-describedby=${this.confirming ? 'confirm-text' : 'warning'}
      dir=${ifDefined(this.contentDir)}
      lang=${this.localize.lang()}
    >
      ${this.open && entry ? html`<div class="dialog-body" part="body">${this.confirming ? this.#renderConfirm() : this.#renderKey(entry)}</div>` : nothing}
    </dialog>`;
  }

  #renderConfirm() {
    return html`<div class="confirm" part="confirm">
      <h2 id="title" class="dialog-title" part="title">${this.localize.term('reveal.confirm.title')}</h2>
      <p id="confirm-text" class="warning">${this.localize.term('reveal.confirm.text')}</p>
      <div class="dialog-footer" part="footer">
        <button type="button" class="primary" part="back-button" @click=${this.#cancelConfirm}>${this.localize.term('reveal.confirm.back')}</button>
        <button type="button" class="danger" part="discard-button" @click=${this.#finish}>${this.localize.term('reveal.confirm.close')}</button>
      </div>
    </div>`;
  }

  #renderKey(entry: KeyWithSecret) {
    const { format } = this;
    // A service that kept the secret (the extension's vault) says so; one that failed says why.
    const { stored } = entry;
    const shown = this.revealed ? entry.secret : '•'.repeat(entry.secret.length);
    return html`
      <h2 id="title" class="dialog-title" part="title">
        ${this.localize.term(`reveal.title.${this.mode}`)}
      </h2>
      <p class="key-name" part="key-name">${this.localize.term('reveal.for', this.keyName(entry.key))}</p>
      <p id="warning" class="warning" part="warning">
        ${stored?.saved === false ? this.localize.term('reveal.notSaved', stored.reason) : this.localize.term(stored ? 'reveal.inVault' : 'reveal.warning')}
      </p>
      <div class="field">
        <label for="format">${this.localize.term('reveal.format')}</label>
        <select id="format" part="format" aria-describedby="format-hint" @change=${this.#onFormatChange}>
          ${KEY_EXPORT_FORMATS.map((f) => html`<option value=${f} ?selected=${f === format}>${this.localize.term(`reveal.format.${f}`)}</option>`)}
        </select>
        <span id="format-hint" class="hint">${this.localize.term(`reveal.formatHint.${format}`)}</span>
      </div>
      <div class="field">
        <label for="secret">${this.localize.term('reveal.key')}</label>
        <textarea
          id="secret"
          part="secret"
          readonly
          rows="1"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          .value=${formatKey(format, entry.key, shown)}
        ></textarea>
      </div>
      <div class="dialog-footer actions" part="footer">
        <!-- The label says what a press does (Show / Hide); no aria-pressed, which would contradict a changing label. -->
        <button type="button" part="reveal-button" aria-controls="secret" @click=${this.#toggleReveal}>
          ${this.localize.term(this.revealed ? 'reveal.hide' : 'reveal.show')}
        </button>
        ${this.vault
          ? html`<button type="button" part="save-button" aria-disabled=${this.saving ? 'true' : 'false'} @click=${this.#save}>
              ${this.localize.term(this.saving ? 'reveal.saving' : 'reveal.save')}
            </button>`
          : nothing}
        <button type="button" class="primary" part="copy-button" @click=${this.#copy}>${this.localize.term('reveal.copy')}</button>
      </div>
      <p role="status" class="status ${this.status?.kind ?? ''}" part="status">${this.status?.text ?? ''}</p>
      <div class="dialog-footer closing" part="footer">
        <button type="button" part="close-button" @click=${() => this.#requestClose('button')}>${this.localize.term('common.close')}</button>
      </div>
    `;
  }

  #toggleReveal(): void {
    this.revealed = !this.revealed;
  }

  #onFormatChange(event: Event): void {
    this.format = (event.target as HTMLSelectElement).value as KeyExportFormat;
    // "Copied" spoke of the previous format's text.
    this.status = null;
  }
}
