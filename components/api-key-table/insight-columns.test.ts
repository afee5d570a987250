/**
 * <api-key-table>'s issue 12 columns: Access (blast radius), Last used and Sessions, per
 * capability and report status, their values, and the layout at narrow widths in English and German.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import type { ApiKeyTable } from '../define/api-key-table.js';
import '../define/api-key-table.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import type { ApiKeyRow, HostCapabilities, KeyAccess, KeySessionsReport, KeyUsageReport } from '../model/api-key.js';
import { summarizeAllowlist, summarizeRoles } from '../model/key-access.js';
import { LEGACY, MODERN } from '../testing/sample-keys.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12);

const ACCESS: Array<[KeyAccess, string]> = [
  [summarizeRoles(['FULL_ADMIN']), 'Full admin'],
  [summarizeRoles(['READONLY_ADMIN']), 'Read-only'],
  [summarizeRoles(['REPLICATION_ADMIN']), 'Replication'],
  [summarizeRoles(['SNAPSHOT_WRITE', 'SNAPSHOT_DELETE', 'SNAPSHOT_TASK_WRITE']), 'Snapshots'],
  [summarizeRoles(['SHARING_ADMIN']), 'Sharing'],
  [summarizeRoles(['POOL_SCRUB_WRITE', 'DISK_WRITE', 'ALERT_LIST_READ']), 'Custom (3 roles)'],
  [summarizeRoles(['API_KEY_WRITE']), 'Custom (1 role)'],
  [summarizeRoles([]), 'No access'],
  [summarizeAllowlist([{ method: '*', resource: '*' }]), 'Allowlist: full'],
  [summarizeAllowlist([{ method: 'CALL', resource: 'system.info' }]), 'Allowlist: restricted'],
];

function key(id: number, overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return {
    id,
    name: `key-${String(id).padStart(4, '0')}`,
    username: 'truenas_admin',
    userIdentifier: 1,
    local: true,
    createdAt: NOW - id * DAY,
    expiresAt: null,
    revoked: false,
    revokedReason: null,
    allowlist: null,
    access: ACCESS[(id - 1) % ACCESS.length]![0],
    ...overrides,
  };
}

const keys = (count: number) => Array.from({ length: count }, (_, i) => key(i + 1));

const usage = (): Extract<KeyUsageReport, { status: 'ok' }> => ({
  status: 'ok',
  lastUse: new Map([
    [1, { at: NOW - 3 * 3_600_000, address: '192.168.1.50' }],
    [2, { at: NOW - 2 * DAY, address: null }],
  ]),
  since: NOW - 7 * DAY,
  retentionDays: 7,
  retentionKnown: true,
  complete: true,
});

const sessions = (): KeySessionsReport => ({
  status: 'ok',
  byKey: new Map([[1, [1, 2, 3].map((n) => ({ id: `s${n}`, keyId: 1, origin: `10.0.0.${n}:5000`, loginAt: NOW - n * 60_000, current: false, secureTransport: true }))]]),
});

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
async function settle(el: ApiKeyTable): Promise<void> {
  await el.updateComplete;
  await frame();
  await frame();
  await el.updateComplete;
}
const $$ = <T extends Element = HTMLElement>(el: ApiKeyTable, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const headers = (el: ApiKeyTable) => $$(el, '[role="columnheader"]').map((h) => h.dataset['col']!);
const cell = (el: ApiKeyTable, id: number, col: string) =>
  $$(el, '.body [role="row"]').find((r) => text(r.querySelector('[data-col="name"]')) === `key-${String(id).padStart(4, '0')}`)?.querySelector(`[data-col="${col}"]`);

async function make(options: { lang?: string; caps?: HostCapabilities; usage?: KeyUsageReport | null; sessions?: KeySessionsReport | null; rows?: ApiKeyRow[] } = {}) {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${options.lang ?? 'en'}>
    <api-key-table
      .keys=${options.rows ?? keys(ACCESS.length)}
      .now=${NOW}
      .capabilities=${options.caps ?? MODERN}
      .usage=${options.usage === undefined ? usage() : options.usage}
      .sessions=${options.sessions === undefined ? sessions() : options.sessions}
      .actions=${['details', 'edit', 'reset', 'delete']}
    >
      <button slot="toolbar" type="button">${options.lang === 'de' ? 'Hinzufügen' : 'Add'}</button>
    </api-key-table>
  </div>`);
  const el = wrapper.querySelector('api-key-table')!;
  await settle(el);
  return el;
}

function inside(inner: DOMRect, outer: DOMRect): boolean {
  return inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.width > 0;
}

describe('api-key-table issue 12 columns', () => {
  before(() => registerTranslation(de));
  beforeEach(() => setViewport({ width: 1600, height: 900 }));
  after(() => setViewport({ width: 800, height: 600 }));

  it('shows Access, Last used and Sessions with their values; key-managing access is flagged', async () => {
    const el = await make();
    expect(headers(el)).to.include.members(['access', 'lastUsed', 'sessions']);
    ACCESS.forEach(([, label], i) => expect(text(cell(el, i + 1, 'access')), label).to.contain(label));
    const admin = cell(el, 1, 'access')!.querySelector('[part~="access"]')!;
    expect(admin.getAttribute('part')).to.contain('access-wide');
    expect(admin.querySelector('[part~="access-flag"]')).to.exist;
    expect(admin.getAttribute('title')).to.contain('FULL_ADMIN').and.contain("manage every user's API keys");
    expect(cell(el, 2, 'access')!.querySelector('[part~="access-flag"]')).to.equal(null);
    expect(cell(el, 6, 'access')!.querySelector('[part~="access"]')!.getAttribute('title')).to.contain('DISK_WRITE');
    expect(text(cell(el, 1, 'lastUsed'))).to.contain('3 hours ago').and.contain('192.168.1.50');
    expect(text(cell(el, 2, 'lastUsed'))).to.contain('2 days ago');
    expect(text(cell(el, 3, 'lastUsed'))).to.contain('Not seen in 7 days');
    expect(text(cell(el, 1, 'sessions')!.querySelector('[part~="sessions-count"]'))).to.equal('3');
    expect(text(cell(el, 1, 'sessions'))).to.contain('3 open sessions');
    expect(text(cell(el, 2, 'sessions')!.querySelector('[part~="sessions-count"]'))).to.equal('0');
    await expect(el).to.be.accessible();
  });

  it('forced colors and dark: the key-managing flag keeps its shape (a border, not colour alone); axe-clean', async () => {
    for (const media of [{ forcedColors: 'active' as const }, { colorScheme: 'dark' as const }]) {
      await emulateMedia(media);
      try {
        const el = await make();
        const flag = cell(el, 1, 'access')!.querySelector<HTMLElement>('[part~="access-flag"]')!;
        const style = getComputedStyle(flag);
        expect(style.borderTopStyle).to.equal('solid');
        expect(parseFloat(style.borderTopWidth)).to.be.greaterThan(0);
        await expect(el).to.be.accessible();
      } finally {
        await emulateMedia({ forcedColors: 'none', colorScheme: 'light' });
      }
    }
  });

  it('a cut audit answer counts the days it reaches back', async () => {
    const el = await make({ usage: { ...usage(), complete: false, since: NOW - 2 * DAY } });
    expect(text(cell(el, 3, 'lastUsed'))).to.contain('Not seen in 2 days');
  });

  it('hides the columns where the host lacks them, or when no report is given; Access only when keys carry it', async () => {
    const old = await make({ caps: { ...LEGACY, version: '22.02.4', keyUsage: false, keySessions: false }, usage: { status: 'unsupported', reason: 'x' }, sessions: { status: 'unsupported', reason: 'x' } });
    expect(headers(old)).to.not.include.members(['lastUsed']);
    expect(headers(old)).to.not.include('sessions');
    const none = await make({ usage: null, sessions: null, rows: keys(3).map((k) => ({ ...k, access: undefined })) });
    expect(headers(none)).to.not.include.members(['access']);
    expect(headers(none)).to.not.include('lastUsed');
    expect(headers(none)).to.not.include('sessions');
    expect($$(none, '[part~="insight-note"]')).to.have.length(0);
  });

  it('not permitted: a note in place of each column', async () => {
    const el = await make({ usage: { status: 'not-permitted', reason: 'x' }, sessions: { status: 'not-permitted', reason: 'y' } });
    expect(headers(el)).to.not.include('lastUsed');
    const notes = $$(el, '[part~="insight-note"]').map(text);
    expect(notes).to.have.length(2);
    expect(notes[0]).to.contain('may not read the audit log');
    expect(notes[1]).to.contain('may not list sessions');
    await expect(el).to.be.accessible();
  });

  it('the organizer lists the new columns', async () => {
    const el = await make();
    const organizer = el.shadowRoot!.querySelector('nas-column-organizer')!;
    await organizer.updateComplete;
    const labels = [...organizer.shadowRoot!.querySelectorAll('[part~="organizer-item"]')].map(text).join(' | ');
    expect(labels).to.contain('Access').and.contain('Last used').and.contain('Sessions');
  });

  for (const lang of ['en', 'de']) {
    for (const width of [320, 375, 800, 1600]) {
      it(`${lang} at ${width} px: no horizontal overflow, Add and row actions visible, headers whole`, async () => {
        await setViewport({ width, height: 900 });
        const el = await make({ lang, rows: keys(6) });
        expect(document.documentElement.scrollWidth, 'page').to.be.at.most(document.documentElement.clientWidth);
        expect(el.scrollWidth, 'host').to.be.at.most(el.clientWidth);
        for (const node of [...el.shadowRoot!.querySelectorAll<HTMLElement>('.body, .header, .grid')]) {
          expect(node.scrollWidth, node.className).to.be.at.most(node.clientWidth);
        }
        const host = el.getBoundingClientRect();
        expect(inside(el.querySelector('button[slot="toolbar"]')!.getBoundingClientRect(), host), 'Add').to.equal(true);
        const grid = el.shadowRoot!.querySelector('[role="grid"]')!.getBoundingClientRect();
        for (const row of $$(el, '.body [role="row"]')) {
          const buttons = [...row.querySelectorAll<HTMLElement>('button[data-action], button[name="row-menu"]')];
          expect(buttons.length).to.be.greaterThan(0);
          for (const b of buttons) expect(inside(b.getBoundingClientRect(), grid), 'row action').to.equal(true);
        }
        for (const header of $$(el, '[role="columnheader"]')) {
          if (header.dataset['col'] === 'actions') continue;
          const label = header.querySelector('.sort-label, .label')!;
          expect(label.getBoundingClientRect().right, `${header.dataset['col']} header`).to.be.at.most(header.getBoundingClientRect().right + 0.5);
          expect(header.scrollWidth, `${header.dataset['col']} header`).to.be.at.most(header.clientWidth);
        }
        if (width >= 1600) {
          expect(headers(el)).to.include.members(['access', 'lastUsed', 'sessions']);
          if (lang === 'de') expect($$(el, '[role="columnheader"]').map(text)).to.include.members(['Zugriff', 'Zuletzt verwendet', 'Sitzungen']);
        }
        await expect(el).to.be.accessible();
      });
    }
  }
});
