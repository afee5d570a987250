import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullViewSearch, parseFullViewParams } from '../../extension/manager/params.js';

test('the full view address names a host, and optionally a key and an action', () => {
  assert.deepEqual(parseFullViewParams('?host=h1'), { hostId: 'h1', open: null });
  assert.deepEqual(parseFullViewParams('?host=h1&key=42&action=edit'), { hostId: 'h1', open: { keyId: 42, action: 'edit' } });
  assert.deepEqual(parseFullViewParams('?host=h1&key=7&action=reset'), { hostId: 'h1', open: { keyId: 7, action: 'reset' } });
  assert.deepEqual(parseFullViewParams('?host=h1&key=7&action=delete'), { hostId: 'h1', open: { keyId: 7, action: 'delete' } });
  assert.deepEqual(parseFullViewParams(''), { hostId: null, open: null });
});

test('an action is never guessed: unknown actions, bad or missing key ids are ignored', () => {
  for (const search of ['?host=h1&key=42&action=quick-reset', '?host=h1&key=42', '?host=h1&action=edit', '?host=h1&key=-1&action=edit', '?host=h1&key=4.2&action=edit', '?host=h1&key=1e3&action=edit', '?host=h1&key=&action=edit']) {
    assert.equal(parseFullViewParams(search).open, null, search);
  }
});

test('the page keeps only the host in its address', () => {
  assert.equal(fullViewSearch('a b&c'), '?host=a+b%26c');
  assert.equal(parseFullViewParams(fullViewSearch('a b&c')).hostId, 'a b&c');
});
