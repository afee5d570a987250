/**
 * <api-key-table> at every width (measured geometry in real Chromium), its row-actions menu, sort
 * indicators, legacy filters, Tab order, highlight() and columnsKey.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import type { ApiKeyTable } from '../define/api-key-table.js';
import '../define/api-key-table.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import type { ApiKeyRow } from '../model/api-key.js';
import { LEGACY, MODERN } from '../testing/sample-keys.js';
import type { NasKeyActionEvent } from '../events/key-action.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12);

function key(id: number, overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return {
    id,
    name: `key-${String(id).padStart(4, '0')}`,
    username: 'truenas_admin',
    userIdentifier: 1,
    local: true,
    createdAt: NOW - id * DAY,
    expiresAt: id % 2 ? null : NOW + id * DAY,
    revoked: id === 3,
    revokedReason: id === 3 ? 'Attempt to use over an insecure transport' : null,
    allowlist: null,
    ...overrides,
  };
}

const keys = (count: number) => Array.from({ length: count }, (_, i) => key(i + 1));

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function settle(el: ApiKeyTable): Promise<void> {
  await el.updateComplete;
  await frame();
  await frame();
  await el.updateComplete;
}

const $ = <T extends Element = HTMLElement>(el: ApiKeyTable, selector: string): T => {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};
const $$ = <T extends Element = HTMLElement>(el: ApiKeyTable, selector: string): T[] => [...el.shadowRoot!.querySelectorAll<T>(selector)];
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const headers = (el: ApiKeyTable) => $$(el, '[role="columnheader"]').map((h) => h.dataset['col']!);

function active(): Element | null {
  let node: Element | null = document.activeElement;
  while (node?.shadowRoot?.activeElement) node = node.shadowRoot.activeElement;
  return node;
}

async function press(...keysToPress: string[]): Promise<void> {
  for (const k of keysToPress) {
    const parts = k.split('+');
    const main = parts.pop()!;
    for (const modifier of parts) await sendKeys({ down: modifier });
    await sendKeys({ press: main });
    for (const modifier of parts.reverse()) await sendKeys({ up: modifier });
  }
}

/**
 * Every element that clips or scrolls its content (overflow other than visible), but for text
 * cut on purpose with an ellipsis (`.truncate`: long NAS text, full text in its title).
 */
function scrollContainers(root: ShadowRoot): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('*')].filter((node) => {
    const style = getComputedStyle(node);
    const clips = style.overflowX !== 'visible' || style.overflowY !== 'visible';
    return clips && node.checkVisibility() && !node.classList.contains('sr-only') && !node.classList.contains('truncate');
  });
}

function inside(inner: DOMRect, outer: DOMRect): boolean {
  return inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.width > 0;
}

/** A table as a page shows it: full width, an Add button in the toolbar slot. */
async function pageTable(lang: string, extra: Partial<ApiKeyTable> = {}): Promise<ApiKeyTable> {
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${lang}>
    <api-key-table .keys=${keys(6)} .now=${NOW} .capabilities=${MODERN} .actions=${['edit', 'reset', 'quick-reset', 'delete']}>
      <button slot="toolbar" type="button">${lang === 'de' ? 'Schlüssel hinzufügen' : 'Add key'}</button>
    </api-key-table>
  </div>`);
  const el = wrapper.querySelector('api-key-table')!;
  Object.assign(el, extra);
  await settle(el);
  return el;
}

describe('api-key-table layout', () => {
  before(() => registerTranslation(de));
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
    await emulateMedia({ colorScheme: 'light' });
    document.documentElement.style.removeProperty('color-scheme');
    localStorage.clear();
  });

  describe('widths', () => {
    for (const [lang, dir] of [['en', 'ltr'], ['de', 'ltr'], ['de', 'rtl']] as const) {
      for (const width of [320, 375, 600, 800, 1280]) {
        it(`fits ${width} px in ${lang} ${dir}: no horizontal scrolling; Add, search and every row's actions visible; headers whole`, async () => {
          await setViewport({ width, height: 800 });
          const el = await pageTable(lang);
          if (dir === 'rtl') el.setAttribute('dir', 'rtl');
          await settle(el);
          const root = el.shadowRoot!;
          expect(document.documentElement.scrollWidth, 'page').to.be.at.most(document.documentElement.clientWidth);
          expect(el.scrollWidth, 'host').to.be.at.most(el.clientWidth);
          for (const node of scrollContainers(root)) {
            expect(node.scrollWidth, `${node.className || node.getAttribute('part')} ${node.dataset['col'] ?? ''}`).to.be.at.most(node.clientWidth);
          }
          const host = el.getBoundingClientRect();
          const add = el.querySelector('button[slot="toolbar"]')!.getBoundingClientRect();
          expect(inside(add, host), 'Add').to.equal(true);
          expect(inside($(el, 'input[type="search"]').getBoundingClientRect(), host), 'search').to.equal(true);
          const grid = $(el, '[role="grid"]').getBoundingClientRect();
          for (const row of $$(el, '.body [role="row"]')) {
            const actions = [...row.querySelectorAll<HTMLElement>('button[data-action], button[name="row-menu"]')];
            expect(actions.length, 'actions per row').to.be.greaterThan(0);
            for (const button of actions) expect(inside(button.getBoundingClientRect(), grid), 'row action').to.equal(true);
          }
          // No header is cut: the label fits its cell.
          for (const cell of $$(el, '[role="columnheader"]')) {
            if (cell.dataset['col'] === 'actions') continue;
            const label = cell.querySelector('.sort-label, .label')!.getBoundingClientRect();
            expect(label.right, `${cell.dataset['col']} header`).to.be.at.most(cell.getBoundingClientRect().right + 0.5);
            expect(label.left).to.be.at.least(cell.getBoundingClientRect().left - 0.5);
            expect(cell.scrollWidth).to.be.at.most(cell.clientWidth);
          }
          const shown = headers(el);
          expect(shown).to.include.members(['name', 'actions']);
          if (width >= 1280) expect(shown).to.deep.equal(['name', 'username', 'local', 'status', 'createdAt', 'expiresAt', 'actions']);
          // Local and Created are the first to go.
          if (!shown.includes('username') || !shown.includes('status')) expect(shown).to.not.include.members(['local', 'createdAt']);
          if (width <= 375) expect($$(el, 'button[name="row-menu"]').length).to.equal(6);
          await expect(el).to.be.accessible();
        });
      }
    }

    it('fits 320 px in German in every state: error, no results, loading, empty, legacy, several hosts', async () => {
      await setViewport({ width: 320, height: 800 });
      const long = 'Die Verbindung zum NAS wurde unterbrochen; bitte prüfen Sie die Adresse und versuchen Sie es erneut.';
      const states: Array<Partial<ApiKeyTable>> = [
        { error: long },
        { search: 'keine-treffer' },
        { keys: [], loading: true },
        { keys: [] },
        { capabilities: LEGACY, keys: keys(3).map((k) => ({ ...k, allowlist: [{ method: 'CALL', resource: 'system.info' }] })) },
        { multiHost: true, keys: keys(3).map((k) => ({ ...k, hostId: 'h1', hostName: 'Hauptspeicher im Keller' })) },
      ];
      for (const state of states) {
        const el = await pageTable('de', state);
        const label = Object.keys(state).join('+');
        expect(document.documentElement.scrollWidth, `page (${label})`).to.be.at.most(document.documentElement.clientWidth);
        expect(el.scrollWidth, `host (${label})`).to.be.at.most(el.clientWidth);
        for (const node of scrollContainers(el.shadowRoot!)) {
          expect(node.scrollWidth, `${node.className} ${node.dataset['col'] ?? ''} (${label})`).to.be.at.most(node.clientWidth);
        }
        await expect(el).to.be.accessible();
      }
    });

    it('shows every column again when it grows, and follows a resize of its container', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div style="inline-size: 340px">
        <api-key-table .keys=${keys(3)} .now=${NOW}></api-key-table>
      </div>`);
      const el = wrapper.querySelector('api-key-table')!;
      await settle(el);
      expect(headers(el)).to.not.include('local');
      expect($$(el, 'button[name="row-menu"]')).to.have.length(3);
      wrapper.style.inlineSize = '1200px';
      await waitUntil(() => headers(el).includes('local'));
      await settle(el);
      expect(headers(el)).to.deep.equal(['name', 'username', 'local', 'status', 'createdAt', 'expiresAt', 'actions']);
      expect($$(el, 'button[name="row-menu"]')).to.have.length(0);
      expect($(el, '[role="grid"]').getAttribute('aria-colcount')).to.equal('7');
    });
  });

  describe('row-actions menu (narrow)', () => {
    it('is a menu button: Enter opens on the first item, arrows move, Esc closes and returns focus, items fire nas-key-action', async () => {
      await setViewport({ width: 360, height: 700 });
      const rows = keys(4);
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${rows} .now=${NOW} .actions=${['quick-reset', 'edit', 'reset', 'delete']}></api-key-table>`);
      await settle(el);
      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      // Row 3 (index 2) is revoked: its Reset reads "Reset to restore".
      await press('ArrowDown', 'ArrowDown', 'ArrowDown', 'Enter');
      const button = active() as HTMLButtonElement;
      expect(button.getAttribute('name')).to.equal('row-menu');
      expect(button.getAttribute('aria-haspopup')).to.equal('menu');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(text(button)).to.equal('Actions for \u2068key-0003\u2069');
      await press('Enter');
      const menu = $(el, '[role="menu"]');
      await waitUntil(() => menu.matches(':popover-open'));
      await settle(el);
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      expect(menu.getAttribute('aria-label')).to.equal('Actions for \u2068key-0003\u2069');
      expect($$(el, '[role="menuitem"]').map((i) => i.dataset['action'])).to.deep.equal(['quick-reset', 'edit', 'reset', 'delete']);
      expect($$(el, '[role="menuitem"]').map((i) => text(i))).to.deep.equal(['Quick reset', 'Edit', 'Reset to restore', 'Delete']);
      expect(active()?.getAttribute('data-action')).to.equal('quick-reset');
      // The menu is on screen, whole.
      const box = menu.getBoundingClientRect();
      expect(box.left).to.be.at.least(0);
      expect(box.right).to.be.at.most(innerWidth);
      await expect(el).to.be.accessible();
      await press('ArrowDown');
      expect(active()?.getAttribute('data-action')).to.equal('edit');
      await press('ArrowUp', 'ArrowUp');
      expect(active()?.getAttribute('data-action')).to.equal('delete');
      await press('Home');
      expect(active()?.getAttribute('data-action')).to.equal('quick-reset');
      await press('End');
      expect(active()?.getAttribute('data-action')).to.equal('delete');
      await press('Escape');
      await settle(el);
      expect(menu.matches(':popover-open')).to.equal(false);
      expect(active() === button, 'focus on the menu button').to.equal(true);
      expect(button.getAttribute('aria-expanded')).to.equal('false');

      // ArrowUp opens on the last item; Enter on an item fires the action and returns focus.
      await press('ArrowUp');
      await waitUntil(() => active()?.getAttribute('data-action') === 'delete');
      await press('ArrowUp');
      setTimeout(() => press('Enter'));
      const event: NasKeyActionEvent = await oneEvent(el, 'nas-key-action');
      expect(event.detail).to.deep.equal({ action: 'reset', key: rows[2] });
      await settle(el);
      expect(menu.matches(':popover-open')).to.equal(false);
      expect(active() === button, 'focus on the menu button').to.equal(true);

      // Escape from the button goes back to the cell, as with action buttons.
      await press('Escape');
      expect(active()?.getAttribute('role')).to.equal('gridcell');

      // Mouse: click opens, a click outside closes.
      $<HTMLButtonElement>(el, '[data-row="0"] button[name="row-menu"]').click();
      await waitUntil(() => menu.matches(':popover-open'));
      await sendMouse({ type: 'click', position: [2, 2] });
      await waitUntil(() => !menu.matches(':popover-open'));
      await settle(el);
      expect($$(el, 'button[aria-expanded="true"]')).to.have.length(0);
    });

    it('Tab from an open menu moves on past the grid', async () => {
      await setViewport({ width: 360, height: 700 });
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <api-key-table .keys=${keys(2)} .now=${NOW}></api-key-table><button id="after">after</button>
      </div>`);
      const el = wrapper.querySelector('api-key-table')!;
      await settle(el);
      $<HTMLButtonElement>(el, '[data-row="0"] button[name="row-menu"]').focus();
      await press('Enter');
      await waitUntil(() => active()?.getAttribute('role') === 'menuitem');
      await press('Tab');
      await waitUntil(() => active() === wrapper.querySelector('#after'));
      expect($(el, '[role="menu"]').matches(':popover-open')).to.equal(false);
    });
  });

  describe('sort indicators', () => {
    it('▲ ascending, ▼ descending, only on the sorted column, with aria-sort only there; the default sort is marked', async () => {
      // Wide enough that Created is shown (narrower, it is the first column to give way).
      const wide = await fixture<HTMLElement>(html`<div style="inline-size: 1400px"><api-key-table .keys=${keys(3)} .now=${NOW}></api-key-table></div>`);
      const el = wide.querySelector('api-key-table')!;
      await settle(el);
      const indicators = () => $$(el, '[part="sort-indicator"]').map((i) => i.textContent.trim());
      expect(indicators().every((t) => t === '')).to.equal(true);
      expect($$(el, '[aria-sort]')).to.have.length(0);
      // The host says its rows come by creation date, newest first.
      el.defaultSort = { field: 'createdAt', direction: 'desc' };
      await settle(el);
      expect($$(el, '[aria-sort]').map((h) => [h.dataset['col'], h.getAttribute('aria-sort')])).to.deep.equal([['createdAt', 'descending']]);
      expect(text($(el, '[data-col="createdAt"] [part="sort-indicator"]'))).to.equal('▼');
      expect(indicators().filter((t) => t !== '')).to.deep.equal(['▼']);
      // A first click on the default column reverses it.
      $<HTMLButtonElement>(el, '[data-col="createdAt"] button').click();
      await settle(el);
      expect(el.sort).to.deep.equal({ field: 'createdAt', direction: 'asc' });
      expect(text($(el, '[data-col="createdAt"] [part="sort-indicator"]'))).to.equal('▲');
      $<HTMLButtonElement>(el, '[data-col="name"] button').click();
      await settle(el);
      expect($$(el, '[aria-sort]').map((h) => [h.dataset['col'], h.getAttribute('aria-sort')])).to.deep.equal([['name', 'ascending']]);
      expect(indicators().filter((t) => t !== '')).to.deep.equal(['▲']);
      $<HTMLButtonElement>(el, '[data-col="name"] button').click();
      await settle(el);
      expect(text($(el, '[data-col="name"] [part="sort-indicator"]'))).to.equal('▼');
      expect($(el, '[data-col="name"]').getAttribute('aria-sort')).to.equal('descending');
      // The indicator is decoration: the name of the button stays the column's.
      expect($(el, '[part="sort-indicator"]').getAttribute('aria-hidden')).to.equal('true');
      await expect(el).to.be.accessible();
    });
  });

  describe('legacy hosts', () => {
    it('offers no status filter where keys cannot expire or be revoked (22.02-24.10)', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${keys(2)} .now=${NOW} .capabilities=${LEGACY}></api-key-table>`);
      await settle(el);
      expect(el.shadowRoot!.querySelector('select')).to.equal(null);
      expect(el.shadowRoot!.querySelector('[part="status-filter"]')).to.equal(null);
      await expect(el).to.be.accessible();
      el.capabilities = MODERN;
      await settle(el);
      expect($$<HTMLOptionElement>(el, 'select option').map((o) => o.value)).to.deep.equal(['', 'active', 'expiring', 'expired', 'revoked']);
      // Unknown capabilities (e.g. several hosts): every status may apply.
      el.capabilities = null;
      await settle(el);
      expect($$(el, 'select option')).to.have.length(5);
    });
  });

  describe('Tab order', () => {
    it('Tab from a row, an action or a header moves to the control after the grid, not back to search', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div>
        <button id="before">before</button><api-key-table .keys=${keys(5)} .now=${NOW}></api-key-table><button id="after">after</button>
      </div>`);
      const el = wrapper.querySelector('api-key-table')!;
      const after = wrapper.querySelector('#after');
      await settle(el);
      $<HTMLButtonElement>(el, '[data-col="name"] button.sort').focus();
      await press('ArrowDown', 'ArrowDown', 'Tab');
      expect(active() === after, `focus on ${active()?.outerHTML.slice(0, 80)}`).to.equal(true);
      // From inside a row's actions.
      await press('Shift+Tab', 'End', 'Enter', 'ArrowRight');
      expect(active()?.getAttribute('data-action')).to.equal('reset');
      await press('Tab');
      expect(active() === after, `focus on ${active()?.outerHTML.slice(0, 80)}`).to.equal(true);
      // After a click on a cell.
      $(el, '.body [data-row="3"] [data-col="status"]').click();
      $(el, '.body [data-row="3"] [data-col="status"]').focus();
      await press('Tab');
      expect(active() === after, `focus on ${active()?.outerHTML.slice(0, 80)}`).to.equal(true);
    });
  });

  describe('highlight()', () => {
    it('scrolls the row into view and marks it for about 3 s', async () => {
      const el = await fixture<ApiKeyTable>(html`<api-key-table .keys=${keys(2000)} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(el.matches(':state(virtualized)')).to.equal(true);
      const start = performance.now();
      await el.highlight(1500);
      const row = $(el, '.body [data-highlight]');
      expect(row.getAttribute('part')).to.equal('row row-highlight');
      expect(text(row.querySelector('[data-col="name"]'))).to.equal('key-1500');
      const body = $(el, '.body').getBoundingClientRect();
      const box = row.getBoundingClientRect();
      expect(box.top).to.be.at.least(body.top - 0.5);
      expect(box.bottom).to.be.at.most(body.bottom + 0.5);
      expect(getComputedStyle(row).backgroundColor).to.not.equal(getComputedStyle($(el, '.body [role="row"]:not([data-highlight])')).backgroundColor);
      // It announces nothing itself.
      expect(text($(el, '[aria-live="polite"]'))).to.equal('');
      await expect(el).to.be.accessible();
      await waitUntil(() => el.shadowRoot!.querySelector('[data-highlight]') === null, 'highlight stays', { timeout: 5000, interval: 50 });
      const elapsed = performance.now() - start;
      expect(elapsed).to.be.within(2500, 4500);
      // An unknown id does nothing.
      await el.highlight(99_999);
      expect(el.shadowRoot!.querySelector('[data-highlight]')).to.equal(null);
    });
  });

  describe('columnsKey', () => {
    async function hideUsername(el: ApiKeyTable): Promise<CustomEvent> {
      $<HTMLButtonElement>(el, '[part="columns-button"]').click();
      await settle(el);
      const organizer = el.shadowRoot!.querySelector('nas-column-organizer')!.shadowRoot!;
      await waitUntil(() => organizer.querySelector('dialog')?.open);
      const box = organizer.querySelector<HTMLInputElement>('li[data-column="username"] input')!;
      setTimeout(() => box.click());
      const event = await oneEvent(el, 'nas-columns-change');
      organizer.querySelector<HTMLButtonElement>('[part="organizer-close"]')!.click();
      await settle(el);
      return event;
    }

    it('loads and saves the column layout in localStorage under the key', async () => {
      await setViewport({ width: 1280, height: 800 });
      const el = await fixture<ApiKeyTable>(html`<api-key-table columns-key="nas-test-columns" .keys=${keys(2)} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(headers(el)).to.include('username');
      await hideUsername(el);
      expect(headers(el)).to.not.include('username');
      const saved = JSON.parse(localStorage.getItem('nas-test-columns')!) as Array<{ id: string; visible: boolean }>;
      expect(saved.find((c) => c.id === 'username')).to.deep.equal({ id: 'username', visible: false });

      // A new table with the same key starts with the saved layout; another key does not.
      const again = await fixture<ApiKeyTable>(html`<api-key-table columns-key="nas-test-columns" .keys=${keys(2)} .now=${NOW}></api-key-table>`);
      await settle(again);
      expect(headers(again)).to.not.include('username');
      const other = await fixture<ApiKeyTable>(html`<api-key-table columns-key="other" .keys=${keys(2)} .now=${NOW}></api-key-table>`);
      await settle(other);
      expect(headers(other)).to.include('username');

      // A damaged saved value means the defaults.
      localStorage.setItem('broken', '{not json');
      const broken = await fixture<ApiKeyTable>(html`<api-key-table columns-key="broken" .keys=${keys(2)} .now=${NOW}></api-key-table>`);
      await settle(broken);
      expect(headers(broken)).to.include('username');
    });

    it('leaves the layout to a host page that sets columns or cancels nas-columns-change', async () => {
      await setViewport({ width: 1280, height: 800 });
      localStorage.setItem('k', JSON.stringify([{ id: 'local', visible: false }]));
      const hostColumns = [{ id: 'status' as const, visible: false }];
      const el = await fixture<ApiKeyTable>(html`<api-key-table columns-key="k" .columns=${hostColumns} .keys=${keys(2)} .now=${NOW}></api-key-table>`);
      await settle(el);
      expect(headers(el)).to.include('local');
      expect(headers(el)).to.not.include('status');
      await hideUsername(el);
      expect(JSON.parse(localStorage.getItem('k')!)).to.deep.equal([{ id: 'local', visible: false }]);

      const vetoed = await fixture<ApiKeyTable>(html`<api-key-table columns-key="v" .keys=${keys(2)} .now=${NOW} @nas-columns-change=${(e: Event) => e.preventDefault()}></api-key-table>`);
      await settle(vetoed);
      const event = await hideUsername(vetoed);
      expect(event.defaultPrevented).to.equal(true);
      expect(localStorage.getItem('v')).to.equal(null);
    });
  });

  it('is accessible narrow, in German, RTL and dark, with the menu open', async () => {
    await setViewport({ width: 375, height: 700 });
    const el = await pageTable('de');
    el.setAttribute('dir', 'rtl');
    await settle(el);
    await expect(el).to.be.accessible();
    document.documentElement.style.colorScheme = 'light dark'; // a page that supports both, on a dark system
    await emulateMedia({ colorScheme: 'dark' });
    $<HTMLButtonElement>(el, '[data-row="1"] button[name="row-menu"]').click();
    await waitUntil(() => $(el, '[role="menu"]').matches(':popover-open'));
    await settle(el);
    // RTL: the menu opens aligned with the button's left (inline end) edge.
    const menu = $(el, '[role="menu"]').getBoundingClientRect();
    const button = $(el, '[data-row="1"] button[name="row-menu"]').getBoundingClientRect();
    expect(Math.abs(menu.left - Math.max(4, button.left))).to.be.lessThan(1);
    expect(text($(el, '[role="menuitem"][data-action="delete"]'))).to.equal('Löschen');
    await expect(el).to.be.accessible();
  });
});
