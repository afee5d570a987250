import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import browser from 'webextension-polyfill';
import { controls, tokens, errorMessage, isolate } from '../../components/kit.js';
import { fieldErrorsOf } from '../../components/model/api-key.js';
import { ExtensionError } from '../shared/errors.js';
import { parseHostAddress, type HostAddress } from '../shared/hosts.js';
import { call } from '../shared/messaging.js';
import type { ConnectionReport, HostInput, LoginMethod, SavedHost } from '../shared/protocol.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import { CANCEL, ExtEvent, HOST_SAVED } from '../shared/ui/events.js';
import { pageStyles } from '../shared/ui/styles.js';
import { fitStyles } from '../shared/ui/fit.styles.js';
import { renderReport } from './report.js';

/**
 * Adds or edits a saved host: name, address, how to sign in. Secrets stay in their input until
 * saved (then in the vault) and are never kept in a property. "Test connection" and "Save" ask
 * the browser for access to this one host first, inside the click.
 */
export class NkmHostForm extends ExtElement {
  static override styles = [tokens, controls, pageStyles, fitStyles];

  /** The host to edit; null adds a new one. */
  @property({ attribute: false }) host: SavedHost | null = null;

  @state() private name = '';
  @state() private addressText = '';
  @state() private login: LoginMethod = 'apiKey';
  @state() private username = '';
  @state() private allowInsecure = false;
  @state() private otpNeeded = false;
  @state() private errors: Record<string, string> = {};
  @state() private formError: string | null = null;
  @state() private report: ConnectionReport | null = null;
  @state() private busy: 'test' | 'save' | null = null;
  /** The sign-in test at save found the NAS unreachable: offer "Save anyway". */
  @state() private offline = false;
  /** With an untrusted certificate: the NAS page to open and accept it on. */
  @state() private offlineUrl: string | null = null;

  @query('input[name="secret"]') private secretInput!: HTMLInputElement;
  @query('input[name="otp"]') private otpInput?: HTMLInputElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('host')) {
      const h = this.host;
      this.name = h?.name ?? '';
      this.addressText = h?.address ?? '';
      this.login = h?.login ?? 'apiKey';
      this.username = h?.username ?? '';
      this.allowInsecure = h?.allowInsecure ?? false;
    }
  }

  /** Brings the form into view and focuses its first field (after "Add host" or "Edit"). */
  async focusFirst(): Promise<void> {
    await this.updateComplete;
    this.scrollIntoView({ block: 'start' });
    this.renderRoot.querySelector<HTMLInputElement>('input[name="name"]')?.focus({ preventScroll: true });
  }

  private get address(): HostAddress | null {
    try {
      return parseHostAddress(this.addressText);
    } catch {
      return null;
    }
  }

  private field(name: string, label: string, input: unknown, hint?: string) {
    const error = this.errors[name];
    const hintId = hint ? `${name}-hint` : undefined;
    return html`<label class="field">
        ${label} ${input}
      </label>
      ${hint ? html`<p class="hint" id=${hintId!}>${hint}</p>` : nothing}
      ${error ? html`<p class="error" id=${`${name}-error`}>${error}</p>` : nothing}`;
  }

  private describedBy(name: string, hint = false): string | typeof nothing {
    const ids = [hint ? `${name}-hint` : '', this.errors[name] ? `${name}-error` : ''].filter(Boolean);
    return ids.length ? ids.join(' ') : nothing;
  }

  override render() {
    const address = this.address;
    const plainRemote = address !== null && !address.secure && !address.loopback;
    const editing = this.host !== null;
    return html`<form class="card stack" @submit=${this.save} novalidate aria-labelledby="host-form-title">
      <h2 id="host-form-title">${editing ? this.t.term('ext.hostForm.editTitle', isolate(this.host!.name)) : this.t.term('ext.hostForm.addTitle')}</h2>
      ${this.field(
        'name',
        this.t.term('ext.hostForm.name'),
        html`<input name="name" .value=${this.name} @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} required maxlength="100" autocomplete="off" aria-invalid=${this.errors['name'] ? 'true' : 'false'} aria-describedby=${this.describedBy('name')} />`,
      )}
      ${this.field(
        'address',
        this.t.term('ext.hostForm.address'),
        html`<input
          name="address"
          .value=${this.addressText}
          @input=${(e: Event) => (this.addressText = (e.target as HTMLInputElement).value)}
          required
          placeholder="https://nas.local"
          autocomplete="off"
          spellcheck="false"
          aria-invalid=${this.errors['address'] ? 'true' : 'false'}
          aria-describedby=${this.describedBy('address', true)}
        />`,
        this.t.term('ext.hostForm.addressHint'),
      )}
      ${address && !address.secure && address.loopback ? html`<p class="hint">${this.t.term('ext.hostForm.loopbackNote')}</p>` : nothing}
      ${plainRemote
        ? html`<div class="warning stack" role="note">
            <p>${this.t.term('ext.hostForm.plainWarning')}</p>
            <label class="check">
              <input type="checkbox" name="allowInsecure" .checked=${this.allowInsecure} @change=${(e: Event) => (this.allowInsecure = (e.target as HTMLInputElement).checked)} aria-invalid=${this.errors['allowInsecure'] ? 'true' : 'false'} aria-describedby=${this.describedBy('allowInsecure')} />
              ${this.t.term('ext.hostForm.allowInsecure')}
            </label>
            ${this.errors['allowInsecure'] ? html`<p class="error" id="allowInsecure-error">${this.errors['allowInsecure']}</p>` : nothing}
          </div>`
        : nothing}
      <fieldset>
        <legend>${this.t.term('ext.hostForm.signIn')}</legend>
        <label class="check">
          <input type="radio" name="login" value="apiKey" .checked=${this.login === 'apiKey'} @change=${() => (this.login = 'apiKey')} />
          ${this.t.term('ext.hostForm.loginKey')}
        </label>
        <label class="check">
          <input type="radio" name="login" value="password" .checked=${this.login === 'password'} @change=${() => (this.login = 'password')} />
          ${this.t.term('ext.hostForm.loginPassword')}
        </label>
        ${this.errors['login'] ? html`<p class="error" role="alert">${this.errors['login']}</p>` : nothing}
        ${plainRemote && this.login === 'apiKey' ? html`<p class="warning">${this.t.term('ext.host.error.plainKey')}</p>` : nothing}
        ${this.field(
          'username',
          this.login === 'password' ? this.t.term('ext.hostForm.username') : this.t.term('ext.hostForm.keyOwner'),
          html`<input name="username" .value=${this.username} @input=${(e: Event) => (this.username = (e.target as HTMLInputElement).value)} autocomplete="username" spellcheck="false" ?required=${this.login === 'password'} aria-invalid=${this.errors['username'] ? 'true' : 'false'} aria-describedby=${this.describedBy('username', this.login === 'apiKey')} />`,
          this.login === 'apiKey' ? this.t.term('ext.hostForm.keyOwnerHint') : undefined,
        )}
        ${this.field(
          'secret',
          this.login === 'apiKey' ? this.t.term('ext.hostForm.apiKey') : this.t.term('ext.hostForm.password'),
          html`<input
            name="secret"
            type="password"
            autocomplete=${this.login === 'apiKey' ? 'off' : 'current-password'}
            spellcheck="false"
            ?required=${!editing}
            aria-invalid=${this.errors['secret'] ? 'true' : 'false'}
            aria-describedby=${this.describedBy('secret', editing)}
          />`,
          editing ? (this.host!.hasCredential ? this.t.term('ext.hostForm.keepSecret') : this.t.term('ext.hostForm.noSecret')) : undefined,
        )}
        ${this.otpNeeded
          ? this.field(
              'otp',
              this.t.term('ext.hostForm.otp'),
              html`<input name="otp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6,8}" aria-invalid=${this.errors['otp'] ? 'true' : 'false'} aria-describedby=${this.describedBy('otp')} />`,
            )
          : nothing}
      </fieldset>
      ${this.formError ? html`<p class="alert" role="alert">${this.formError}</p>` : nothing}
      ${this.report ? renderReport(this.report, this.t) : nothing}
      ${this.offline
        ? html`<div class="warning stack" data-save-offline>
            <p>${this.t.term('ext.hostForm.offlineNotice')}</p>
            <div class="row">
              <button type="button" name="save-anyway" ?disabled=${this.busy !== null} @click=${() => void this.submit(true)}>${this.t.term('ext.hostForm.saveAnyway')}</button>
              ${this.offlineUrl
                ? html`<button type="button" class="link" name="open-nas" @click=${() => void browser.tabs.create({ url: this.offlineUrl! })}>${this.t.term('ext.report.openNas', this.offlineUrl)}</button>`
                : nothing}
            </div>
          </div>`
        : nothing}
      <div class="row">
        <button type="button" name="test-connection" @click=${this.test} ?disabled=${this.busy !== null}>${this.busy === 'test' ? this.t.term('ext.hosts.testing') : this.t.term('ext.hosts.test')}</button>
        <span class="spacer"></span>
        <button type="button" name="cancel" @click=${() => this.dispatchEvent(new ExtEvent(CANCEL, undefined))}>${this.t.term('ext.common.cancel')}</button>
        <button type="submit" class="primary" ?disabled=${this.busy !== null}>${this.t.term('ext.common.save')}</button>
      </div>
    </form>`;
  }

  private input(): HostInput {
    const input: HostInput = {
      name: this.name,
      address: this.addressText,
      login: this.login,
      username: this.username || null,
      allowInsecure: this.allowInsecure,
    };
    if (this.host) input.id = this.host.id;
    const secret = this.secretInput?.value;
    if (secret) input.secret = secret;
    const otp = this.otpInput?.value;
    if (otp) input.otp = otp;
    return input;
  }

  /** Asks for access to this host inside the click; resolves false if the address is unusable or access is refused. */
  private requestAccess(): Promise<boolean> {
    const address = this.address;
    if (!address) return Promise.resolve(false);
    return browser.permissions.request({ origins: [address.permissionPattern] }).catch(() => false);
  }

  private showError(error: unknown): void {
    const fields = fieldErrorsOf(error);
    const errors: Record<string, string> = {};
    for (const f of fields) if (f.field) errors[f.field === 'key' ? 'secret' : f.field] = f.message;
    this.errors = errors;
    if (error instanceof ExtensionError && error.code === 'otp-required') this.otpNeeded = true;
    this.formError = fields.length && Object.keys(errors).length ? null : errorMessage(error, this.t.term('ext.error.internal'));
    const first = Object.keys(errors)[0];
    if (first) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[name="${first}"]`)?.focus());
  }

  private async test(): Promise<void> {
    const access = this.requestAccess();
    this.busy = 'test';
    this.errors = {};
    this.formError = null;
    this.report = null;
    try {
      await access; // the background reports "no access" itself if it was refused
      const input = this.input();
      const report = this.host && !input.secret ? await call('hosts.test', { id: this.host.id }) : await call('hosts.test', { input });
      this.report = report;
      if (report.outcome === 'otp-required') this.otpNeeded = true;
    } catch (error) {
      this.showError(error);
    } finally {
      if (this.otpInput) this.otpInput.value = '';
      this.busy = null;
    }
  }

  private save(event: Event): Promise<void> {
    event.preventDefault();
    return this.submit(false);
  }

  /**
   * Saves the host; the background tests the sign-in first. A NAS that cannot be reached now is
   * not saved silently: the form says so and offers "Save anyway" (saved untested).
   */
  private async submit(saveAnyway: boolean): Promise<void> {
    const access = this.requestAccess();
    this.busy = 'save';
    this.errors = {};
    this.formError = null;
    this.offline = false;
    this.offlineUrl = null;
    this.report = null;
    try {
      // Saving does not wait for the user to answer the permission prompt: the host list shows
      // "no access" until it is granted (and re-checks when it is).
      void access;
      const input = this.input();
      if (saveAnyway) input.saveAnyway = true;
      const { host: saved, report } = await call('hosts.save', input);
      if (this.secretInput) this.secretInput.value = '';
      const granted = await browser.permissions.contains({ origins: [parseHostAddress(saved.address).permissionPattern] }).catch(() => false);
      this.dispatchEvent(new ExtEvent(HOST_SAVED, { host: saved, accessGranted: granted, report, savedAnyway: saveAnyway }));
    } catch (error) {
      if (!saveAnyway && error instanceof ExtensionError && error.code === 'unreachable') {
        this.offline = true;
        this.offlineUrl = error.openUrl ?? null;
        this.formError = error.message;
        this.busy = null; // the button must be enabled to take focus
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('button[name="save-anyway"]')?.focus();
      } else this.showError(error);
    } finally {
      this.busy = null;
    }
  }
}
