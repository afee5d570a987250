import { html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { controls, dialogStyles, tokens, isolate } from '../../../components/kit.js';
import type { SavedHost } from '../protocol.js';
import { ExtElement } from './ext-element.js';
import { pageStyles } from './styles.js';

/**
 * Asks for a one-time code when a NAS wants one (password sign-in with two-factor
 * authentication). `ask()` resolves with the code, or null when the user cancels; a second
 * `ask()` cancels the first. The code lives in the input only.
 */
export class NkmOtpDialog extends ExtElement {
  static override styles = [tokens, controls, dialogStyles, pageStyles];

  @state() private host: SavedHost | null = null;
  @state() private error: string | null = null;
  @query('dialog') private dialog?: HTMLDialogElement;
  @query('input') private input?: HTMLInputElement;
  private resolve: ((otp: string | null) => void) | null = null;

  async ask(host: SavedHost): Promise<string | null> {
    this.resolve?.(null);
    this.host = host;
    this.error = null;
    await this.updateComplete;
    this.dialog?.showModal();
    this.input?.focus();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  private finish(otp: string | null): void {
    if (otp !== null && !/^\d{6,8}$/.test(otp.trim())) {
      this.error = this.t.term('ext.host.error.otpFormat');
      this.input?.focus();
      return;
    }
    this.dialog?.close();
    this.host = null;
    const resolve = this.resolve;
    this.resolve = null;
    resolve?.(otp?.trim() ?? null);
  }

  override render() {
    const host = this.host;
    return html`<dialog class="otp" aria-labelledby="otp-title" @cancel=${(e: Event) => { e.preventDefault(); this.finish(null); }}>
      ${host
        ? html`<form class="dialog-body" @submit=${(e: Event) => { e.preventDefault(); this.finish(this.input?.value ?? ''); }}>
            <h2 id="otp-title" class="dialog-title">${this.t.term('ext.otp.title', isolate(host.name))}</h2>
            <p>${this.t.term('ext.host.otpRequired', isolate(host.name))}</p>
            <label class="field">
              ${this.t.term('ext.hostForm.otp')}
              <input name="otp" inputmode="numeric" autocomplete="one-time-code" aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? 'otp-error' : nothing} />
            </label>
            ${this.error ? html`<p class="error" id="otp-error" role="alert">${this.error}</p>` : nothing}
            <div class="dialog-footer">
              <button type="button" @click=${() => this.finish(null)}>${this.t.term('ext.common.cancel')}</button>
              <button type="submit" class="primary">${this.t.term('ext.otp.submit')}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}
