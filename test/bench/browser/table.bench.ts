/**
 * <api-key-table> in headless Chromium: first render of 10,000 and 100,000 keys, sort and filter,
 * against plain (non-virtualized) Lit `repeat()` renders of the same rows in the same run.
 * "virtualized" is the table's own windowing: only the rows in view (plus a few) are in the DOM.
 *
 * - "first render": element appended → first rows in the DOM → one more frame (so style, layout and
 *   paint of what was rendered are included).
 * - "plain, same templates": the same component with virtualization off (`virtualizeThreshold`
 *   Infinity), i.e. a plain `repeat()` over every row with the table's own cell templates.
 * - "minimal repeat()": a bare Lit `repeat()` of the same rows as plain text cells (no formatting),
 *   the cheapest plain render possible.
 * - sort/filter "data": the engine alone (KeyIndex.view); "update": property set → Lit update done
 *   (includes the data work); "on screen": until the new first row is in the DOM, plus one frame.
 *   "cold" = a fresh keys array and the change in one update (collation order computed then);
 *   "after idle warm-up" = the first change once the table sat idle briefly (the table prepares the
 *   name order and search text in idle time); "warm" = cached order.
 * Every figure is the median of several runs.
 */
import { html, render } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import '../../../components/define/api-key-table.js';
import type { ApiKeyTable } from '../../../components/api-key-table/api-key-table.js';
import { KeyIndex, type TableSort, type ViewQuery } from '../../../components/api-key-table/table-data.js';
import { keyStatus, type ApiKeyRow, type KeyStatus } from '../../../components/model/api-key.js';
import { median, type BenchRow } from '../bench.js';

const NOW = Date.UTC(2026, 2, 1, 12);
const DAY = 86_400_000;
const RUNS = 5;

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function until(check: () => boolean, timeoutMs = 180_000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('benchmark condition not reached');
    await frame();
  }
}

/** Deterministic, realistic keys: unique mixed names, a few owners, some revoked, some expiring. */
function makeKeys(count: number): ApiKeyRow[] {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const words = ['backup', 'Home Assistant', 'proxmox', 'grafana', 'ci-runner', 'zabbix', 'Replication', 'sync', 'Ümlaut-tool', 'monitor', 'Äpfel', 'terraform'];
  const users = ['truenas_admin', 'root', 'backup', 'ha', 'monitor', 'builder', null];
  return Array.from({ length: count }, (_, i) => {
    const revoked = random() < 0.05;
    const expiry = random();
    return {
      id: i + 1,
      // Names are unique on a NAS: a word plus a scrambled (prime-stride) unique number.
      name: `${words[Math.floor(random() * words.length)]}-${(i * 7919) % count}`,
      username: users[Math.floor(random() * users.length)] ?? null,
      userIdentifier: i,
      local: random() < 0.8,
      createdAt: NOW - Math.floor(random() * 900) * DAY,
      expiresAt: expiry < 0.5 ? null : NOW + Math.floor((random() - 0.2) * 400) * DAY,
      revoked,
      revokedReason: revoked ? 'Attempt to use over an insecure transport' : null,
      allowlist: null,
    };
  });
}

const r1 = (ms: number) => Math.round(ms * 10) / 10;

function firstName(el: ApiKeyTable): string | null {
  return el.shadowRoot?.querySelector('.body [aria-rowindex="2"] [data-col="name"]')?.textContent?.trim() ?? null;
}

function domRows(el: Element): number {
  return el.shadowRoot?.querySelectorAll('.body [role="row"]').length ?? 0;
}

async function settle(): Promise<void> {
  await frame();
  await frame();
}

/** Appends a table and waits until its first rows are on screen. */
async function mountTable(keys: ApiKeyRow[], plain = false): Promise<{ el: ApiKeyTable; ms: number }> {
  const el = document.createElement('api-key-table');
  el.now = NOW;
  el.keys = keys;
  if (plain) el.virtualizeThreshold = Infinity;
  const t0 = performance.now();
  document.body.append(el);
  await until(() => domRows(el) > 0);
  await frame();
  return { el, ms: performance.now() - t0 };
}

/** The cheapest plain Lit render of the same rows: text cells in a div grid, no formatting. */
async function mountMinimal(keys: ApiKeyRow[]): Promise<{ host: HTMLElement; ms: number }> {
  const host = document.createElement('div');
  const t0 = performance.now();
  document.body.append(host);
  render(
    html`<div role="grid">
      ${repeat(
        keys,
        (k) => k.id,
        (k, i) => html`<div role="row" aria-rowindex=${i + 2} style="display:grid;grid-template-columns:2fr 1fr 1fr 1fr 1fr">
          <div role="gridcell">${k.name}</div>
          <div role="gridcell">${k.username ?? ''}</div>
          <div role="gridcell">${keyStatus(k, NOW)}</div>
          <div role="gridcell">${k.createdAt ?? ''}</div>
          <div role="gridcell">${k.expiresAt ?? ''}</div>
        </div>`,
      )}
    </div>`,
    host,
  );
  await frame();
  await frame();
  return { host, ms: performance.now() - t0 };
}

async function firstRender(count: number, keys: ApiKeyRow[], rows: BenchRow[]): Promise<void> {
  const label = `${count / 1000}k`;
  const virt: number[] = [];
  let virtRows = 0;
  for (let i = 0; i < RUNS; i++) {
    const { el, ms } = await mountTable(keys);
    virt.push(ms);
    virtRows = domRows(el);
    el.remove();
    await settle();
  }
  rows.push({ name: `table ${label}: first render (virtualized)`, value: r1(median(virt)), unit: 'ms', note: `${virtRows} rows in DOM; runs ${virt.map(Math.round).join('/')}` });

  // Plain renders get slow fast: fewer runs, and 100k only if 10k was quick enough to extrapolate.
  const plainRuns = count > 10_000 ? 1 : 3;
  const plain: number[] = [];
  for (let i = 0; i < plainRuns; i++) {
    const { el, ms } = await mountTable(keys, true);
    plain.push(ms);
    el.remove();
    await settle();
  }
  rows.push({ name: `table ${label}: first render (plain repeat(), same templates)`, value: r1(median(plain)), unit: 'ms', note: `${count} rows in DOM; runs ${plain.map(Math.round).join('/')}` });

  const minimal: number[] = [];
  for (let i = 0; i < plainRuns; i++) {
    const { host, ms } = await mountMinimal(keys);
    minimal.push(ms);
    host.remove();
    await settle();
  }
  rows.push({ name: `lit ${label}: first render (minimal plain repeat())`, value: r1(median(minimal)), unit: 'ms', note: `text-only cells; runs ${minimal.map(Math.round).join('/')}` });
}

const query = (sort: TableSort | null, search = '', status: KeyStatus | null = null): ViewQuery => ({ sort, search, status, now: NOW, soonDays: 14, lang: 'en' });

/**
 * The engine alone: cold (fresh index) and warm (cached order) medians. One untimed run first, so
 * "cold" means a fresh keys array, not code the JIT has never seen (the table's own renders of
 * the same rows, timed below, run with warm code too).
 */
function dataTimes(keys: ApiKeyRow[], q: ViewQuery): { cold: number; warm: number; result: ApiKeyRow[]; runs: number[] } {
  const cold: number[] = [];
  const warm: number[] = [];
  let result: ApiKeyRow[] = new KeyIndex(keys).view(q);
  for (let i = 0; i < RUNS; i++) {
    const index = new KeyIndex(keys);
    let t0 = performance.now();
    result = index.view(q);
    cold.push(performance.now() - t0);
    t0 = performance.now();
    index.view(q);
    warm.push(performance.now() - t0);
  }
  return { cold: median(cold), warm: median(warm), result, runs: cold };
}

/** Sets properties on a mounted table and times the update and the first frame showing `expectedFirst`. */
async function timeChange(el: ApiKeyTable, change: () => void, expectedFirst: string | null): Promise<{ update: number; screen: number }> {
  const t0 = performance.now();
  change();
  await el.updateComplete;
  const update = performance.now() - t0;
  await until(() => (expectedFirst === null ? domRows(el) === 0 : firstName(el) === expectedFirst));
  await frame();
  return { update, screen: performance.now() - t0 };
}

async function sortAndFilter(count: number, keys: ApiKeyRow[], rows: BenchRow[]): Promise<void> {
  const label = `${count / 1000}k`;
  const { el } = await mountTable(keys);
  /** Back to the unsorted, unfiltered view of `keys`, settled on screen. */
  const reset = async (fresh: ApiKeyRow[]) => {
    el.keys = fresh;
    el.sort = null;
    el.search = '';
    el.statusFilter = null;
    await el.updateComplete;
    await until(() => firstName(el) === fresh[0]!.name);
    await settle();
  };

  const cases: Array<{ name: string; q: ViewQuery; apply: () => void; idle: boolean }> = [
    { name: 'sort by name', q: query({ field: 'name', direction: 'asc' }), apply: () => (el.sort = { field: 'name', direction: 'asc' }), idle: true },
    { name: 'sort by created', q: query({ field: 'createdAt', direction: 'desc' }), apply: () => (el.sort = { field: 'createdAt', direction: 'desc' }), idle: false },
    { name: 'sort by status', q: query({ field: 'status', direction: 'asc' }), apply: () => (el.sort = { field: 'status', direction: 'asc' }), idle: false },
    { name: 'search "proxmox"', q: query(null, 'proxmox'), apply: () => (el.search = 'proxmox'), idle: true },
    { name: 'filter status revoked', q: query(null, '', 'revoked'), apply: () => (el.statusFilter = 'revoked'), idle: false },
  ];
  for (const c of cases) {
    const data = dataTimes(keys, c.q);
    const expected = data.result[0]?.name ?? null;
    const matched = c.name.startsWith('sort') ? '' : `; ${data.result.length} of ${count} match`;
    rows.push({ name: `${c.name} ${label}: data (cold)`, value: r1(data.cold), unit: 'ms', note: `engine only, fresh index${matched}; runs ${data.runs.map(r1).join('/')}` });
    rows.push({ name: `${c.name} ${label}: data (warm)`, value: r1(data.warm), unit: 'ms', note: 'engine only, cached order/search text' });

    // Cold: a new keys array and the sort/filter arrive in the same update; no idle time in between.
    const update: number[] = [];
    const screen: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await reset(keys.slice());
      const t = await timeChange(
        el,
        () => {
          el.keys = keys.slice();
          c.apply();
        },
        expected,
      );
      update.push(t.update);
      screen.push(t.screen);
    }
    rows.push({ name: `${c.name} ${label}: update (cold)`, value: r1(median(update)), unit: 'ms', note: `new keys + change in one update -> Lit update done; runs ${update.map(r1).join('/')}` });
    rows.push({ name: `${c.name} ${label}: on screen (cold)`, value: r1(median(screen)), unit: 'ms', note: 'until the new first row is in the DOM, + 1 frame' });

    if (c.idle) {
      // After the keys have been shown for a moment: the idle warm-up has prepared name order and search text.
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await reset(keys.slice());
        await new Promise((r) => setTimeout(r, count > 10_000 ? 2000 : 500));
        warm.push((await timeChange(el, c.apply, expected)).update);
      }
      rows.push({ name: `${c.name} ${label}: update (after idle warm-up)`, value: r1(median(warm)), unit: 'ms', note: 'first change once the table was idle briefly' });
    }
  }

  // Flipping the direction of an already computed sort (what a second header click costs).
  await reset(keys.slice());
  el.sort = { field: 'name', direction: 'asc' };
  await el.updateComplete;
  el.sort = { field: 'name', direction: 'desc' };
  await el.updateComplete;
  const flips: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const direction = i % 2 ? 'desc' : 'asc';
    const t0 = performance.now();
    el.sort = { field: 'name', direction };
    await el.updateComplete;
    flips.push(performance.now() - t0);
    await settle();
  }
  rows.push({ name: `sort by name ${label}: direction flip, update (warm)`, value: r1(median(flips)), unit: 'ms', note: 'both orders cached' });
  el.remove();
  await settle();
}

export default async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const all = makeKeys(100_000);
  const tenK = all.slice(0, 10_000);
  await firstRender(10_000, tenK, rows);
  await sortAndFilter(10_000, tenK, rows);
  // Extrapolate the plain 100k render from 10k; run it only if it should finish within ~60 s.
  const plain10k = rows.find((r) => r.name.startsWith('table 10k: first render (plain'))!.value;
  if (plain10k * 10 < 60_000) {
    await firstRender(100_000, all, rows);
  } else {
    const virt: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { el, ms } = await mountTable(all);
      virt.push(ms);
      el.remove();
      await settle();
    }
    rows.push({ name: 'table 100k: first render (virtualized)', value: r1(median(virt)), unit: 'ms' });
    rows.push({ name: 'table 100k: first render (plain)', value: -1, unit: 'ms', note: `skipped: 10k took ${plain10k} ms, 100k would take about ${Math.round(plain10k * 10)} ms` });
  }
  await sortAndFilter(100_000, all, rows);
  return rows;
}
