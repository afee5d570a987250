/**
 * Wire encoding as the middleware does it: Python's `json` module (its error texts, NaN/Infinity,
 * its recursion limit) plus the "ejson" `{"$date": ms}` extension. Pure functions, no I/O.
 */

/** A datetime decoded from `{"$date": ms}` in a request (Python turns it into a datetime). */
export class DateValue {
  constructor(readonly ms: number) {}
}

/** A Python dict as a decoded request holds it: a plain object, not a list or a decoded date. */
export const isDict = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof DateValue);

/** Python's json.JSONDecodeError: a ValueError whose text the server reports. */
export class PyJsonError extends Error {}

/** Python's RecursionError: not a ValueError, so the server's message loop does not catch it. */
export class PyRecursionError extends Error {}

/** Roughly Python's recursion limit (1000) minus the frames the middleware already uses. */
const MAX_DEPTH = 950;
const WS = ' \t\n\r';
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

/** Length as Python counts it (code points, not UTF-16 units). */
export function pyLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Parses like Python's `json.loads`: JSON.parse on the fast path; on failure a small
 * recursive-descent parser that reproduces Python's messages (and accepts NaN/Infinity, as
 * Python does). Then checks the nesting depth Python would have hit.
 */
export function parsePythonJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = new PyParser(Array.from(text)).parseDocument();
  }
  checkDepth(value);
  return value;
}

function checkDepth(root: unknown): void {
  // Iterative, so hostile nesting cannot blow our own stack.
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      const what = Array.isArray(value) ? 'array' : 'object';
      throw new PyRecursionError(`maximum recursion depth exceeded while decoding a JSON ${what} from a unicode string`);
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}

class PyParser {
  private depth = 0;
  constructor(private readonly s: string[]) {}

  parseDocument(): unknown {
    const s = this.s;
    if (s[0] === '\ufeff') this.fail('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
    let end = this.ws(0);
    const [value, next] = this.value(end);
    end = this.ws(next);
    if (end !== s.length) this.fail('Extra data', end);
    return value;
  }

  private fail(message: string, pos: number): never {
    let line = 1;
    let lastNewline = -1;
    for (let i = 0; i < pos && i < this.s.length; i++) {
      if (this.s[i] === '\n') {
        line++;
        lastNewline = i;
      }
    }
    throw new PyJsonError(`${message}: line ${line} column ${pos - lastNewline} (char ${pos})`);
  }

  private ws(i: number): number {
    while (i < this.s.length && WS.includes(this.s[i]!)) i++;
    return Math.min(i, this.s.length);
  }

  private at(i: number): string {
    return this.s[i] ?? '';
  }

  /** Python's scan_once: returns [value, end] or fails with "Expecting value" at `i`. */
  private value(i: number): [unknown, number] {
    const c = this.at(i);
    if (c === '"') return this.string(i + 1);
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_DEPTH) {
        throw new PyRecursionError(`maximum recursion depth exceeded while decoding a JSON ${c === '[' ? 'array' : 'object'} from a unicode string`);
      }
      const result = c === '{' ? this.object(i + 1) : this.array(i + 1);
      this.depth--;
      return result;
    }
    const rest = (n: number) => this.s.slice(i, i + n).join('');
    if (rest(4) === 'null') return [null, i + 4];
    if (rest(4) === 'true') return [true, i + 4];
    if (rest(5) === 'false') return [false, i + 5];
    if (rest(3) === 'NaN') return [NaN, i + 3];
    if (rest(8) === 'Infinity') return [Infinity, i + 8];
    if (rest(9) === '-Infinity') return [-Infinity, i + 9];
    NUMBER.lastIndex = 0;
    const tail = this.s.slice(i, i + 400).join('');
    const m = NUMBER.exec(tail);
    if (m && m[0].length > 0) return [Number(m[0]), i + Array.from(m[0]).length];
    return this.fail('Expecting value', i);
  }

  private string(begin: number): [string, number] {
    const s = this.s;
    let out = '';
    let i = begin;
    for (;;) {
      if (i >= s.length) this.fail('Unterminated string starting at', begin - 1);
      const c = s[i]!;
      if (c === '"') return [out, i + 1];
      if (c === '\\') {
        const e = s[i + 1];
        if (e === undefined) this.fail('Unterminated string starting at', begin - 1);
        if (e === 'u') {
          const hex = s.slice(i + 2, i + 6).join('');
          if (i + 6 >= s.length) this.fail('Invalid \\uXXXX escape', i + 1);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', i + 1);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (!(e in map)) this.fail('Invalid \\escape', i);
        out += map[e];
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) this.fail('Invalid control character at', i);
      out += c;
      i++;
    }
  }

  private object(start: number): [Record<string, unknown>, number] {
    const obj: Record<string, unknown> = {};
    let end = start;
    let next = this.at(end);
    if (next !== '"') {
      if (WS.includes(next)) {
        end = this.ws(end);
        next = this.at(end);
      }
      if (next === '}') return [obj, end + 1];
      if (next !== '"') this.fail('Expecting property name enclosed in double quotes', end);
    }
    end += 1;
    for (;;) {
      const [key, afterKey] = this.string(end);
      end = afterKey;
      if (this.at(end) !== ':') {
        end = this.ws(end);
        if (this.at(end) !== ':') this.fail("Expecting ':' delimiter", end);
      }
      end = this.ws(end + 1);
      const [value, afterValue] = this.value(end);
      obj[key] = value;
      end = this.ws(afterValue);
      next = this.at(end);
      end += 1;
      if (next === '}') return [obj, end];
      if (next !== ',') this.fail("Expecting ',' delimiter", end - 1);
      end = this.ws(end);
      next = this.at(end);
      end += 1;
      if (next !== '"') this.fail('Expecting property name enclosed in double quotes', end - 1);
    }
  }

  private array(start: number): [unknown[], number] {
    const values: unknown[] = [];
    let end = this.ws(start);
    if (this.at(end) === ']') return [values, end + 1];
    for (;;) {
      const [value, afterValue] = this.value(end);
      values.push(value);
      end = this.ws(afterValue);
      const next = this.at(end);
      end += 1;
      if (next === ']') return [values, end];
      if (next !== ',') this.fail("Expecting ',' delimiter", end - 1);
      end = this.ws(end);
    }
  }
}

/** ejson's EJSONDecodeError (a ValueError): `Error parsing $date: <the Python error>`. */
export class EjsonDateError extends Error {}

/**
 * Python's ejson object hook: a one-key `{"$date": N}` in a request becomes a datetime
 * (AC@release/25.04.2.6:ejson.py:70-90; an object with other keys stays a dict). Every release
 * through 26.0.0-BETA.3 adds the sub-second part twice (`fromtimestamp(N/1000) +
 * timedelta(ms=N%1000)`), which we reproduce; only the client library's master fixed it. A
 * non-number `$date` fails in that expression and is re-raised as EJSONDecodeError.
 */
export function decodeEjson(value: unknown, doubleSubSecond: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeEjson(v, doubleSubSecond));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === '$date') {
    // Python's bool is an int: `True / 1000` works.
    const raw = obj.$date;
    const n = typeof raw === 'boolean' ? Number(raw) : raw;
    if (typeof n !== 'number') throw new EjsonDateError(`Error parsing $date: unsupported operand type(s) for /: '${pyTypeName(n)}' and 'int'`);
    if (Number.isNaN(n)) throw new EjsonDateError('Error parsing $date: cannot convert float NaN to integer');
    if (!Number.isFinite(n)) throw new EjsonDateError('Error parsing $date: cannot convert float infinity to integer');
    // guess: the wording of Python's out-of-range error (datetime covers years 1-9999).
    if (n > 253_402_300_799_999 || n < -62_135_596_800_000) throw new EjsonDateError('Error parsing $date: year is out of range');
    const ms = Math.floor(n);
    return new DateValue(doubleSubSecond ? ms + (((ms % 1000) + 1000) % 1000) : ms);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = decodeEjson(v, doubleSubSecond);
  return out;
}

/** `{"$date": ms}` as the server sends it: whole seconds from 22.12 on (22.02 keeps ms). */
export function encodeDate(ms: number, keepMilliseconds: boolean): { $date: number } {
  return { $date: keepMilliseconds ? ms : Math.floor(ms / 1000) * 1000 };
}

/** Epoch ms of a date in either form (decoded request value or encoded entry value), else undefined. */
export function dateMs(value: unknown): number | undefined {
  if (value instanceof DateValue) return value.ms;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const d = (value as Record<string, unknown>).$date;
    if (typeof d === 'number' && Object.keys(value).length === 1) return d;
  }
  return undefined;
}

/** JSON for the wire; request-side DateValues (echoed back in errors, say) become `{"$date"}`. */
export function toWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof DateValue ? { $date: v.ms } : v));
}

export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (value instanceof DateValue) return 'datetime';
  return 'dict';
}

/** Python's repr() of a decoded JSON value, for error texts that embed one. Bounded output. */
export function pyRepr(value: unknown, depth = 0): string {
  if (depth > 20) return '...';
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return Number.isInteger(value) ? String(value) : String(value);
  }
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(quote === "'" ? /'/g : /"/g, `\\${quote}`);
    return `${quote}${body}${quote}`;
  }
  if (value instanceof DateValue) return `datetime.datetime.fromtimestamp(${value.ms / 1000}, tz=datetime.timezone.utc)`;
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, depth + 1)).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v, depth + 1)}`)
    .join(', ')}}`;
}
