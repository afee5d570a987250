/**
 * NAS text shown safely in every component: hidden characters as visible markers, the text
 * isolated (`<bdi>` in templates, FSI…PDI in sentences), blank names as "(unnamed key N)", long
 * text kept whole in the data but never wider than its place, markup inert, axe clean.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../define/index.js';
import type { ApiKeyTable } from '../api-key-table/api-key-table.js';
import type { ApiKeyManager } from '../api-key-manager/api-key-manager.js';
import type { ApiKeyRow } from '../model/api-key.js';
import { displayText, isBlank, isolate, textParts } from './display-text.js';
import { $, $$, payloadsInert, text } from './testing/dom.js';
import { MODERN, makeKey, makeSecret } from '../testing/sample-keys.js';
import { MemoryKeyService } from '../testing/memory-service.js';

const LONG = 'long-name-'.repeat(1000);

/** Hostile names and what the user must see for each (null: the "(unnamed key N)" stand-in). */
const CASES: Array<[string, string | null]> = [
  ['backup-\u202Etxt.exe\u202C-job', 'backup-\\u{202e}txt.exe\\u{202c}-job'],
  ['tab\there', 'tab\\u{9}here'],
  [' ', null],
  ['', null],
  [LONG, LONG],
  ['\u0000', '\\u{0}'],
  ['\u001b[31m', '\\u{1b}[31m'],
  ['مفتاح', 'مفتاح'],
  ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
];

const shown = (i: number) => CASES[i]![1] ?? `(unnamed key ${i + 1})`;
/** Any control, format or separator character that would act instead of showing (FSI/PDI allowed where we put them). */
const RAW = /[\p{Cc}\p{Zl}\p{Zp}\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066\u2067\ufeff]/u;

function rows(): ApiKeyRow[] {
  return CASES.map(([name], i) => ({ ...makeKey({ id: i + 1, name, username: name || null, revoked: true, revokedReason: name }), hostId: 'h', hostName: name }));
}

/** Whether `el` (or an ancestor up to `stop`) isolates its text from the surrounding bidi context. */
function isolated(el: Element, stop: Element): boolean {
  for (let node: Element | null = el; node && node !== stop; node = node.parentElement) {
    if (node.localName === 'bdi' || getComputedStyle(node).unicodeBidi.includes('isolate')) return true;
  }
  return false;
}

/** `inner` lies horizontally within `outer` (1 px of rounding). */
function within(inner: Element, outer: Element): boolean {
  const a = inner.getBoundingClientRect();
  const b = outer.getBoundingClientRect();
  return a.left >= b.left - 1 && a.right <= b.right + 1;
}

describe('display text (components/internal/display-text.ts)', () => {
  it('turns hidden characters into markers and leaves the rest alone', () => {
    for (const [name, expected] of CASES) if (expected !== null) expect(displayText(name)).to.equal(expected);
    expect(displayText('a\u0085b\u061cc\u200bd\u200de\u2060f\ufeffg\u00adh\u2028i\u2069j\u{E0041}k\ud800')).to.equal(
      'a\\u{85}b\\u{61c}c\\u{200b}d\\u{200d}e\\u{2060}f\\u{feff}g\\u{ad}h\\u{2028}i\\u{2069}j\\u{e0041}k\\u{d800}',
    );
    expect(displayText('Grüße 👋 日本 ✓')).to.equal('Grüße 👋 日本 ✓');
    expect(textParts('a\tb')).to.deep.equal(['a', '\\u{9}', 'b']);
  });

  it('isolates in FSI…PDI; an embedded PDI cannot close the isolate', () => {
    expect(isolate('x\u2069\u202Ey')).to.equal('\u2068x\\u{2069}\\u{202e}y\u2069');
  });

  it('calls empty and white-space names blank', () => {
    expect(['', ' ', '\t', '\u3000'].every(isBlank)).to.equal(true);
    expect(isBlank('\u200b')).to.equal(false);
  });
});

describe('<api-key-table> with hostile names', () => {
  it('shows every NAS text column with markers, isolated, within its cell, inert and axe-clean', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div style="inline-size: 1400px">
      <api-key-table multi-host .capabilities=${MODERN} .keys=${rows()} .now=${Date.UTC(2026, 0, 1)}></api-key-table>
    </div>`);
    const el = wrapper.querySelector<ApiKeyTable>('api-key-table')!;
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    const body = $$(el, '.body [role="row"]');
    expect(body).to.have.length(CASES.length);
    for (const row of body) {
      const i = Number(row.dataset['row']);
      const name = row.querySelector('[data-col="name"]')!;
      expect(text(name), `name ${i}`).to.equal(shown(i).replace(/\s+/g, ' '));
      for (const col of ['name', 'username', 'status', 'host']) {
        const cell = row.querySelector(`[data-col="${col}"]`)!;
        const value = col === 'status' ? cell.querySelector('[part="status-reason"]') : cell.querySelector('.truncate');
        if (!value) continue; // a blank reason or owner shows nothing to check
        expect(RAW.test(value.textContent ?? ''), `${col} ${i}: no raw controls`).to.equal(false);
        if (CASES[i]![1] !== null) expect(isolated(value.querySelector('bdi') ?? value, cell), `${col} ${i} isolated`).to.equal(true);
        expect(cell.scrollWidth, `${col} ${i} overflows`).to.be.at.most(cell.clientWidth + 1);
        expect(within(value, cell), `${col} ${i} within its cell`).to.equal(true);
      }
    }
    // Markers are styled spans; the full text is in the title; an RTL name runs right to left in its isolate.
    const first = body.find((r) => r.dataset['row'] === '0')!;
    expect($$(el, '.body [data-row="0"] [data-col="name"] .ctl').map((m) => m.textContent)).to.deep.equal(['\\u{202e}', '\\u{202c}']);
    expect(getComputedStyle(first.querySelector('.ctl')!).backgroundColor).not.to.equal(getComputedStyle(first).backgroundColor);
    const long = $(el, '.body [data-row="4"] [data-col="name"] .truncate');
    expect(long.title).to.equal(LONG);
    expect(long.scrollWidth).to.be.greaterThan(long.clientWidth);
    expect(getComputedStyle($(el, '.body [data-row="7"] [data-col="name"] bdi')).direction).to.equal('rtl');
    // Sentences (screen-reader labels) carry the isolated display name.
    expect(text($(el, '.body [data-row="0"] [data-action="edit"] .sr-only'))).to.equal('Edit: \u2068backup-\\u{202e}txt.exe\\u{202c}-job\u2069');
    expect(text($(el, '.body [data-row="2"] [data-action="edit"] .sr-only'))).to.equal('Edit: \u2068(unnamed key 3)\u2069');
    // All rows are as wide as the grid: no name widens its row.
    expect(new Set(body.map((r) => Math.round(r.getBoundingClientRect().width))).size).to.equal(1);
    expect(payloadsInert(el.shadowRoot!)).to.equal(true);
    await expect(el).to.be.accessible();
  });
});

describe('<key-reveal-dialog> with hostile names', () => {
  it('names the key as isolated display text without overflowing', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div><key-reveal-dialog></key-reveal-dialog></div>`);
    const dialog = wrapper.querySelector('key-reveal-dialog')!;
    for (const [i, [name]] of CASES.entries()) {
      await dialog.show({ key: makeKey({ id: i + 1, name }), secret: makeSecret(i + 1) });
      await dialog.updateComplete;
      const p = $(dialog, '[part="key-name"]');
      expect(p.textContent, `name ${i}`).to.equal(`Key "\u2068${shown(i)}\u2069"`);
      expect(RAW.test(p.textContent), `no raw controls ${i}`).to.equal(false);
      expect(p.scrollWidth, `name ${i} overflows`).to.be.at.most(p.clientWidth + 1);
      const native = $(dialog, 'dialog');
      expect(native.scrollWidth, `dialog ${i} overflows`).to.be.at.most(native.clientWidth + 1);
      expect(payloadsInert(dialog.shadowRoot!)).to.equal(true);
      if (i === 0 || i === 4) await expect(dialog).to.be.accessible();
      await dialog.hide();
    }
  });
});

describe('<delete-key-dialog> with hostile names', () => {
  it('names key, owner and host as isolated display text without overflowing', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div><delete-key-dialog></delete-key-dialog></div>`);
    const dialog = wrapper.querySelector('delete-key-dialog')!;
    for (const [i, row] of rows().entries()) {
      await dialog.show(row);
      await dialog.updateComplete;
      const message = $(dialog, '[part="message"]');
      expect(message.querySelector('.name')!.textContent, `name ${i}`).to.equal(`Delete the API key "\u2068${shown(i)}\u2069"?`);
      if (row.hostName) expect(isolated(message.querySelector('p:nth-of-type(3) bdi') ?? message, message), `host ${i} isolated`).to.equal(true);
      for (const p of message.querySelectorAll('p')) {
        expect(RAW.test(p.textContent), `no raw controls ${i}`).to.equal(false);
        expect(p.scrollWidth, `${i}: ${p.textContent.slice(0, 30)}`).to.be.at.most(p.clientWidth + 1);
      }
      const native = $(dialog, 'dialog');
      expect(native.scrollWidth, `dialog ${i} overflows`).to.be.at.most(native.clientWidth + 1);
      expect(payloadsInert(dialog.shadowRoot!)).to.equal(true);
      if (i === 0 || i === 7) await expect(dialog).to.be.accessible();
      await dialog.hide();
    }
  });
});

describe('<api-key-manager> with hostile names', () => {
  it('edit title and notices show the isolated display name', async () => {
    const service = new MemoryKeyService(undefined, rows().map((row) => makeKey(row)));
    const wrapper = await fixture<HTMLDivElement>(html`<div><api-key-manager .service=${service}></api-key-manager></div>`);
    const manager = wrapper.querySelector<ApiKeyManager>('api-key-manager')!;
    const table = () => $<ApiKeyTable>(manager, 'api-key-table');
    await waitUntil(() => table().keys.length === CASES.length, 'keys loaded');
    for (const i of [0, 3, 4]) {
      await table().updateComplete;
      const row = $$(table(), '.body [role="row"]').find((r) => text(r.querySelector('[data-col="name"]')) === shown(i).replace(/\s+/g, ' '))!;
      row.querySelector<HTMLButtonElement>('[data-action="edit"]')!.click();
      const dialog = $<HTMLDialogElement>(manager, 'dialog.form-dialog');
      await waitUntil(() => dialog.open, 'form open');
      const title = $(manager, '#form-title');
      expect(title.textContent).to.equal(`Edit API key "\u2068${shown(i)}\u2069"`);
      expect(dialog.scrollWidth, `dialog ${i} overflows`).to.be.at.most(dialog.clientWidth + 1);
      if (i === 0) await expect(manager).to.be.accessible();
      $(manager.shadowRoot!.querySelector('api-key-form')!, '[part="cancel-button"]').click();
      await waitUntil(() => !dialog.open, 'form closed');
    }
    // A notice (a plain sentence) after a delete.
    $$(table(), '.body [data-row="0"] [data-action="delete"]')[0]!.click();
    const confirm = $(manager, 'delete-key-dialog');
    await waitUntil(() => confirm.shadowRoot?.querySelector('input[type="checkbox"]'), 'delete dialog open');
    $<HTMLInputElement>(confirm, 'input[type="checkbox"]').click();
    await (confirm as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
    $(confirm, '[part="delete-button"]').click();
    await waitUntil(() => $$(manager, '[part~="notice"]').length > 0, 'notice shown');
    expect(text($(manager, '[part~="notice"] span'))).to.equal(`API key "\u2068${shown(0)}\u2069" deleted.`);
    expect(payloadsInert(manager.shadowRoot!)).to.equal(true);
  });
});
