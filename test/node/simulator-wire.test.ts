import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DateValue} from '../../scripts/simulator/wire.js';
import { PyJsonError, PyRecursionError, decodeEjson, encodeDate, parsePythonJson, pyLength, pyRepr } from '../../scripts/simulator/wire.js';
import { parseIso } from '../../scripts/simulator/query.js';

// Inputs and the exact messages CPython 3.11's json.loads gives for them (captured from python3).
const PYTHON_ERRORS: Array<[string, string]> = [
  ["{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
  ["[1", "Expecting ',' delimiter: line 1 column 3 (char 2)"],
  ["{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"],
  ["{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"],
  ["[1,]", "Expecting value: line 1 column 4 (char 3)"],
  ["tru", "Expecting value: line 1 column 1 (char 0)"],
  ["\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"],
  ["\"a\\x\"", "Invalid \\escape: line 1 column 3 (char 2)"],
  ["\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"],
  ["{\"a\":1}x", "Extra data: line 1 column 8 (char 7)"],
  ["", "Expecting value: line 1 column 1 (char 0)"],
  ["  ", "Expecting value: line 1 column 3 (char 2)"],
  ["{1:2}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
  ["[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"],
  ["\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"],
  ["\ufeff{}", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"],
  ["{\"a\":\n  [1,\n  2,,]}", "Expecting value: line 3 column 5 (char 16)"],
  ["{\"a\"", "Expecting ':' delimiter: line 1 column 5 (char 4)"],
  ["{\"a\":", "Expecting value: line 1 column 6 (char 5)"],
  ["[", "Expecting value: line 1 column 2 (char 1)"],
  ["nul", "Expecting value: line 1 column 1 (char 0)"],
  ["-", "Expecting value: line 1 column 1 (char 0)"],
  ["01", "Extra data: line 1 column 2 (char 1)"],
  ["1.", "Extra data: line 1 column 2 (char 1)"],
  ["{\"a\":1 \"b\":2}", "Expecting ',' delimiter: line 1 column 8 (char 7)"],
  ["[\"x\" ,]", "Expecting value: line 1 column 7 (char 6)"],
];

test('malformed JSON gets the same error text as Python json.loads', () => {
  for (const [input, message] of PYTHON_ERRORS) {
    assert.throws(() => parsePythonJson(input), (e: unknown) => e instanceof PyJsonError && e.message === message, `input ${JSON.stringify(input)}`);
  }
});

test('Python-only JSON (NaN, Infinity) parses like Python', () => {
  assert.deepEqual(parsePythonJson('[NaN, Infinity, -Infinity, 1]'), [NaN, Infinity, -Infinity, 1]);
  assert.deepEqual(parsePythonJson('{"a": [1, {"b": null}]}'), { a: [1, { b: null }] });
});

test('nesting past Python\'s recursion limit is a RecursionError, not a parse error', () => {
  assert.throws(() => parsePythonJson('['.repeat(5000) + ']'.repeat(5000)), PyRecursionError);
  assert.throws(() => parsePythonJson('['.repeat(5000)), PyRecursionError);
  assert.doesNotThrow(() => parsePythonJson('['.repeat(100) + ']'.repeat(100)));
});

test('lengths count code points like Python', () => {
  assert.equal(pyLength('abc'), 3);
  assert.equal(pyLength('\u{1F600}x'), 2);
});

test('ejson dates: whole seconds from 22.12, the 25.10-and-older decoder double-adds sub-seconds', () => {
  assert.deepEqual(encodeDate(1_700_000_000_123, false), { $date: 1_700_000_000_000 });
  assert.deepEqual(encodeDate(1_700_000_000_123, true), { $date: 1_700_000_000_123 });
  const doubled = decodeEjson({ a: [{ $date: 1_700_000_000_123 }] }, true) as { a: DateValue[] };
  assert.equal(doubled.a[0]!.ms, 1_700_000_000_246);
  const fixed = decodeEjson({ $date: 1_700_000_000_123 }, false) as DateValue;
  assert.equal(fixed.ms, 1_700_000_000_123);
  assert.throws(() => decodeEjson({ $date: 'soon' }, true), /Error parsing \$date: unsupported operand type\(s\) for \/: 'str' and 'int'/);
  assert.deepEqual(decodeEjson({ $date: 1, other: 2 }, true), { $date: 1, other: 2 }, 'only a one-key object is a date');
});

test('repr of values matches Python', () => {
  assert.equal(pyRepr([1, 'a', null, true, { k: "it's" }]), `[1, 'a', None, True, {'k': "it's"}]`);
});

test('ISO timestamps for .$date filters', () => {
  assert.equal(parseIso('2025-01-01T00:00:00'), Date.UTC(2025, 0, 1));
  assert.equal(parseIso('2025-01-01'), Date.UTC(2025, 0, 1));
  assert.equal(parseIso('2025-01-01T02:00:00+02:00'), Date.UTC(2025, 0, 1));
  assert.equal(parseIso('2025-02-30T00:00:00'), undefined);
  assert.equal(parseIso('yesterday'), undefined);
});
