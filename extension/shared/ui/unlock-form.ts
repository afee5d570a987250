import { html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { controls, tokens, errorMessage } from '../../../components/kit.js';
import { call } from '../messaging.js';
import { ExtElement } from './ext-element.js';
import { ExtEvent, UNLOCKED } from './events.js';
import { pageStyles } from './styles.js';

/**
 * Asks for the vault passphrase and unlocks. The passphrase stays in the input only and is
 * cleared after every attempt.
 */
export class NkmUnlockForm extends ExtElement {
  static override styles = [tokens, controls, pageStyles];

  @state() private error: string | null = null;
  @state() private busy = false;
  @query('input') private input!: HTMLInputElement;

  /** Puts the cursor in the passphrase field (`autofocus` works only once per document). */
  override focus(): void {
    void this.updateComplete.then(() => this.input.focus());
  }

  override render() {
    return html`<form class="stack" @submit=${this.submit} novalidate>
      <h2 id="unlock-title">${this.t.term('ext.unlock.title')}</h2>
      <p class="hint">${this.t.term('ext.unlock.hint')}</p>
      <label class="field">
        ${this.t.term('ext.unlock.passphrase')}
        <input
          type="password"
          name="passphrase"
          autocomplete="current-password"
          required
          autofocus
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? 'unlock-error' : nothing}
        />
      </label>
      ${this.error ? html`<p id="unlock-error" class="alert" role="alert">${this.error}</p>` : nothing}
      <div class="row">
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? this.t.term('ext.unlock.busy') : this.t.term('ext.unlock.submit')}</button>
      </div>
    </form>`;
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const passphrase = this.input.value;
    if (!passphrase) {
      this.error = this.t.term('ext.unlock.empty');
      this.input.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const vault = await call('vault.unlock', { passphrase });
      this.dispatchEvent(new ExtEvent(UNLOCKED, vault));
    } catch (error) {
      this.error = errorMessage(error, this.t.term('ext.error.internal'));
      this.input.focus();
    } finally {
      this.input.value = '';
      this.busy = false;
    }
  }
}
