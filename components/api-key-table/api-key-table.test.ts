import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { ApiKeyTable } from '../define/api-key-table.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import type { ApiKeyRow, KeyPage, KeyPageRequest } from '../model/api-key.js';
import { LEGACY, MODERN } from '../testing/sample-keys.js';
import type { NasKeyActionEvent } from '../events/key-action.js';
import { DEFAULT_COLUMNS, rowKey, type ColumnSetting } from './api-key-table.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12);

function key(id: number, overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return {
    id,
    name: `key-${String(id).padStart(6, '0')}`,
    username: 'admin',
    userIdentifier: 1,
    local: true,
    createdAt: NOW - id * DAY,
    expiresAt: null,
    revoked: false,
    revokedReason: null,
    allowlist: null,
    ...overrides,
  };
}

function many(count: number): ApiKeyRow[] {
  return Array.from({ length: count }, (_, i) => key(i + 1));
}


const INSECURE = 'Attempt to use over an insecure transport';

/** Five keys covering every status and the null cases. */
function sample(): ApiKeyRow[] {
  return [
    key(1, { name: 'backup-script', username: 'truenas_admin', local: true, createdAt: NOW - 30 * DAY }),
    key(2, { name: 'Home Assistant', username: 'ha', local: false, createdAt: NOW - 10 * DAY, revoked: true, revokedReason: INSECURE }),
    key(3, { name: 'ci', username: 'builder', local: null, createdAt: null, expiresAt: NOW - 2 * DAY }),
    key(4, { name: 'grafana', username: null, local: true, createdAt: NOW - 5 * DAY, expiresAt: NOW + 3 * DAY }),
    key(5, { name: 'zabbix', username: 'monitor', local: true, createdAt: NOW - 1 * DAY, expiresAt: NOW + 90 * DAY, revokedReason: 'old reason, key was reset' }),
  ];
}

// ---- helpers ----------------------------------------------------------------------------------

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function settle(el: ApiKeyTable): Promise<void> {
  await el.updateComplete;
  await frame();
  await frame();
  await el.updateComplete;
}

function $<T extends Element = HTMLElement>(el: ApiKeyTable, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

function $$<T extends Element = HTMLElement>(el: ApiKeyTable, selector: string): T[] {
  return [...el.shadowRoot!.querySelectorAll<T>(selector)];
}

/** The column organizer (an element of its own inside the table). */
function organizer(el: ApiKeyTable): ShadowRoot {
  return el.shadowRoot!.querySelector('nas-column-organizer')!.shadowRoot!;
}

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Body rows in row-index order. */
function bodyRows(el: ApiKeyTable): HTMLElement[] {
  return $$(el, '.body [role="row"]').sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')));
}

function cell(el: ApiKeyTable, row: number, column: string): HTMLElement {
  return $(el, `.body [data-row="${row}"] > [data-col="${column}"]`);
}

/** Visible text of a cell, without the screen-reader-only parts. */
function visible(node: HTMLElement): string {
  const clone = node.cloneNode(true) as HTMLElement;
  clone.querySelectorAll('.sr-only').forEach((n) => n.remove());
  return text(clone);
}

function names(el: ApiKeyTable): string[] {
  return bodyRows(el).map((r) => visible(r.querySelector('[data-col="name"]')!));
}

function headers(el: ApiKeyTable): string[] {
  return $$(el, '[role="columnheader"]').map((h) => h.dataset['col']!);
}

/** The focused element, through shadow roots. */
function active(): Element | null {
  let node: Element | null = document.activeElement;
  while (node?.shadowRoot?.activeElement) node = node.shadowRoot.activeElement;
  return node;
}

function focusedCell(): { row: number; col: string } | null {
  const el = active();
  const cellEl = el?.closest<HTMLElement>('[data-col]');
  const rowEl = el?.closest<HTMLElement>('[data-row]');
  if (!cellEl || !rowEl) return null;
  return { row: Number(rowEl.dataset['row']), col: cellEl.dataset['col']! };
}

/** Presses keys in turn; `Control+End` style combinations hold the modifiers down. */
async function press(...keys: string[]): Promise<void> {
  for (const k of keys) {
    const parts = k.split('+');
    const main = parts.pop()!;
    for (const modifier of parts) await sendKeys({ down: modifier });
    await sendKeys({ press: main });
    for (const modifier of parts.reverse()) await sendKeys({ up: modifier });
  }
}

async function clickHeader(el: ApiKeyTable, column: string): Promise<void> {
  $(el, `[role="columnheader"][data-col="${column}"] button`).click();
  await settle(el);
}

/** The table plus a focusable element before it, for keyboard tests. */
async function withBefore(template: ReturnType<typeof html>): Promise<{ el: ApiKeyTable; before: HTMLButtonElement; after: HTMLButtonElement }> {
  const wrapper = await fixture<HTMLDivElement>(html`<div><button id="before">before</button>${template}<button id="after">after</button></div>`);
  const el = wrapper.querySelector('api-key-table')!;
  await settle(el);
  return { el, before: wrapper.querySelector<HTMLButtonElement>('#before')!, after: wrapper.querySelector<HTMLButtonElement>('#after')! };
}

const PAYLOADS = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=1</script>', '"><svg onload="window.__pwned=1">'];

// ---- tests ------------------------------------------------------------------------------------

describe('api-key-table', () => {
  before(() => registerTranslation(de));
  // Wide enough for every column at its minimum: which columns give way at which width is
  // api-key-table-layout.test.ts's subject.
  beforeEach(() => setViewport({ width: 1024, height: 700 }));
  afterEach(async () => {
    document.documentElement.lang = '';
    await emulateMedia({ colorScheme: 'light' });
  });

  it('is registered by the define entrypoint', () => {
    expect(customElements.get('api-key-table')).to.equal(ApiKeyTable);
    expect(document.createElement('api-key-table')).to.be.instanceOf(ApiKeyTable);
  });

  it('warns specifically about bad inputs and keeps working with the defaults', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      const el = await fixture<ApiKeyTable>(
        html`<api-key-table
          status-filter="bogus"
          page-size="0"
          expiring-within-days="soon"
          virtualize-threshold="-5"
          .keys=${sample()}
          .now=${NOW}
          .sort=${{ field: 'password', direction: 'up' }}
          .actions=${['edit', 'explode'] as unknown}
        ></api-key-table>`,
      );
      await settle(el);
      expect(names(el)).to.have.length(5);
      expect([el.statusFilter, el.sort, el.pageSize, el.expiringWithinDays, el.virtualizeThreshold]).to.deep.equal([null, null, 100, 14, 300]);
      expect(el.actions).to.deep.equal(['edit', 'reset', 'delete']);
      expect(warnings).to.include('<api-key-table>: ignoring statusFilter = "bogus"; expected null or one of active, expiring, expired, revoked.');
      expect(warnings).to.include('<api-key-table>: ignoring pageSize = 0; expected a whole number from 1 to 10000.');
      expect(warnings.some((w) => w.startsWith('<api-key-table>: ignoring sort = {"field":"password","direction":"up"}'))).to.equal(true);
      expect(warnings.some((w) => w.startsWith('<api-key-table>: ignoring actions = ["edit","explode"]'))).to.equal(true);
      expect(warnings.some((w) => w.startsWith('<api-key-table>: ignoring expiringWithinDays = null'))).to.equal(true);
      expect(warnings.some((w) => w.startsWith('<api-key-table>: ignoring virtualizeThreshold = -5'))).to.equal(true);

      el.keys = null as unknown as ApiKeyRow[];
      await settle(el);
      expect(warnings).to.include('<api-key-table>: ignoring keys = null; expected an array of keys.');
      expect(text($(el, '[part="message"]'))).to.equal('No API keys yet.');

      // A key-with-secret passed by mistake: the warning names the type, never the content.
      const secret = '7-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab';
      el.keys = { key: sample()[0], secret } as unknown as ApiKeyRow[];
      await settle(el);
      expect(warnings).to.include('<api-key-table>: ignoring keys = an object; expected an array of keys.');
      expect(warnings.join('\n')).to.not.include(secret);
      el.sort = { field: null, direction: 'asc' } as unknown as null;
      await settle(el);
      expect(el.sort).to.equal(null);
    } finally {
      console.warn = original;
    }
  });

  describe('columns', () => {
    it('renders name, username, local, status, created, expires and actions', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(headers(el)).to.deep.equal(['name', 'username', 'local', 'status', 'createdAt', 'expiresAt', 'actions']);
      expect($$(el, '[role="columnheader"]').map((h) => text(h))).to.deep.equal(['Name', 'Username', 'Local', 'Status', 'Created', 'Expires', 'Actions']);
      expect(names(el)).to.deep.equal(['backup-script', 'Home Assistant', 'ci', 'grafana', 'zabbix']);

      expect(visible(cell(el, 0, 'username'))).to.equal('truenas_admin');
      expect(visible(cell(el, 3, 'username'))).to.equal('—');
      expect(text(cell(el, 3, 'username').querySelector('.sr-only'))).to.equal('Not set');

      expect(visible(cell(el, 0, 'local'))).to.equal('Yes');
      expect(visible(cell(el, 1, 'local'))).to.equal('No');
      expect(visible(cell(el, 2, 'local'))).to.equal('—');

      const created = cell(el, 0, 'createdAt').querySelector('time')!;
      expect(created.getAttribute('datetime')).to.equal(new Date(NOW - 30 * DAY).toISOString());
      expect(text(created)).to.equal(new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(NOW - 30 * DAY));
      expect(visible(cell(el, 2, 'createdAt'))).to.equal('—');

      // Expires: relative text, the absolute date on hover (title) and for assistive tech (sr-only).
      expect(visible(cell(el, 0, 'expiresAt'))).to.equal('Never');
      const expires = cell(el, 3, 'expiresAt').querySelector('time')!;
      const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' }).format(NOW + 3 * DAY);
      expect(visible(expires)).to.equal('in 3 days');
      expect(expires.getAttribute('title')).to.equal(absolute);
      expect(text(expires.querySelector('.sr-only'))).to.equal(`in 3 days (${absolute})`);
      expect(expires.querySelector('[aria-hidden="true"]')).to.exist;
      expect(visible(cell(el, 2, 'expiresAt'))).to.equal('2 days ago');

      expect(cell(el, 0, 'name').getAttribute('role')).to.equal('rowheader');
      expect(cell(el, 0, 'username').getAttribute('role')).to.equal('gridcell');
    });

    it('derives statuses, shows a revoked key\'s reason, and hides a stale reason after reset', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      await settle(el);
      const statuses = bodyRows(el).map((r) => r.querySelector('[part~="status"]')!.getAttribute('part'));
      expect(statuses).to.deep.equal(['status status-active', 'status status-revoked', 'status status-expired', 'status status-expiring', 'status status-active']);
      expect(bodyRows(el).map((r) => text(r.querySelector('[part="status-badge"]')))).to.deep.equal(['Active', 'Revoked', 'Expired', 'Expiring soon', 'Active']);

      const reason = cell(el, 1, 'status').querySelector('[part="status-reason"]')!;
      expect(visible(reason as HTMLElement)).to.equal(INSECURE);
      expect(reason.getAttribute('title')).to.equal(INSECURE);
      expect(text(reason.querySelector('.sr-only'))).to.equal(`Reason: \u2068${INSECURE}\u2069`);
      // Key 5 carries a reason from before a reset: it is active, so no reason is shown.
      expect(cell(el, 4, 'status').querySelector('[part="status-reason"]')).to.equal(null);

      // Revocation wins over expiry.
      el.keys = [key(9, { revoked: true, revokedReason: null, expiresAt: NOW - DAY })];
      await settle(el);
      expect(text(cell(el, 0, 'status'))).to.equal('Revoked');
    });

    it('moves "expiring soon" with expiringWithinDays and the clock', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${[key(1, { expiresAt: NOW + 20 * DAY })]} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(text(cell(el, 0, 'status'))).to.equal('Active');
      el.expiringWithinDays = 30;
      await settle(el);
      expect(text(cell(el, 0, 'status'))).to.equal('Expiring soon');
      el.now = NOW + 21 * DAY;
      await settle(el);
      expect(text(cell(el, 0, 'status'))).to.equal('Expired');
    });

    it('shows the allowlist for legacy hosts and drops owner and expiry columns', async () => {
      const keys = [
        key(1, { username: null, local: null, allowlist: [{ method: '*', resource: '*' }] }),
        key(2, { username: null, local: null, allowlist: [{ method: 'CALL', resource: 'system.info' }, { method: 'SUBSCRIBE', resource: 'alert.list' }] }),
        key(3, { username: null, local: null, allowlist: [] }),
      ];
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${keys} .capabilities=${LEGACY} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(headers(el)).to.deep.equal(['name', 'status', 'createdAt', 'allowlist', 'actions']);
      expect(bodyRows(el).map((r) => visible(r.querySelector('[data-col="allowlist"]')!))).to.deep.equal([
        'Everything',
        'CALL system.info, SUBSCRIBE alert.list',
        'Nothing',
      ]);
      await expect(el).to.be.accessible();

      el.capabilities = MODERN;
      await settle(el);
      expect(headers(el)).to.deep.equal(['name', 'username', 'local', 'status', 'createdAt', 'expiresAt', 'actions']);
    });

    it('adds a Host column in multi-host mode and keeps equal ids of different hosts apart', async () => {
      const keys = [key(1, { hostId: 'nas-a', hostName: 'Basement NAS' }), key(1, { hostId: 'nas-b', hostName: 'Office NAS', name: 'other' })];
      const el = await fixture<ApiKeyTable>(html`<api-key-table multi-host .keys=${keys} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(headers(el)).to.include('host');
      expect(bodyRows(el).map((r) => visible(r.querySelector('[data-col="host"]')!))).to.deep.equal(['Basement NAS', 'Office NAS']);
      expect(rowKey(keys[0]!)).to.not.equal(rowKey(keys[1]!));
      await expect(el).to.be.accessible();
    });
  });

  describe('sorting', () => {
    const cases: Array<[string, string[], string[]]> = [
      ['name', ['backup-script', 'ci', 'grafana', 'Home Assistant', 'zabbix'], ['zabbix', 'Home Assistant', 'grafana', 'ci', 'backup-script']],
      // A missing value sorts after every value, so it comes first when descending.
      ['username', ['ci', 'Home Assistant', 'zabbix', 'backup-script', 'grafana'], ['grafana', 'backup-script', 'zabbix', 'Home Assistant', 'ci']],
      ['local', ['Home Assistant', 'backup-script', 'grafana', 'zabbix', 'ci'], ['ci', 'backup-script', 'grafana', 'zabbix', 'Home Assistant']],
      ['status', ['backup-script', 'zabbix', 'grafana', 'ci', 'Home Assistant'], ['Home Assistant', 'ci', 'grafana', 'backup-script', 'zabbix']],
      ['createdAt', ['backup-script', 'Home Assistant', 'grafana', 'zabbix', 'ci'], ['ci', 'zabbix', 'grafana', 'Home Assistant', 'backup-script']],
      // "Never" is the latest expiry.
      ['expiresAt', ['ci', 'grafana', 'zabbix', 'backup-script', 'Home Assistant'], ['backup-script', 'Home Assistant', 'zabbix', 'grafana', 'ci']],
    ];
    for (const [column, asc, desc] of cases) {
      it(`sorts by ${column} both ways (header click, aria-sort, nas-sort-change)`, async () => {
        const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
        await settle(el);
        setTimeout(() => $(el, `[role="columnheader"][data-col="${column}"] button`).click());
        const event = await oneEvent(el, 'nas-sort-change');
        expect(event.detail.sort).to.deep.equal({ field: column, direction: 'asc' });
        await settle(el);
        expect(names(el)).to.deep.equal(asc);
        expect($(el, `[role="columnheader"][data-col="${column}"]`).getAttribute('aria-sort')).to.equal('ascending');
        await clickHeader(el, column);
        expect(names(el)).to.deep.equal(desc);
        expect($(el, `[role="columnheader"][data-col="${column}"]`).getAttribute('aria-sort')).to.equal('descending');
        expect($$(el, '[aria-sort]')).to.have.length(1);
      });
    }

    it('sorts by allowlist (legacy) and by host (multi-host)', async () => {
      const keys = [
        key(1, { name: 'a', hostName: 'zeta', allowlist: [{ method: 'GET', resource: '*' }] }),
        key(2, { name: 'b', hostName: 'alpha', allowlist: [{ method: '*', resource: '*' }] }),
        key(3, { name: 'c', hostName: 'mid', allowlist: [{ method: 'CALL', resource: 'system.info' }] }),
      ];
      const el = await fixture<ApiKeyTable>(html`<api-key-table multi-host .keys=${keys} .capabilities=${LEGACY} .now=${NOW}></api-key-table>`);
      await settle(el);
      await clickHeader(el, 'allowlist');
      expect(names(el)).to.deep.equal(['c', 'b', 'a']); // CALL system.info, Everything, GET *
      await clickHeader(el, 'host');
      expect(names(el)).to.deep.equal(['b', 'c', 'a']);
      await clickHeader(el, 'host');
      expect(names(el)).to.deep.equal(['a', 'c', 'b']);
    });

    it('takes a sort set by property and announces user sorts', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW} .sort=${{ field: 'createdAt', direction: 'desc' }}></api-key-table>`);
      await settle(el);
      expect(names(el)[0]).to.equal('ci');
      await clickHeader(el, 'name');
      expect(text($(el, '[aria-live="polite"]'))).to.equal('Sorted by Name, ascending.');
    });
  });

  describe('search and filter', () => {
    it('searches name and username case-insensitively and reports the change', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      await settle(el);
      const input = $<HTMLInputElement>(el, 'input[type="search"]');
      input.focus();
      setTimeout(() => sendKeys({ type: 'HOME' }));
      const event = await oneEvent(el, 'nas-filter-change');
      await waitUntil(() => input.value === 'HOME');
      await settle(el);
      expect(event.detail.statusFilter).to.equal(null);
      expect(names(el)).to.deep.equal(['Home Assistant']);
      expect(text($(el, '[part="summary"]'))).to.equal('1 of 5 keys');

      el.search = 'MONITOR'; // username of zabbix
      await settle(el);
      expect(names(el)).to.deep.equal(['zabbix']);
      el.search = 'ci';
      await settle(el);
      expect(names(el)).to.deep.equal(['ci']);
      // The fields are searched separately: the end of a name plus the start of a username never matches.
      el.search = 'scripttruenas';
      await settle(el);
      expect(names(el)).to.deep.equal([]);
    });

    it('filters by status from the keyboard, including "expiring within N days"', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      await settle(el);
      const select = $<HTMLSelectElement>(el, 'select');
      expect([...select.options].map((o) => text(o))).to.deep.equal(['All statuses', 'Active', 'Expiring within 14 days', 'Expired', 'Revoked']);
      select.focus();
      setTimeout(() => press('ArrowDown'));
      const event = await oneEvent(el, 'nas-filter-change');
      expect(event.detail).to.deep.equal({ search: '', statusFilter: 'active' });
      await settle(el);
      expect(names(el)).to.deep.equal(['backup-script', 'zabbix']);
      await press('ArrowDown');
      await settle(el);
      expect(names(el)).to.deep.equal(['grafana']);
      el.expiringWithinDays = 100;
      await settle(el);
      expect(names(el)).to.deep.equal(['grafana', 'zabbix']);
      await press('ArrowDown', 'ArrowDown');
      await waitUntil(() => el.statusFilter === 'revoked');
      await settle(el);
      expect(names(el)).to.deep.equal(['Home Assistant']);
    });
  });

  describe('column organizer', () => {
    it('hides, reorders and restores columns with the keyboard, emitting nas-columns-change', async () => {
      const { el } = await withBefore(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      const button = $<HTMLButtonElement>(el, '[part="columns-button"]');
      button.focus();
      await press('Enter');
      await waitUntil(() => organizer(el).querySelector('dialog')?.open);
      const dialog = organizer(el).querySelector('dialog')!;
      expect(dialog.open).to.equal(true);
      await expect(el).to.be.accessible();

      // The first enabled checkbox (Username) has focus; Space hides the column.
      expect(active()?.closest('li')?.getAttribute('data-column')).to.equal('username');
      setTimeout(() => press('Space'));
      let event = await oneEvent(el, 'nas-columns-change');
      expect(event.detail.columns.find((c: ColumnSetting) => c.id === 'username')).to.deep.equal({ id: 'username', visible: false });
      await settle(el);
      expect(headers(el)).to.not.include('username');

      // Tab to "Move Username down", press it twice.
      await press('Tab', 'Tab');
      expect(text(active())).to.equal('Move Username down');
      setTimeout(() => press('Enter'));
      event = await oneEvent(el, 'nas-columns-change');
      expect(event.detail.columns.map((c: ColumnSetting) => c.id).slice(0, 3)).to.deep.equal(['name', 'local', 'username']);
      await settle(el);
      expect(text(active())).to.equal('Move Username down');
      // Announced inside the dialog (the page behind a modal dialog is inert).
      expect(text(organizer(el).querySelector('[aria-live="polite"]'))).to.equal('Username moved to position 3.');

      // Move Status (now 4th) up above Local.
      const statusUp = organizer(el).querySelector<HTMLButtonElement>('li[data-column="status"] [data-move="up"]')!;
      statusUp.focus();
      await press('Enter', 'Enter');
      await settle(el);
      expect(headers(el)).to.deep.equal(['name', 'status', 'local', 'createdAt', 'expiresAt', 'actions']);
      expect(el.columns.slice(0, 4).map((c) => c.id)).to.deep.equal(['name', 'status', 'local', 'username']);

      // Escape closes; focus returns to the Columns button.
      await press('Escape');
      await settle(el);
      expect(dialog.open).to.equal(false);
      expect(active()).to.equal(button);

      // The saved layout restores on a new table.
      const saved = el.columns;
      const restored = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW} .columns=${saved}></api-key-table>`);
      await settle(restored);
      expect(headers(restored)).to.deep.equal(['name', 'status', 'local', 'createdAt', 'expiresAt', 'actions']);

      // Restore defaults.
      button.click();
      await waitUntil(() => dialog.open);
      setTimeout(() => organizer(el).querySelector<HTMLButtonElement>('[part="organizer-reset"]')!.click());
      event = await oneEvent(el, 'nas-columns-change');
      expect(event.detail.columns).to.deep.equal(DEFAULT_COLUMNS.map((c) => ({ ...c })));
      organizer(el).querySelector<HTMLButtonElement>('[part="organizer-close"]')!.click();
      await settle(el);
      expect(headers(el)).to.deep.equal(['name', 'username', 'local', 'status', 'createdAt', 'expiresAt', 'actions']);
    });

    it('keeps Name and Actions visible and repairs a stale saved layout', async () => {
      const stale = [
        { id: 'actions', visible: false },
        { id: 'bogus', visible: true },
        { id: 'name', visible: false },
        { id: 'expiresAt', visible: false },
        { id: 'name', visible: true },
      ] as unknown as ColumnSetting[];
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW} .columns=${stale}></api-key-table>`);
      await settle(el);
      expect(headers(el)).to.deep.equal(['actions', 'name', 'username', 'local', 'status', 'createdAt']);
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="columns-button"]')!.click();
      await settle(el);
      const fixed = [...organizer(el).querySelectorAll<HTMLInputElement>('li[data-column="name"] input, li[data-column="actions"] input')];
      expect(fixed.map((i) => i.disabled)).to.deep.equal([true, true]);
      expect(text(organizer(el).querySelector('li[data-column="name"] label'))).to.equal('Name (always shown)');
      // Columns not available here (allowlist, host) are not offered.
      expect([...organizer(el).querySelectorAll<HTMLElement>('li')].map((li) => li.dataset['column'])).to.deep.equal(['actions', 'name', 'expiresAt', 'username', 'local', 'status', 'createdAt']);
    });
  });

  describe('states', () => {
    it('loading: message, busy grid, accessible', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table loading></api-key-table>`);
      await settle(el);
      expect(text($(el, '[part="message"]'))).to.equal('Loading API keys…');
      expect($(el, '[role="grid"]').getAttribute('aria-busy')).to.equal('true');
      expect(el.matches(':state(loading)')).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('empty: message (slot-replaceable), accessible', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${[]}></api-key-table>`);
      await settle(el);
      expect(text($(el, '[part="message"]'))).to.equal('No API keys yet.');
      expect($(el, '[role="grid"]').getAttribute('aria-rowcount')).to.equal('1');
      expect(el.matches(':state(empty)')).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('no-results: message and a working "Clear filters"', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW} search="nothing-matches" status-filter="revoked"></api-key-table>`);
      await settle(el);
      expect(text($(el, '[part="message"] span'))).to.equal('No keys match the search or filter.');
      expect(el.matches(':state(no-results)')).to.equal(true);
      await expect(el).to.be.accessible();
      setTimeout(() => $<HTMLButtonElement>(el, '[part="clear-filters-button"]').click());
      const event = await oneEvent(el, 'nas-filter-change');
      expect(event.detail).to.deep.equal({ search: '', statusFilter: null });
      await settle(el);
      expect(names(el)).to.have.length(5);
      expect(active()).to.equal($(el, 'input[type="search"]'));
    });

    it('error: message, Retry fires nas-retry, accessible; rows stay visible under an error', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table error="The NAS did not answer (timeout after 10 s)."></api-key-table>`);
      await settle(el);
      expect(text($(el, '[part="error-message"]'))).to.equal('The NAS did not answer (timeout after 10 s).');
      expect($(el, '[part="error"]').getAttribute('role')).to.equal('alert');
      expect(el.matches(':state(error)')).to.equal(true);
      await expect(el).to.be.accessible();
      setTimeout(() => $<HTMLButtonElement>(el, '[part="retry-button"]').click());
      await oneEvent(el, 'nas-retry');
      el.keys = sample();
      await settle(el);
      expect(names(el)).to.have.length(5);
      expect($(el, '[part="error"]')).to.exist;
    });

    it('populated, RTL, dark and selected states are accessible', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table selectable .keys=${sample()} .now=${NOW} .selected=${['2']}></api-key-table>`);
      await settle(el);
      await expect(el).to.be.accessible();
      el.dir = 'rtl';
      await settle(el);
      await expect(el).to.be.accessible();
      // A page that supports both schemes, on a dark system.
      document.documentElement.style.colorScheme = 'light dark';
      try {
        await emulateMedia({ colorScheme: 'dark' });
        await settle(el);
        await expect(el).to.be.accessible();
      } finally {
        document.documentElement.style.removeProperty('color-scheme');
      }
    });
  });

  describe('direction', () => {
    /** Left edge of the first occurrence of `part` in `el`'s text. */
    const leftOf = (el: Element, part: string): number => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(part);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + part.length);
        return range.getBoundingClientRect().left;
      }
      throw new Error(`no "${part}" in ${el.textContent}`);
    };

    it('keeps English counts and dates in reading order in a mirrored (right-to-left) layout', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table dir="rtl" .keys=${sample()} .now=${NOW}></api-key-table>`);
      await settle(el);
      const summary = $(el, '[part="summary"]');
      expect(text(summary)).to.equal('5 keys');
      expect(leftOf(summary, '5'), '"5 keys", not "keys 5"').to.be.below(leftOf(summary, 'keys'));
      const expires = cell(el, 3, 'expiresAt').querySelector('[aria-hidden="true"]')!;
      expect(text(expires)).to.equal('in 3 days');
      expect(leftOf(expires, 'in'), '"in 3 days", not "days 3 in"').to.be.below(leftOf(expires, 'days'));
      // A name too long for its cell is cut at its end, not its start.
      const long = 'start-of-a-very-long-key-name-that-cannot-fit-in-any-cell-end';
      el.keys = [key(1, { name: long })];
      el.style.inlineSize = '420px';
      await settle(el);
      const nameCell = cell(el, 0, 'name');
      const box = nameCell.getBoundingClientRect();
      expect(leftOf(nameCell, 'start'), 'the start of the name is inside its cell').to.be.at.least(box.left);
      el.style.inlineSize = '';
      el.keys = sample();
      await settle(el);
      // The layout is still mirrored: the name column is on the right.
      expect($(el, '[role="columnheader"][data-col="name"]').getBoundingClientRect().left).to.be.above($(el, '[role="columnheader"][data-col="status"]').getBoundingClientRect().left);
    });
  });

  describe('keyboard', () => {
    it('has one tab stop and follows the grid pattern', async () => {
      const { el, before, after } = await withBefore(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      // Search, status filter and Columns come first in tab order; then the grid is one stop.
      before.focus();
      await press('Tab');
      expect(active()).to.equal($(el, 'input[type="search"]'));
      await press('Tab', 'Tab', 'Tab');
      expect(active()).to.equal($(el, '[data-col="name"] button.sort'));
      await press('Tab');
      expect(active()).to.equal(after);

      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowDown');
      expect(focusedCell()).to.deep.equal({ row: 0, col: 'name' });
      await press('ArrowRight', 'ArrowRight');
      expect(focusedCell()).to.deep.equal({ row: 0, col: 'local' });
      await press('ArrowDown', 'ArrowDown');
      expect(focusedCell()).to.deep.equal({ row: 2, col: 'local' });
      await press('End');
      expect(focusedCell()).to.deep.equal({ row: 2, col: 'actions' });
      await press('Home');
      expect(focusedCell()).to.deep.equal({ row: 2, col: 'name' });
      await press('Control+End');
      expect(focusedCell()).to.deep.equal({ row: 4, col: 'actions' });
      await press('Control+Home');
      expect(active()).to.equal($(el, '[data-col="name"] button.sort'));
      // PageDown moves by the visible rows less one (5 rows shown here).
      await press('ArrowDown', 'PageDown');
      expect(focusedCell()?.row).to.equal(4);
      await press('PageUp');
      expect(focusedCell()?.row).to.equal(0);
      await press('ArrowUp');
      expect(active()).to.equal($(el, '[data-col="name"] button.sort'));

      // Exactly one element in the grid is tabbable, wherever focus is.
      await press('ArrowDown', 'ArrowRight');
      const tabbable = $$(el, '[role="grid"] [tabindex="0"]');
      expect(tabbable).to.have.length(1);
      expect(tabbable[0]).to.equal(active());

      // Tab leaves the grid and Shift+Tab comes back to the same cell.
      await press('Tab');
      expect(active()).to.equal(after);
      await press('Shift+Tab');
      expect(focusedCell()).to.deep.equal({ row: 0, col: 'username' });
    });

    it('sorts from the header with Enter', async () => {
      const { el } = await withBefore(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowRight', 'Enter');
      await settle(el);
      expect(el.sort).to.deep.equal({ field: 'username', direction: 'asc' });
      await press('Enter');
      await settle(el);
      expect(el.sort).to.deep.equal({ field: 'username', direction: 'desc' });
    });

    it('Enter/F2 enter the row actions; arrows move between them; Escape returns; actions fire nas-key-action', async () => {
      const keys = sample();
      const { el } = await withBefore(html`<api-key-table .keys=${keys} .now=${NOW} .actions=${['edit', 'reset', 'quick-reset', 'delete']}></api-key-table>`);
      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowDown', 'ArrowDown', 'Enter');
      expect(active()?.getAttribute('data-action')).to.equal('edit');
      expect(text(active())).to.equal('Edit: \u2068Home Assistant\u2069');
      await press('ArrowRight');
      expect(active()?.getAttribute('data-action')).to.equal('reset');
      // Reset is offered on a revoked key, labelled as the way to restore it.
      expect(active()?.getAttribute('title')).to.equal('Reset to restore');
      setTimeout(() => press('Enter'));
      let event: NasKeyActionEvent = await oneEvent(el, 'nas-key-action');
      expect(event.detail.action).to.equal('reset');
      expect(event.detail.key).to.equal(keys[1]);
      await press('End');
      expect(active()?.getAttribute('data-action')).to.equal('delete');
      setTimeout(() => press('Space'));
      event = await oneEvent(el, 'nas-key-action');
      expect(event.detail).to.deep.equal({ action: 'delete', key: keys[1] });
      await press('Escape');
      expect(focusedCell()).to.deep.equal({ row: 1, col: 'actions' });
      expect(active()?.getAttribute('role')).to.equal('gridcell');
      await press('F2');
      expect(active()?.getAttribute('data-action')).to.equal('edit');
      await press('F2');
      expect(active()?.getAttribute('role')).to.equal('gridcell');
      // Mouse: the same event.
      setTimeout(() => $<HTMLButtonElement>(el, '[data-row="0"] [data-action="quick-reset"]').click());
      event = await oneEvent(el, 'nas-key-action');
      expect(event.detail).to.deep.equal({ action: 'quick-reset', key: keys[0] });
    });

    it('mirrors left and right in RTL', async () => {
      const { el } = await withBefore(html`<api-key-table dir="rtl" .keys=${sample()} .now=${NOW}></api-key-table>`);
      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowDown', 'ArrowLeft');
      expect(focusedCell()).to.deep.equal({ row: 0, col: 'username' });
      await press('ArrowRight');
      expect(focusedCell()).to.deep.equal({ row: 0, col: 'name' });
      // The name column is on the right in RTL.
      const name = cell(el, 0, 'name').getBoundingClientRect();
      const user = cell(el, 0, 'username').getBoundingClientRect();
      expect(name.left).to.be.greaterThan(user.left);
      await expect(el).to.be.accessible();
    });

    it('selects rows with Space and click when selectable', async () => {
      const { el } = await withBefore(html`<api-key-table selectable .keys=${sample()} .now=${NOW}></api-key-table>`);
      expect($(el, '[role="grid"]').getAttribute('aria-multiselectable')).to.equal('true');
      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowDown');
      setTimeout(() => press('Space'));
      let event = await oneEvent(el, 'nas-selection-change');
      expect(event.detail.selected).to.deep.equal(['1']);
      await settle(el);
      expect(bodyRows(el)[0]!.getAttribute('aria-selected')).to.equal('true');
      setTimeout(() => cell(el, 2, 'username').click());
      event = await oneEvent(el, 'nas-selection-change');
      expect(event.detail.selected).to.deep.equal(['1', '3']);
      await settle(el);
      expect(bodyRows(el).map((r) => r.getAttribute('aria-selected'))).to.deep.equal(['true', 'false', 'true', 'false', 'false']);
    });
  });

  describe('large data', () => {
    it('renders 100,000 rows with a bounded DOM, aria-rowcount and aria-rowindex, and reaches the last row by keyboard', async () => {
      const keys = many(100_000);
      const { el } = await withBefore(html`<api-key-table .keys=${keys} .now=${NOW}></api-key-table>`);
      await waitUntil(() => bodyRows(el).length > 0);
      await settle(el);
      expect(el.matches(':state(virtualized)')).to.equal(true);
      const grid = $(el, '[role="grid"]');
      expect(grid.getAttribute('aria-rowcount')).to.equal('100001');
      const rows = bodyRows(el);
      expect(rows.length).to.be.greaterThan(5).and.lessThan(80);
      rows.forEach((row, i) => expect(row.getAttribute('aria-rowindex')).to.equal(String(i + 2)));
      expect(names(el)[0]).to.equal('key-000001');
      await expect(el).to.be.accessible();

      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowDown', 'Control+End');
      await waitUntil(() => focusedCell()?.row === 99_999, 'last row focused', { timeout: 3000 });
      expect(focusedCell()).to.deep.equal({ row: 99_999, col: 'actions' });
      const last = active()!.closest('[role="row"]')!;
      expect(last.getAttribute('aria-rowindex')).to.equal('100001');
      expect(text(last.querySelector('[data-col="name"]'))).to.equal('key-100000');
      expect(bodyRows(el).length).to.be.lessThan(80);
      await press('PageUp');
      await waitUntil(() => (focusedCell()?.row ?? 0) < 99_999);
      expect(focusedCell()!.row).to.be.lessThan(99_999).and.greaterThan(99_980);

      // Sort the 100k rows: the first row updates and the DOM stays bounded.
      el.sort = { field: 'name', direction: 'desc' };
      await waitUntil(() => names(el).includes('key-100000'), 'sorted', { timeout: 3000 });
      expect(bodyRows(el).length).to.be.lessThan(80);
    });

    it('keeps the tab stop on the header while the focused row is scrolled away', async () => {
      const { el, before } = await withBefore(html`<api-key-table .keys=${many(5000)} .now=${NOW}></api-key-table>`);
      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowDown', 'ArrowDown');
      expect(focusedCell()).to.deep.equal({ row: 1, col: 'name' });
      before.focus();
      const body = $(el, '.body');
      body.scrollTop = 100_000;
      await waitUntil(() => !el.shadowRoot!.querySelector('[data-row="1"]'), 'row 1 recycled');
      await settle(el);
      expect($$(el, '[role="grid"] [tabindex="0"]')).to.deep.equal([$(el, '[data-col="name"] button.sort')]);
      // Scrolling back gives the row its tab stop again.
      body.scrollTop = 0;
      await waitUntil(() => el.shadowRoot!.querySelector('[data-row="1"]'));
      await settle(el);
      expect($$(el, '[role="grid"] [tabindex="0"]')).to.deep.equal([cell(el, 1, 'name')]);
    });

    it('windows rows by the row and body heights set in CSS, placing each row exactly, also after being hidden', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <style>
          .tall {
            --nas-table-row-height: 30px;
            --nas-table-body-height: 600px;
          }
        </style>
        <api-key-table class="tall" .keys=${many(3000)} .now=${NOW}></api-key-table>
      </div>`);
      const el = wrapper.querySelector('api-key-table')!;
      await settle(el);
      const body = $(el, '.body');
      /** Every row in view is in the DOM, at its own offset, with its own index and key. */
      const checkCovered = () => {
        const box = body.getBoundingClientRect();
        const first = Math.floor(body.scrollTop / 30);
        const last = Math.min(2999, Math.floor((body.scrollTop + body.clientHeight - 1) / 30));
        for (let i = first; i <= last; i++) {
          const row = cell(el, i, 'name').closest<HTMLElement>('[role="row"]')!;
          expect(row.getAttribute('aria-rowindex')).to.equal(String(i + 2));
          expect(visible(cell(el, i, 'name'))).to.equal(`key-${String(i + 1).padStart(6, '0')}`);
          expect(Math.abs(row.getBoundingClientRect().top - (box.top + body.clientTop + i * 30 - body.scrollTop))).to.be.lessThan(1);
          expect(row.getBoundingClientRect().height).to.equal(30);
        }
        return last - first + 1;
      };
      expect(body.clientHeight).to.equal(600);
      expect(body.scrollHeight).to.equal(3000 * 30);
      expect(checkCovered()).to.equal(20);
      expect(bodyRows(el).length).to.be.lessThan(50);
      for (const top of [12_345, 89_400, 45_000, 0]) {
        body.scrollTop = top;
        await settle(el);
        checkCovered();
        expect(bodyRows(el).length).to.be.lessThan(50);
      }
      // Shown again after display: none in a taller box, the window grows to fill it.
      el.hidden = true;
      await settle(el);
      el.style.setProperty('--nas-table-body-height', '900px');
      el.hidden = false;
      await settle(el);
      expect(body.clientHeight).to.equal(900);
      expect(checkCovered()).to.equal(30);
    });

    it('renders plainly at or below the threshold and virtualizes above it', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${many(300)} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(bodyRows(el)).to.have.length(300);
      expect(el.matches(':state(virtualized)')).to.equal(false);
      el.keys = many(301);
      await waitUntil(() => bodyRows(el).length > 0 && bodyRows(el).length < 100);
      expect(el.matches(':state(virtualized)')).to.equal(true);
    });
  });

  describe('data provider (server-side mode)', () => {
    /** A provider over an in-memory array with `api_key.query`'s limit/offset/count meaning. */
    function server(all: ApiKeyRow[], delay = 5) {
      const requests: KeyPageRequest[] = [];
      let fail = false;
      const provider = async (request: KeyPageRequest): Promise<KeyPage> => {
        requests.push(request);
        await new Promise((r) => setTimeout(r, delay));
        if (fail) throw new Error('Connection to the NAS was lost.');
        let rows = all.filter((r) => !request.search || `${r.name} ${r.username ?? ''}`.toLowerCase().includes(request.search.toLowerCase()));
        if (request.status) rows = rows.filter((r) => (request.status === 'revoked') === r.revoked);
        if (request.sort) {
          const field = request.sort.field as 'name';
          const dir = request.sort.direction === 'asc' ? 1 : -1;
          rows = [...rows].sort((a, b) => (a[field] < b[field] ? -dir : a[field] > b[field] ? dir : 0));
        }
        return { rows: rows.slice(request.offset, request.offset + request.limit), total: rows.length };
      };
      return { provider, requests, setFail: (value: boolean) => (fail = value) };
    }

    it('pages rows in as they scroll into view, with placeholders meanwhile', async () => {
      const all = many(5000);
      const { provider, requests } = server(all, 30);
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .dataProvider=${provider} .now=${NOW}></api-key-table>`);
      expect(text($(el, '[part="message"]'))).to.equal('Loading API keys…');
      await waitUntil(() => names(el)[0] === 'key-000001', 'first page', { timeout: 3000 });
      expect(requests[0]).to.deep.include({ offset: 0, limit: 100, sort: null, search: '', status: null });
      expect($(el, '[role="grid"]').getAttribute('aria-rowcount')).to.equal('5001');
      expect(text($(el, '[part="summary"]'))).to.equal('5,000 keys');
      const before = requests.length;
      expect(before).to.be.lessThan(3);

      const body = $(el, '.body');
      body.scrollTop = 44 * 2550;
      await waitUntil(() => requests.some((r) => r.offset === 2500), 'page at 2500 requested', { timeout: 3000 });
      // Until the page arrives, its rows are placeholders.
      await waitUntil(() => el.shadowRoot!.querySelector('[part~="placeholder-row"]') !== null || names(el).includes('key-002551'), 'placeholder or row');
      await waitUntil(() => names(el).includes('key-002551'), 'row 2551', { timeout: 3000 });
      const row = bodyRows(el).find((r) => text(r.querySelector('[data-col="name"]')) === 'key-002551')!;
      expect(row.getAttribute('aria-rowindex')).to.equal('2552');
      // Only the pages near the viewport were loaded.
      expect(new Set(requests.map((r) => r.offset)).size).to.be.lessThan(8);
      await expect(el).to.be.accessible();
    });

    it('sends sort, status and (debounced) search to the provider and starts from the top', async () => {
      const all = [...many(250), key(9999, { name: 'special', username: 'svc', revoked: true })];
      const { provider, requests } = server(all);
      const el = await fixture<ApiKeyTable>(html`<api-key-table .dataProvider=${provider} .now=${NOW}></api-key-table>`);
      await waitUntil(() => names(el).length === 251, 'all rows (plain rendering loads every page)', { timeout: 3000 });
      expect(requests.map((r) => r.offset).sort((a, b) => a - b)).to.deep.equal([0, 100, 200]);

      requests.length = 0;
      await clickHeader(el, 'name');
      await waitUntil(() => requests.length > 0 && names(el)[0] === 'key-000001');
      expect(requests[0]).to.deep.include({ offset: 0, sort: { field: 'name', direction: 'asc' } });
      await clickHeader(el, 'name');
      await waitUntil(() => names(el)[0] === 'special');

      requests.length = 0;
      const input = $<HTMLInputElement>(el, 'input[type="search"]');
      input.focus();
      // Four keystrokes inside one debounce window (fired in one task, so a loaded machine cannot
      // stretch the gaps between them past the debounce delay).
      for (const value of ['s', 'sp', 'spe', 'spec']) {
        input.value = value;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: value.at(-1)!, inputType: 'insertText' }));
      }
      await waitUntil(() => names(el).length === 1, 'search applied', { timeout: 3000 });
      // One request for the whole word, not one per keystroke.
      expect(requests.map((r) => r.search)).to.deep.equal(['spec']);

      requests.length = 0;
      el.search = '';
      el.statusFilter = 'revoked';
      await waitUntil(() => requests.length > 0 && names(el).length === 1);
      expect(requests[0]).to.deep.include({ status: 'revoked', expiringWithinDays: 14 });
      // The allowlist cannot be sorted by the server, so its header is not a sort button there.
      el.capabilities = LEGACY;
      await settle(el);
      expect($(el, '[role="columnheader"][data-col="allowlist"]').querySelector('button')).to.equal(null);
    });

    it('shows provider errors with Retry, ignores stale answers, and refreshes in place', async () => {
      const { provider, requests, setFail } = server(many(50));
      setFail(true);
      const el = await fixture<ApiKeyTable>(html`<api-key-table .dataProvider=${provider} .now=${NOW}></api-key-table>`);
      await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'error shown', { timeout: 3000 });
      expect(text($(el, '[part="error-message"]'))).to.equal('Connection to the NAS was lost.');
      await expect(el).to.be.accessible();
      setFail(false);
      setTimeout(() => $<HTMLButtonElement>(el, '[part="retry-button"]').click());
      await oneEvent(el, 'nas-retry');
      await waitUntil(() => names(el).length === 50, 'loaded after retry', { timeout: 3000 });
      expect(el.shadowRoot!.querySelector('[part="error"]')).to.equal(null);

      // A slow answer for an old sort must not overwrite the newer one.
      let release: () => void = () => undefined;
      const slow = async (request: KeyPageRequest): Promise<KeyPage> => {
        if (!request.sort) await new Promise<void>((r) => (release = r));
        return { rows: [key(request.sort ? 2 : 1, { name: request.sort ? 'new' : 'stale' })], total: 1 };
      };
      el.dataProvider = slow;
      await el.updateComplete;
      el.sort = { field: 'name', direction: 'asc' };
      await waitUntil(() => names(el)[0] === 'new');
      release();
      await settle(el);
      expect(names(el)).to.deep.equal(['new']);

      // A provider that returns garbage: a clear console message for its developer, the usual error for users.
      const warnings: string[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
      try {
        el.dataProvider = async () => ({ rows: 'nope', total: -1 }) as unknown as KeyPage;
        await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'error for a bad page');
        expect(text($(el, '[part="error-message"]'))).to.equal('The API keys could not be loaded.');
        expect(warnings).to.deep.equal(['<api-key-table>: the dataProvider returned an invalid page; expected { rows: ApiKeyRow[], total: whole number >= 0 }.']);
      } finally {
        console.warn = original;
      }

      // refresh() reloads without starting over.
      el.dataProvider = provider;
      el.sort = null;
      await waitUntil(() => names(el).length === 50);
      requests.length = 0;
      el.refresh();
      await waitUntil(() => requests.length > 0);
      await settle(el);
      expect(names(el).length).to.equal(50);
    });
  });

  describe('live updates', () => {
    it('keeps focus (by row), scroll position and selection when rows are replaced, added and removed', async () => {
      const keys = many(2000);
      const { el } = await withBefore(html`<api-key-table selectable .keys=${keys} .now=${NOW} .selected=${['1500', '1501']}></api-key-table>`);
      const body = $(el, '.body');
      body.scrollTop = 44 * 1495;
      await waitUntil(() => el.shadowRoot!.querySelector('[data-row="1499"]'));
      await settle(el);
      cell(el, 1499, 'username').focus(); // key 1500
      await settle(el);
      const top = () => cell(el, focusedCell()!.row, 'name').getBoundingClientRect().top;
      const topBefore = top();

      // Replace one row (a change), add two above and remove one above.
      const next = [key(9001), key(9002), ...keys.slice(1)];
      expect(next[1500]!.id).to.equal(1500); // two added above, one removed above: key 1500 moves from index 1499 to 1500
      next[1500] = { ...next[1500]!, name: 'renamed' };
      el.keys = next;
      await settle(el);
      await settle(el);
      expect(focusedCell()).to.deep.equal({ row: 1500, col: 'username' });
      expect(text(cell(el, 1500, 'name'))).to.equal('renamed');
      expect(Math.abs(top() - topBefore)).to.be.lessThan(2);
      expect(el.selected).to.deep.equal(['1500', '1501']);
      expect(cell(el, 1500, 'name').closest('[role="row"]')!.getAttribute('aria-selected')).to.equal('true');

      // Removing the focused row: focus stays at the same position, on the next row.
      setTimeout(() => (el.keys = next.filter((k) => k.id !== 1500)));
      const event = await oneEvent(el, 'nas-selection-change');
      expect(event.detail.selected).to.deep.equal(['1501']);
      await settle(el);
      await settle(el);
      expect(focusedCell()).to.deep.equal({ row: 1500, col: 'username' });
      expect(text(cell(el, 1500, 'name'))).to.equal('key-001501');
    });

    it('keeps focus on a small (non-virtualized) table when the row moves', async () => {
      const keys = sample();
      const { el } = await withBefore(html`<api-key-table .keys=${keys} .now=${NOW}></api-key-table>`);
      cell(el, 2, 'status').focus();
      el.keys = [key(77, { name: 'added' }), ...keys];
      await settle(el);
      expect(focusedCell()).to.deep.equal({ row: 3, col: 'status' });
      expect(text(cell(el, 3, 'name'))).to.equal('ci');
    });
  });

  describe('safety, language, theming', () => {
    it('renders names, usernames, reasons and hosts as inert text', async () => {
      const keys = PAYLOADS.map((payload, i) =>
        key(i + 1, { name: payload, username: payload, revoked: true, revokedReason: payload, hostName: payload, allowlist: [{ method: 'CALL', resource: payload }] }),
      );
      const el = await fixture<ApiKeyTable>(html`<api-key-table multi-host .capabilities=${{ ...MODERN, allowlist: true }} .keys=${keys} .now=${NOW}></api-key-table>`);
      await settle(el);
      await new Promise((r) => setTimeout(r, 50));
      expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
      expect(el.shadowRoot!.querySelectorAll('img, script')).to.have.length(0);
      expect([...el.shadowRoot!.querySelectorAll('svg')].every((s) => s.hasAttribute('data-icon'))).to.equal(true);
      expect(names(el)).to.deep.equal(PAYLOADS);
      expect(bodyRows(el).map((r) => visible(r.querySelector('[part="status-reason"]')!))).to.deep.equal(PAYLOADS);
      expect(bodyRows(el).map((r) => visible(r.querySelector('[data-col="host"]')!))).to.deep.equal(PAYLOADS);
      // Searching for markup finds it as text.
      el.search = '<script>';
      await settle(el);
      expect(names(el)).to.deep.equal([PAYLOADS[1]]);
    });

    it('speaks German', async () => {
      // Wide enough for every column: narrower, German drops Local first (api-key-table-layout.test.ts).
      await setViewport({ width: 1280, height: 700 });
      const el = await fixture<ApiKeyTable>(html`<api-key-table lang="de" .keys=${sample()} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect($$(el, '[role="columnheader"]').map((h) => text(h))).to.deep.equal(['Name', 'Benutzername', 'Lokal', 'Status', 'Erstellt', 'Läuft ab', 'Aktionen']);
      expect(text(cell(el, 1, 'status').querySelector('[part="status-badge"]'))).to.equal('Widerrufen');
      expect(visible(cell(el, 3, 'expiresAt'))).to.equal('in 3 Tagen');
      expect(visible(cell(el, 0, 'local'))).to.equal('Ja');
      expect(text($(el, '[part="summary"]'))).to.equal('5 Schlüssel');
      expect($(el, '[role="grid"]').getAttribute('aria-label')).to.equal('API-Schlüssel');
      expect(text(cell(el, 0, 'actions').querySelector('[data-action="edit"] .sr-only'))).to.equal('Bearbeiten: \u2068backup-script\u2069');
      el.search = 'nope';
      await settle(el);
      expect(text($(el, '[part="message"] span'))).to.equal('Keine Schlüssel passen zur Suche oder zum Filter.');
      await expect(el).to.be.accessible();
      // Following the document language too.
      el.lang = '';
      document.documentElement.lang = 'de';
      el.search = '';
      await settle(el);
      expect(text($(el, '[role="columnheader"][data-col="username"]'))).to.equal('Benutzername');
      await setViewport({ width: 800, height: 600 });
    });

    it('is themable through custom properties, ::part and color-scheme', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <style>
          .themed {
            --nas-table-row-height: 60px;
            --nas-color-text: rgb(1, 2, 3);
          }
          .themed::part(row) {
            background-color: rgb(4, 5, 6);
          }
        </style>
        <api-key-table class="themed" .keys=${sample()} .now=${NOW}></api-key-table>
      </div>`);
      const el = wrapper.querySelector('api-key-table')!;
      await settle(el);
      const row = bodyRows(el)[0]!;
      expect(row.getBoundingClientRect().height).to.equal(60);
      expect(getComputedStyle(row).backgroundColor).to.equal('rgb(4, 5, 6)');
      expect(getComputedStyle(cell(el, 0, 'username')).color).to.equal('rgb(1, 2, 3)');

      // Light and dark defaults follow the color-scheme the page gives: none renders light (like the
      // page), `light dark` follows prefers-color-scheme, color-scheme on the element forces one.
      const plain = await fixture<ApiKeyTable>(html`<api-key-table .keys=${sample()} .now=${NOW}></api-key-table>`);
      await settle(plain);
      const grid = () => getComputedStyle($(plain, '[role="grid"]')).backgroundColor;
      const light = grid();
      await emulateMedia({ colorScheme: 'dark' });
      expect(grid(), 'a page without color-scheme renders light on a dark system too').to.equal(light);
      document.documentElement.style.colorScheme = 'light dark';
      try {
        const dark = grid();
        expect(dark).to.not.equal(light);
        plain.style.colorScheme = 'light';
        expect(grid()).to.equal(light);
        await emulateMedia({ colorScheme: 'light' });
        plain.style.colorScheme = 'dark';
        expect(grid()).to.equal(dark);
      } finally {
        document.documentElement.style.removeProperty('color-scheme');
      }
    });

    it('scrolls the body and header together when even the narrow layout does not fit', async () => {
      // Below Name + the menu button (~11em) the rows keep their minimum and scroll.
      const wrapper = await fixture<HTMLDivElement>(html`<div style="inline-size: 150px"><api-key-table .keys=${sample()} .now=${NOW}></api-key-table></div>`);
      const el = wrapper.querySelector('api-key-table')!;
      await settle(el);
      expect(headers(el)).to.deep.equal(['name', 'actions']);
      const body = $(el, '.body');
      expect(body.scrollWidth).to.be.greaterThan(body.clientWidth);
      body.scrollLeft = 20;
      body.dispatchEvent(new Event('scroll'));
      await settle(el);
      expect($(el, '.header').scrollLeft).to.equal(body.scrollLeft);
      const header = $(el, '[role="columnheader"][data-col="actions"]').getBoundingClientRect();
      expect(Math.abs(header.left - cell(el, 0, 'actions').getBoundingClientRect().left)).to.be.lessThan(1);
    });
  });
});
