import { html, nothing, type CSSResultGroup, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { property, state } from 'lit/decorators.js';
import { NasElement } from '../internal/nas-element.js';
import { isolate } from '../internal/display-text.js';
import { nasText } from '../internal/nas-text.js';
import { ModalController, type CloseSource } from '../internal/modal.js';
import { controls, dialogStyles, tokens } from '../internal/controls.styles.js';
import { NasDeleteConfirmEvent } from '../events/delete-confirm.js';
import { NasRequestCloseEvent } from '../events/request-close.js';
import { NasDialogCloseEvent } from '../events/dialog-close.js';
import type { ApiKeyRow } from '../model/api-key.js';
import styles from './delete-key-dialog.styles.js';
import { addEnglishTerms } from '../localize/localize.js';
import enDelete from '../localize/translations/en-delete.js';
import { layered } from '../internal/layer.js';

addEnglishTerms(enDelete);

/**
 * @summary Confirms deleting an API key. Names the key; Delete stays disabled until "Confirm" is
 * ticked, as in TrueNAS. When the key has open sessions, offers to end them too.
 * @status stable
 * @since 0.1
 *
 * @event {NasDeleteConfirmEvent} nas-delete-confirm - The user confirmed. Call `event.waitUntil(promise)` to keep the dialog busy until the NAS answers; a rejection is shown in the dialog.
 * @event {NasRequestCloseEvent} nas-request-close - Cancelable; Esc, a backdrop click or Cancel asked to close.
 * @event {NasDialogCloseEvent} nas-close - The dialog closed; `detail.reason` is `confirm` or `dismiss`.
 *
 * @csspart dialog - The native `<dialog>`.
 * @csspart body - Content wrapper.
 * @csspart title - The heading.
 * @csspart message - The question naming the key.
 * @csspart end-sessions - "End its N open sessions" with why (when `openSessions` is more than 0).
 * @csspart confirm - The "Confirm" checkbox label.
 * @csspart error - The failure message.
 * @csspart footer - The action row.
 * @csspart cancel-button - Cancel.
 * @csspart delete-button - Delete.
 *
 * @cssproperty --nas-dialog-width - Preferred dialog width (default 34rem).
 */
export class DeleteKeyDialog extends NasElement {
  static override styles: CSSResultGroup = layered(tokens, controls, dialogStyles, styles);

  /** The key to delete. */
  @property({ attribute: false }) key: ApiKeyRow | null = null;

  /**
   * The key's open sessions (from `allKeySessions()`). When more than 0, the dialog offers "End its
   * N open sessions" (ticked by default); `nas-delete-confirm` says the choice in `detail.endSessions`.
   * Null or 0: not offered (sessions not supported, none open, or not known).
   */
  @property({ attribute: false }) openSessions: number | null = null;

  /** Whether the dialog is showing. Set it, or call `show()` / `hide()`. */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private confirmed = false;
  @state() private endSessions = true;
  @state() private busy = false;
  @state() private error: string | null = null;

  readonly #modal = new ModalController(this, () => this.renderRoot?.querySelector('dialog'), {
    requestClose: (source) => this.#requestClose(source),
    closedByBrowser: () => this.#finish('dismiss'),
  });

  /** Opens the dialog for `key`. `trigger` gets focus back on close (default: the focused element). */
  async show(key: ApiKeyRow | null = this.key, trigger?: Element | null): Promise<void> {
    this.key = key;
    this.#pendingTrigger = trigger ?? null;
    this.open = true;
    await this.updateComplete;
  }

  /** Closes the dialog without deleting. */
  async hide(): Promise<void> {
    this.open = false;
    await this.updateComplete;
  }

  #pendingTrigger: Element | null = null;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if ((changed.has('open') && this.open) || changed.has('key')) {
      this.confirmed = false;
      this.endSessions = true;
      this.busy = false;
      this.error = null;
    }
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('open')) return;
    if (this.open && !this.#modal.isOpen) {
      this.#modal.show(this.#pendingTrigger);
      this.#pendingTrigger = null;
      this.renderRoot.querySelector('input')?.focus();
    } else if (!this.open && this.#modal.isOpen) {
      this.#modal.close();
    }
  }

  #requestClose(source: CloseSource): void {
    if (this.busy) return;
    const event = new NasRequestCloseEvent({ source });
    this.dispatchEvent(event);
    if (!event.defaultPrevented) this.#finish('dismiss');
  }

  #finish(reason: 'confirm' | 'dismiss'): void {
    this.#modal.close();
    this.open = false;
    this.busy = false;
    this.dispatchEvent(new NasDialogCloseEvent({ reason }));
  }

  async #confirm(): Promise<void> {
    if (!this.confirmed || this.busy || !this.key) return;
    const event = new NasDeleteConfirmEvent({ key: this.key, ...(this.#offerEndSessions ? { endSessions: this.endSessions } : {}) });
    this.dispatchEvent(event);
    if (!event.pending) {
      this.#finish('confirm');
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      await event.pending;
      if (this.open) this.#finish('confirm');
    } catch (error) {
      this.busy = false;
      this.error = this.localize.term('delete.failed', this.failureText(error));
    }
  }

  get #offerEndSessions(): boolean {
    return (this.openSessions ?? 0) > 0;
  }

  override render(): TemplateResult {
    const name = this.key ? this.keyName(this.key) : '';
    return html`<dialog
      part="dialog"
      aria-labelledby="title"
      aria-describedby="message"
      dir=${ifDefined(this.contentDir)}
      lang=${this.localize.lang()}
    >
      ${this.open
        ? html`<div class="dialog-body" part="body" aria-busy=${this.busy ? 'true' : 'false'}>
            <h2 id="title" class="dialog-title" part="title">${this.localize.term('delete.title')}</h2>
            <div id="message" part="message">
              <p class="name">${this.localize.term('delete.question', name)}</p>
              ${this.key?.username ? html`<p>${this.localize.term('delete.owner', isolate(this.key.username))}</p>` : nothing}
              ${this.key?.hostName ? html`<p>${nasText(this.key.hostName)}</p>` : nothing}
              <p>${this.localize.term('delete.consequence')}</p>
            </div>
            ${this.#offerEndSessions
              ? html`<div class="end-sessions" part="end-sessions">
                  <label class="choice">
                    <input
                      type="checkbox"
                      name="end-sessions"
                      aria-describedby="end-sessions-hint"
                      .checked=${this.endSessions}
                      @change=${(e: Event) => (this.endSessions = (e.target as HTMLInputElement).checked)}
                    />
                    ${this.localize.term('common.endSessions', this.openSessions ?? 0)}
                  </label>
                  <p id="end-sessions-hint" class="hint">${this.localize.term('common.endSessions.hint')}</p>
                </div>`
              : nothing}
            <label class="confirm" part="confirm">
              <input type="checkbox" .checked=${this.confirmed} @change=${this.#onConfirmChange} />
              ${this.localize.term('delete.confirm')}
            </label>
            ${this.error ? html`<p role="alert" class="alert" part="error">${this.error}</p>` : nothing}
            <div class="dialog-footer" part="footer">
              <button type="button" part="cancel-button" @click=${() => this.#requestClose('button')}>${this.localize.term('common.cancel')}</button>
              <button
                type="button"
                class="danger"
                part="delete-button"
                ?disabled=${!this.confirmed}
                aria-disabled=${this.busy ? 'true' : 'false'}
                @click=${this.#confirm}
              >
                ${this.busy ? this.localize.term('delete.deleting') : this.localize.term('delete.delete')}
              </button>
            </div>
          </div>`
        : nothing}
    </dialog>`;
  }

  #onConfirmChange(event: Event): void {
    this.confirmed = (event.target as HTMLInputElement).checked;
  }
}
