/**
 * The popup loads only its language's tables (extension/shared/i18n/lazy.ts): German users get
 * German chunks only; if those fail to load, English; if English fails too, the error (the popup
 * then shows what it can, see popup.ts). The real chunk loads are covered by the popup e2e tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUiTables, type Tables } from '../../extension/shared/i18n/lazy.js';

const table = (code: string) => [{ $code: code }, { $code: code }] as unknown as Tables;

test('the UI language is loaded, and nothing else', async () => {
  const asked: string[] = [];
  const [ext] = await loadUiTables('de', async (lang) => (asked.push(lang), table(lang)));
  assert.equal(ext.$code, 'de');
  assert.deepEqual(asked, ['de']);
});

test('German chunks that fail to load fall back to English', async () => {
  const asked: string[] = [];
  const [ext] = await loadUiTables('de', async (lang) => {
    asked.push(lang);
    if (lang === 'de') throw new Error('chunk failed');
    return table(lang);
  });
  assert.equal(ext.$code, 'en');
  assert.deepEqual(asked, ['de', 'en']);
});

test('when English fails too, the error reaches the page; English is not asked twice', async () => {
  const asked: string[] = [];
  const failing = async (lang: string): Promise<Tables> => {
    asked.push(lang);
    throw new Error(`${lang} failed`);
  };
  await assert.rejects(loadUiTables('de', failing), /en failed/);
  await assert.rejects(loadUiTables('en', failing), /en failed/);
  assert.deepEqual(asked, ['de', 'en', 'en']);
});

test('the real loaders give complete tables for every shipped language', async () => {
  for (const lang of ['en', 'de']) {
    const [ext, components] = await loadUiTables(lang);
    assert.equal(ext.$code, lang);
    assert.equal((components as { $code?: string }).$code, lang);
  }
});
