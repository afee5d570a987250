/**
 * The middleware's query language (`query-filters`, `query-options`; truenas-api.md §3.2), with
 * Python's comparison semantics and the validation each era applies:
 * 25.04+ pydantic (ValidationErrors "Value error, ..."), before that plain ValueErrors.
 */
import { UnexpectedError, ValidationErrors, matchNotFound, typeErrorText, type ValidationTriple } from './errors.js';
import type { Profile } from './profiles.js';
import { DateValue, dateMs, isDict, pyRepr, pyTypeName } from './wire.js';

export type Row = Record<string, unknown>;
export type SelectItem = string | [string, string];

export interface QueryOptions {
  select: SelectItem[];
  order_by: string[];
  count: boolean;
  get: boolean;
  offset: number;
  limit: number;
}

const OPS = new Set(['=', '!=', '>', '>=', '<', '<=', '~', 'in', 'nin', 'rin', 'rnin', '^', '!^', '$', '!$']);
const TIMESTAMP_OPS = new Set(['=', '!=', '>', '>=', '<', '<=']);
const TIMESTAMP_DESIGNATOR = '.$date';
/** OR nesting allowed from 24.04 on. */
const MAX_FILTER_DEPTH = 3;
const MAX_LIMIT = 10000;
/** A sentinel for "key absent" (Python's `undefined`). */
const ABSENT = Symbol('absent');

class PyValueError extends Error {}

function typeError(text: string): UnexpectedError {
  return new UnexpectedError('TypeError', text);
}

/** A validated query: filters plus the ISO timestamps they reference, already parsed. */
export interface Query {
  filters: unknown[];
  options: QueryOptions;
  timestamps: Map<string, number>;
}

/** The type of each query option (`str?`: a string or null). */
type OptionKind = 'bool' | 'int' | 'str?' | 'list' | 'dict';
const OPTION_KINDS: Record<string, OptionKind> = {
  relationships: 'bool',
  extend: 'str?',
  extend_fk: 'list',
  extend_context: 'str?',
  prefix: 'str?',
  extra: 'dict',
  order_by: 'list',
  select: 'list',
  count: 'bool',
  get: 'bool',
  offset: 'int',
  limit: 'int',
  force_sql_filters: 'bool',
};

/**
 * Validates `[filters, options]` and throws the era's error. Error paths are the argument names
 * (pydantic locations, 25.04+) or, guess, the schema names (`query-filters`, `query-options`) before.
 */
export function parseQuery(profile: Profile, filters: unknown, options: unknown): Query {
  const pydantic = profile.n >= 2504;
  const errors: ValidationTriple[] = [];
  const fail = (attr: string, msg: string) => errors.push([attr, msg, 22]);
  const filtersPath = pydantic ? 'filters' : 'query-filters';
  const optionsPath = pydantic ? 'options' : 'query-options';

  const timestamps = new Map<string, number>();
  let filterList: unknown[] = [];
  if (filters !== undefined && filters !== null) {
    if (!Array.isArray(filters)) fail(filtersPath, pydantic ? 'Input should be a valid list' : 'Not a list');
    else filterList = filters;
  }

  const opts: QueryOptions = { select: [], order_by: [], count: false, get: false, offset: 0, limit: 0 };
  let optionsOk = true;
  if (options !== undefined && options !== null) {
    if (!isDict(options)) {
      fail(optionsPath, pydantic ? 'Input should be a valid dictionary or instance of QueryOptions' : 'A dict was expected');
      optionsOk = false;
    } else {
      for (const [key, value] of Object.entries(options)) {
        const kind = OPTION_KINDS[key];
        const path = `${optionsPath}.${key}`;
        if (!kind) {
          fail(path, pydantic ? 'Extra inputs are not permitted' : 'Field was not expected');
          optionsOk = false;
          continue;
        }
        const problem = checkType(kind, value, pydantic);
        if (problem) {
          fail(path, problem);
          optionsOk = false;
          continue;
        }
        if (key in opts) (opts as unknown as Record<string, unknown>)[key] = value;
      }
    }
  }

  if (errors.length) throw new ValidationErrors(errors);

  // The option and filter validators raise ValueError: wrapped by pydantic from 25.04, raw before.
  const valueError = (path: string, message: string): never => {
    if (pydantic) throw new ValidationErrors([[path, `Value error, ${message}`, 22]]);
    throw new UnexpectedError('ValueError', message);
  };
  if (optionsOk) {
    const problem = optionProblem(opts, profile);
    if (problem) valueError(optionsPath, problem);
  }
  try {
    validateFilters(filterList, 0, timestamps, profile);
  } catch (e) {
    if (e instanceof PyValueError) valueError(filtersPath, e.message);
    throw e;
  }
  return { filters: filterList, options: opts, timestamps };
}

function checkType(kind: OptionKind, value: unknown, pydantic: boolean): string | undefined {
  const ok = {
    bool: typeof value === 'boolean',
    int: typeof value === 'number' && Number.isInteger(value),
    'str?': value === null || typeof value === 'string',
    list: Array.isArray(value),
    dict: isDict(value),
  }[kind];
  return ok ? undefined : typeErrorText(pydantic, kind === 'str?' ? 'str' : kind);
}

function optionProblem(opts: QueryOptions, profile: Profile): string | undefined {
  if (profile.n >= 2510 && opts.limit > MAX_LIMIT) return `Options limit must be between 1 and ${MAX_LIMIT}`;
  if (opts.get && (opts.limit > 1 || opts.offset)) return 'Invalid options combination. `get` implies a single result.';
  for (const o of opts.order_by) {
    if (typeof o !== 'string') return `${pyRepr(o)}: order_by entries must be strings.`;
  }
  for (const s of opts.select) {
    if (Array.isArray(s)) {
      if (profile.n < 2404 || s.length !== 2) {
        return `${pyRepr(s)}: A select as list may only contain two parameters: the name of the parameter being selected, and the name to which to assign it in resulting data.`;
      }
      if (typeof s[0] !== 'string' || typeof s[1] !== 'string') return `${pyRepr(s)}: select entries must be strings.`;
    } else if (typeof s !== 'string') {
      return `${pyRepr(s)}: selectors must be either a string or an array of two strings.`;
    }
  }
  return undefined;
}

/** Array.isArray, narrowing to unknown elements (not `any[]`): a filter comes from the wire. */
const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

function validateFilters(filters: unknown[], depth: number, timestamps: Map<string, number>, profile: Profile): void {
  if (depth > MAX_FILTER_DEPTH) throw new PyValueError('query-filters max recursion depth exceeded');
  for (const f of filters) {
    if (!isList(f)) throw new PyValueError(`Invalid filter ${pyRepr(f)}`);
    if (f.length === 2) {
      const [op, branches] = f;
      if (op !== 'OR') throw new PyValueError(`Invalid operation: ${String(op)}`);
      if (!Array.isArray(branches) || branches.length === 0) throw new PyValueError('OR filter requires at least one branch.');
      for (const branch of branches) {
        if (Array.isArray(branch) && Array.isArray(branch[0])) validateFilters(branch, depth + 1, timestamps, profile);
        else validateFilters([branch], depth + 1, timestamps, profile);
      }
      continue;
    }
    if (f.length !== 3) throw new PyValueError(`Invalid filter ${pyRepr(f)}`);
    const [name, op] = f;
    if (typeof op !== 'string' || typeof name !== 'string') throw new PyValueError(`Invalid filter ${pyRepr(f)}`);
    let base = op;
    if (op.startsWith('C') && profile.n >= 2212) {
      base = op.slice(1);
      if (base === '~') throw new PyValueError(`Invalid case-insensitive operation: ${op}`);
    }
    if (!OPS.has(base)) throw new PyValueError(`Invalid operation: ${op}`);
    if (profile.n < 2404) continue;
    for (const [index, operand] of [f[0], f[2]].entries()) {
      if (typeof operand !== 'string' || !operand.endsWith(TIMESTAMP_DESIGNATOR)) continue;
      if (!TIMESTAMP_OPS.has(base)) throw new PyValueError(`${base}: invalid timestamp operation.`);
      const other = index === 0 ? f[2] : f[0];
      const ms = typeof other === 'string' ? parseIso(other) : undefined;
      if (ms === undefined) throw new PyValueError(`${String(other)}: must be an ISO-8601 formatted timestamp string`);
      timestamps.set(other as string, ms);
    }
  }
}

/** Python 3.11 `datetime.fromisoformat` for the common shapes; naive times count as UTC. */
export function parseIso(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', tz] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(`0.${frac || '0'}`) * 1000));
  const check = new Date(base);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (!tz || tz === 'Z') return base;
  const sign = tz[0] === '-' ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  return base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Runs a validated query over rows (the middleware's filter_list). */
export function runQuery(profile: Profile, rows: Row[], query: Query): Row[] | Row | number {
  const { filters, options, timestamps } = query;
  const shortcircuit = options.get && options.order_by.length === 0;
  let rv: Row[];
  if (filters.length) {
    rv = [];
    for (const row of rows) {
      if (!filters.every((f) => evalFilter(row, f as unknown[], timestamps))) continue;
      rv.push(options.select.length ? select(row, options.select) : row);
      if (shortcircuit) break;
    }
    if (shortcircuit) {
      if (!rv.length) throw matchNotFound(profile);
      return rv[0]!;
    }
  } else {
    rv = options.select.length ? rows.map((r) => select(r, options.select)) : [...rows];
  }
  if (options.count) return rv.length;
  rv = order(rv, options.order_by, profile);
  if (options.get) {
    if (!rv.length) throw matchNotFound(profile);
    return rv[0]!;
  }
  if (options.offset) rv = rv.slice(options.offset);
  if (options.limit) rv = rv.slice(0, options.limit);
  return rv;
}

/** Splits a dotted path on unescaped dots (`a\.b` is one key). */
function partition(path: string): [string, string] {
  let acc = '';
  let rest = path;
  for (;;) {
    const dot = rest.indexOf('.');
    if (dot < 0) return [acc + rest, ''];
    const left = rest.slice(0, dot);
    const right = rest.slice(dot + 1);
    if (left.endsWith('\\')) {
      acc += `${left.slice(0, -1)}.`;
      rest = right;
    } else {
      return [acc + left, right];
    }
  }
}

interface GetResult {
  value: unknown;
  rest?: string;
  done: boolean;
}

function getImpl(obj: unknown, path: string): GetResult {
  let right = path;
  let cur: unknown = obj;
  while (right) {
    const [left, next] = partition(right);
    right = next;
    if (left === '$date' && dateMs(cur) !== undefined) {
      // Rows hold datetimes in Python, so `created_at.$date` is the datetime itself.
      continue;
    } else if (isDict(cur)) {
      cur = Object.prototype.hasOwnProperty.call(cur, left) ? cur[left] : ABSENT;
    } else if (Array.isArray(cur)) {
      if (!/^\d+$/.test(left)) {
        if (left === '*') return { value: cur, rest: right, done: false };
        throw new UnexpectedError('ValueError', `${left}: must be array index or wildcard character`);
      }
      const index = Number(left);
      cur = index < cur.length ? cur[index] : null;
    }
    // Anything else (a datetime, say) keeps its value: `created_at.$date` reaches the date.
    if (cur === ABSENT) return { value: ABSENT, done: true };
  }
  return { value: cur, done: true };
}

function get(obj: unknown, path: string): unknown {
  const r = getImpl(obj, path);
  return r.value === ABSENT ? null : r.value;
}

function evalFilter(row: Row, f: unknown[], timestamps: Map<string, number>): boolean {
  if (f.length === 2) {
    for (const branch of f[1] as unknown[]) {
      const hit =
        Array.isArray(branch) && Array.isArray(branch[0])
          ? (branch as unknown[][]).every((c) => evalFilter(row, c, timestamps))
          : evalFilter(row, branch as unknown[], timestamps);
      if (hit) return true;
    }
    return false;
  }
  const [name, op, value] = f as [string, string, unknown];
  const operand = typeof value === 'string' && timestamps.has(value) ? new DateValue(timestamps.get(value)!) : value;
  return filterOp(row, name, op, operand);
}

function filterOp(row: unknown, name: string, op: string, value: unknown): boolean {
  const data = getImpl(row, name);
  if (data.value === ABSENT) return false;
  if (!data.done) {
    for (const entry of data.value as unknown[]) {
      if (filterOp(entry, data.rest ?? '', op, value)) return true;
    }
    return false;
  }
  let source = data.value;
  let fn = op;
  if (op.length > 1 && op[0] === 'C' && OPS.has(op.slice(1))) {
    fn = op.slice(1);
    source = casefold(source);
    value = casefold(value);
  }
  return apply(fn, source, value);
}

function casefold(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) {
    return value.map((x) => {
      if (typeof x !== 'string') throw new UnexpectedError('AttributeError', `'${pyTypeName(x)}' object has no attribute 'casefold'`);
      return x.toLowerCase();
    });
  }
  throw new UnexpectedError('ValueError', `<class '${pyTypeName(value)}'>: support for casefolding object type not implemented.`);
}

/** Python `==` for decoded JSON values (bool == int, 1 == 1.0, dates by instant). */
export function pyEq(a: unknown, b: unknown): boolean {
  const da = dateMs(a);
  const db = dateMs(b);
  if (da !== undefined || db !== undefined) return da !== undefined && db !== undefined && da === db;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if ((typeof a === 'number' || typeof a === 'boolean') && (typeof b === 'number' || typeof b === 'boolean')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEq(a[k], b[k]));
  }
  return a === b;
}

const SYMBOL: Record<string, string> = { '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

/** Python ordering: numbers with numbers, strings with strings, lists lexicographically, dates. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  const da = dateMs(a);
  const db = dateMs(b);
  if (da !== undefined && db !== undefined) return da - db;
  const num = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  if (num(a) && num(b)) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (pyEq(a[i], b[i])) continue;
      return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  const type = (v: unknown) => (dateMs(v) !== undefined ? 'datetime' : pyTypeName(v));
  throw typeError(`'${SYMBOL[op] ?? op}' not supported between instances of '${type(a)}' and '${type(b)}'`);
}

function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return container.includes(item);
  }
  if (isDict(container)) return typeof item === 'string' && Object.prototype.hasOwnProperty.call(container, item);
  throw typeError(`argument of type '${pyTypeName(container)}' is not iterable`);
}

function stringOp(x: unknown, y: unknown, method: string): boolean | undefined {
  if (x === null || x === undefined) return undefined;
  if (typeof x !== 'string') throw new UnexpectedError('AttributeError', `'${pyTypeName(x)}' object has no attribute '${method}'`);
  if (typeof y !== 'string') throw typeError(`${method} first arg must be str or a tuple of str, not ${pyTypeName(y)}`);
  return method === 'startswith' ? x.startsWith(y) : x.endsWith(y);
}

function apply(op: string, x: unknown, y: unknown): boolean {
  switch (op) {
    case '=':
      return pyEq(x, y);
    case '!=':
      return !pyEq(x, y);
    case '>':
      return pyCompare(x, y, op) > 0;
    case '>=':
      return pyCompare(x, y, op) >= 0;
    case '<':
      return pyCompare(x, y, op) < 0;
    case '<=':
      return pyCompare(x, y, op) <= 0;
    case '~':
      return regexMatch(y, x ?? '');
    case 'in':
      return contains(y, x);
    case 'nin':
      return x === null || x === undefined ? false : !contains(y, x);
    case 'rin':
      return x === null || x === undefined ? false : contains(x, y);
    case 'rnin':
      return x === null || x === undefined ? false : !contains(x, y);
    case '^':
      return stringOp(x, y, 'startswith') ?? false;
    case '!^': {
      const r = stringOp(x, y, 'startswith');
      return r === undefined ? false : !r;
    }
    case '$':
      return stringOp(x, y, 'endswith') ?? false;
    case '!$': {
      const r = stringOp(x, y, 'endswith');
      return r === undefined ? false : !r;
    }
  }
  return false;
}

/**
 * Python `re.match` (anchored at the start). Python-only syntax `(?P<name>` is translated.
 * guess: patterns are capped at 512 characters so a hostile regex cannot stall the simulator.
 */
function regexMatch(pattern: unknown, subject: unknown): boolean {
  if (typeof pattern !== 'string') throw typeError('first argument must be string or compiled pattern');
  if (typeof subject !== 'string') throw typeError(`expected string or bytes-like object, got '${pyTypeName(subject)}'`);
  if (pattern.length > 512) throw new UnexpectedError('error', 'pattern too long for the simulator');
  let re: RegExp;
  try {
    re = new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), 'y');
  } catch (e) {
    throw new UnexpectedError('error', (e as Error).message.replace(/^Invalid regular expression: /, ''));
  }
  re.lastIndex = 0;
  return re.test(subject);
}

function order(rows: Row[], orderBy: string[], profile: Profile): Row[] {
  let rv = rows;
  for (const o of orderBy) {
    let field = o;
    let nulls: 'first' | 'last' | undefined;
    if (profile.n >= 2212 && field.startsWith('nulls_first:')) {
      nulls = 'first';
      field = field.slice('nulls_first:'.length);
    } else if (profile.n >= 2212 && field.startsWith('nulls_last:')) {
      nulls = 'last';
      field = field.slice('nulls_last:'.length);
    }
    const reverse = field.startsWith('-');
    if (reverse) field = field.slice(1);
    const cmp = (a: Row, b: Row) => {
      const c = pyCompare(get(a, field), get(b, field));
      return reverse ? -c : c;
    };
    if (nulls) {
      const isNull = (r: Row) => r[field] === null || r[field] === undefined;
      const none = rv.filter(isNull);
      const some = rv.filter((r) => !isNull(r)).sort(cmp);
      rv = nulls === 'first' ? [...none, ...some] : [...some, ...none];
      continue;
    }
    try {
      rv = [...rv].sort(cmp);
    } catch (e) {
      if (profile.n >= 2600 && e instanceof UnexpectedError && e.message.includes("instances of 'NoneType'")) {
        throw new UnexpectedError(
          'ValueError',
          `Cannot sort by ${pyRepr(o)} because the field contains null values. Please use "nulls_first:${o}" or "nulls_last:${o}" to specify null placement.`,
        );
      }
      throw e;
    }
  }
  return rv;
}

function select(row: Row, items: SelectItem[]): Row {
  const entry: Row = {};
  for (const item of items) {
    const [target, alias] = Array.isArray(item) ? item : [item, undefined];
    const keys: string[] = [];
    let right = target;
    let cur: unknown = row;
    while (right) {
      const [left, next] = partition(right);
      right = next;
      if (isDict(cur)) {
        cur = Object.prototype.hasOwnProperty.call(cur, left) ? cur[left] : ABSENT;
        keys.push(left);
      } else if (Array.isArray(cur)) {
        throw new UnexpectedError('ValueError', 'Selecting by list index is not supported');
      }
      if (cur === ABSENT) break;
    }
    if (cur === ABSENT) continue;
    if (alias !== undefined) {
      entry[alias] = cur;
      continue;
    }
    const last = keys.pop()!;
    let obj = entry;
    for (const k of keys) {
      if (!isDict(obj[k])) obj[k] = {};
      obj = obj[k] as Row;
    }
    obj[last] = cur;
  }
  return entry;
}
