import { html, nothing } from 'lit';
import type { LocalizeController } from '../../components/localize/localize.js';
import type { ExtTerms } from '../shared/i18n/index.js';
import type { ConnectionOutcome, ConnectionReport } from '../shared/protocol.js';
import browser from 'webextension-polyfill';

const TITLES: Record<ConnectionOutcome, keyof ExtTerms> = {
  ok: 'ext.report.ok',
  unreachable: 'ext.report.unreachable',
  certificate: 'ext.report.certificate',
  'auth-failed': 'ext.report.authFailed',
  'otp-required': 'ext.report.otpRequired',
  'rate-limited': 'ext.report.rateLimited',
  'key-revoked': 'ext.report.keyRevoked',
  'key-expired': 'ext.report.keyExpired',
  'insecure-refused': 'ext.report.insecureRefused',
  'permission-missing': 'ext.report.permissionMissing',
  locked: 'ext.report.locked',
  error: 'ext.report.error',
};

/** Renders what "Test connection" found, with "Open the NAS page" when a certificate must be accepted. */
export function renderReport(report: ConnectionReport, t: LocalizeController<ExtTerms>) {
  const ok = report.outcome === 'ok';
  return html`<div class=${ok ? 'status ok' : 'alert'} role=${ok ? 'status' : 'alert'} data-outcome=${report.outcome}>
    <p><strong>${t.term(TITLES[report.outcome] as 'ext.report.ok')}</strong></p>
    <p>${report.message}</p>
    ${report.openUrl
      ? html`<p>
          <button type="button" class="link" @click=${() => void browser.tabs.create({ url: report.openUrl! })}>${t.term('ext.report.openNas', report.openUrl)}</button>
        </p>`
      : nothing}
  </div>`;
}
