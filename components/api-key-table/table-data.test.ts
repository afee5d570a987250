import { expect } from '@open-wc/testing';
import type { ApiKeyRow } from '../model/api-key.js';
import { DEFAULT_COLUMNS, KeyIndex, normalizeColumns, rowKey, type ViewQuery } from './table-data.js';

const NOW = Date.UTC(2026, 2, 1, 12);
const DAY = 86_400_000;

function row(id: number, name: string, overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return { id, name, username: null, userIdentifier: null, local: null, createdAt: null, expiresAt: null, revoked: false, revokedReason: null, allowlist: null, ...overrides };
}

const q = (overrides: Partial<ViewQuery> = {}): ViewQuery => ({ sort: null, search: '', status: null, now: NOW, soonDays: 14, lang: 'en', ...overrides });

/** Random names with umlauts, case variants, duplicates and shared prefixes. */
function randomNames(count: number, seed = 7, spread = 50): string[] {
  const parts = ['backup', 'Backup', 'äpfel', 'Apfel', 'zebra', 'Ölmühle', 'ci', 'ci-2', 'ci-10', 'straße', 'strasse', '_x', '#1'];
  let s = seed;
  const next = () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  return Array.from({ length: count }, () => `${parts[Math.floor(next() * parts.length)]}${next() < 0.5 ? '' : `-${Math.floor(next() * spread)}`}`);
}

describe('table data', () => {
  it('sorts strings exactly like a stable Intl.Collator sort, both ways, in English and German', () => {
    const rows = randomNames(3000).map((name, i) => row(i + 1, name, { username: i % 7 === 0 ? null : name.toUpperCase() }));
    for (const lang of ['en', 'de']) {
      const collator = new Intl.Collator(lang);
      const index = new KeyIndex(rows);
      for (const field of ['name', 'username'] as const) {
        const present = rows.filter((r) => r[field] !== null);
        const missing = rows.filter((r) => r[field] === null);
        const asc = [...present].sort((a, b) => collator.compare(a[field]!, b[field]!) || a.id - b.id);
        expect(index.view(q({ lang, sort: { field, direction: 'asc' } }))).to.deep.equal([...asc, ...missing]);
        const desc = [...present].sort((a, b) => collator.compare(b[field]!, a[field]!) || a.id - b.id);
        expect(index.view(q({ lang, sort: { field, direction: 'desc' } }))).to.deep.equal([...missing, ...desc]);
      }
    }
  });

  it('sorts in tiny resumable steps to the same order as at once, and copes with no rows', () => {
    const rows = [...new Set(randomNames(5000, 3, 100_000))].map((name, i) => row(i + 1, name));
    expect(rows.length).to.be.greaterThan(2000);
    const compare = new Intl.Collator('de').compare;
    const stepped = new KeyIndex(rows);
    let calls = 0;
    while (!stepped.prepare('name', 'de', () => false)) calls++;
    expect(calls).to.be.greaterThan(10);
    const sort = { field: 'name', direction: 'asc' } as const;
    expect(stepped.view(q({ lang: 'de', sort }))).to.deep.equal([...rows].sort((a, b) => compare(a.name, b.name) || a.id - b.id));
    expect(new KeyIndex([]).view(q({ sort }))).to.deep.equal([]);
    expect(new KeyIndex([]).prepare('name', 'en', () => true)).to.equal(true);
  });

  it('sorts like the collator where letter-by-letter weights mislead: contractions, expansions, ignorables, case, surrogates', () => {
    const cases: Array<[string, string[]]> = [
      // Czech "ch" is one letter, after "h".
      ['cs', ['cha', 'hb', 'ca', 'Cha', 'chb', 'ha', 'c', 'h', 'ch']],
      // "ß" expands to "ss"; "æ" to "ae" in Danish order it is a letter after "z".
      ['de', ['straße', 'strasse', 'strasse-1', 'straße-1', 'strasse-10', 'Straße', 'strasze', 'strasa']],
      ['da', ['æble', 'aeble', 'zebra', 'aa', 'å', 'ab', 'Æble']],
      // Soft hyphen and zero-width space are ignorable; NUL too.
      ['en', ['co\u00adop', 'coop', 'co\u200bop', 'coo', 'coopa', 'co\u0000op', 'Coop']],
      // Case and accent variants only (equal weights), emoji (surrogate pairs), digits and punctuation.
      ['en', ['résumé', 'Resume', 'resume', 'RESUME', 'résume', '😀a', '😀', 'a😀', '10', '9', '1-0', '1 0', '_a', 'a_', '']],
    ];
    for (const [lang, names] of cases) {
      const rows = names.map((name, i) => row(i + 1, name));
      const collator = new Intl.Collator(lang);
      const expected = [...rows].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id).map((r) => r.name);
      for (const direction of ['asc', 'desc'] as const) {
        const got = new KeyIndex(rows).view(q({ lang, sort: { field: 'name', direction } })).map((r) => r.name);
        const want = direction === 'asc' ? expected : [...rows].sort((a, b) => collator.compare(b.name, a.name) || a.id - b.id).map((r) => r.name);
        expect(got, `${lang} ${direction}`).to.deep.equal(want);
      }
    }
  });

  it('prepare() in small budgets yields the same sort as computing on demand', () => {
    const rows = randomNames(4000, 11, 100_000).map((name, i) => row(i + 1, name));
    const prepared = new KeyIndex(rows);
    let slices = 0;
    while (!prepared.prepare('name', 'en', () => false)) slices++;
    expect(slices).to.be.greaterThan(5);
    const query = q({ sort: { field: 'name', direction: 'asc' }, search: 'ci' });
    expect(prepared.view(query)).to.deep.equal(new KeyIndex(rows).view(query));
  });

  it('sorts numbers and flags with missing values last, stable on ties', () => {
    const rows = [
      row(1, 'a', { createdAt: 5, local: true, expiresAt: null }),
      row(2, 'b', { createdAt: null, local: null, expiresAt: NOW + DAY }),
      row(3, 'c', { createdAt: 5, local: false, expiresAt: NOW - DAY }),
      row(4, 'd', { createdAt: 1, local: true, expiresAt: NOW + DAY }),
    ];
    const index = new KeyIndex(rows);
    const names = (query: ViewQuery) => index.view(query).map((r) => r.name);
    expect(names(q({ sort: { field: 'createdAt', direction: 'asc' } }))).to.deep.equal(['d', 'a', 'c', 'b']);
    expect(names(q({ sort: { field: 'createdAt', direction: 'desc' } }))).to.deep.equal(['b', 'a', 'c', 'd']);
    expect(names(q({ sort: { field: 'local', direction: 'asc' } }))).to.deep.equal(['c', 'a', 'd', 'b']);
    expect(names(q({ sort: { field: 'expiresAt', direction: 'asc' } }))).to.deep.equal(['c', 'b', 'd', 'a']);
    expect(names(q({ sort: { field: 'status', direction: 'asc' } }))).to.deep.equal(['a', 'b', 'd', 'c']);
  });

  it('filters by status and search together and never copies rows', () => {
    const rows = [
      row(1, 'Backup', { username: 'root', expiresAt: NOW + 2 * DAY }),
      row(2, 'other', { username: 'backup-user', revoked: true }),
      row(3, 'third', { username: 'x' }),
    ];
    const index = new KeyIndex(rows);
    expect(index.view(q({ search: '  BACKUP ' }))).to.deep.equal([rows[0], rows[1]]);
    expect(index.view(q({ search: 'backup', status: 'revoked' }))[0]).to.equal(rows[1]);
    expect(index.view(q({ status: 'expiring' }))).to.deep.equal([rows[0]]);
    expect(index.view(q({ status: 'expiring', soonDays: 1 }))).to.deep.equal([]);
    expect(index.view(q({ status: 'active' }))).to.deep.equal([rows[2]]);
  });

  it('normalizes saved column layouts and builds row keys', () => {
    expect(normalizeColumns(undefined)).to.deep.equal(DEFAULT_COLUMNS.map((c) => ({ ...c })));
    const repaired = normalizeColumns([{ id: 'status', visible: false }, { id: 'name', visible: false }]);
    expect(repaired.slice(0, 2)).to.deep.equal([
      { id: 'status', visible: false },
      { id: 'name', visible: true },
    ]);
    expect(repaired).to.have.length(DEFAULT_COLUMNS.length);
    expect(rowKey({ id: 4 })).to.equal('4');
    expect(rowKey({ id: 4, hostId: 'nas-a' })).to.equal('nas-a#4');
  });
});
