/**
 * Field checks for the account models (user, group, privilege): pydantic strict wording from
 * 25.04, the old middlewared schema before. One function per field type; each appends to `errors`.
 */
import type { CallContext } from '../context.js';
import { ValidationErrors, type ValidationTriple } from '../errors.js';
import { isDict, isInt, pydantic } from './args.js';

export type Fields = Record<string, unknown>;

export interface FieldSpec {
  kind: 'str' | 'nestr' | 'str?' | 'int' | 'int?' | 'bool' | 'intlist' | 'strlist' | 'mixedlist';
  required?: boolean;
}

const PYDANTIC: Record<FieldSpec['kind'], string> = {
  str: 'Input should be a valid string',
  nestr: 'Input should be a valid string',
  'str?': 'Input should be a valid string',
  int: 'Input should be a valid integer',
  'int?': 'Input should be a valid integer',
  bool: 'Input should be a valid boolean',
  intlist: 'Input should be a valid list',
  strlist: 'Input should be a valid list',
  mixedlist: 'Input should be a valid list',
};

const LEGACY: Record<FieldSpec['kind'], string> = {
  str: 'Not a string',
  nestr: 'Not a string',
  'str?': 'Not a string',
  int: 'Not an integer',
  'int?': 'Not an integer',
  bool: 'Not a boolean',
  intlist: 'Not a list',
  strlist: 'Not a list',
  mixedlist: 'Not a list',
};

/**
 * Checks `data` against `spec` (extra keys refused) and returns it. `model` names the pydantic
 * class for the not-a-dict message. guess: pre-25.04 wording follows the old schema classes.
 */
export function checkFields(ctx: CallContext, schema: string, model: string, data: unknown, spec: Record<string, FieldSpec>, creating: boolean): Fields {
  const pyd = pydantic(ctx);
  if (!isDict(data)) throw new ValidationErrors([[schema, pyd ? `Input should be a valid dictionary or instance of ${model}` : 'A dict was expected', 22]]);
  const errors: ValidationTriple[] = [];
  const add = (path: string, msg: string) => errors.push([`${schema}.${path}`, msg, 22]);
  for (const [name, f] of Object.entries(spec)) {
    if (!(name in data)) {
      if (creating && f.required) add(name, pyd ? 'Field required' : 'attribute required');
      continue;
    }
    const v = data[name];
    const typeMsg = (pyd ? PYDANTIC : LEGACY)[f.kind];
    switch (f.kind) {
      case 'str':
        if (typeof v !== 'string') add(name, typeMsg);
        break;
      case 'nestr':
        if (typeof v !== 'string') add(name, typeMsg);
        else if (v.length === 0) add(name, pyd ? 'String should have at least 1 character' : 'Empty value not allowed');
        break;
      case 'str?':
        if (v !== null && typeof v !== 'string') add(name, typeMsg);
        break;
      case 'int':
        if (!isInt(v) || typeof v === 'boolean') add(name, typeMsg);
        break;
      case 'int?':
        if (v !== null && !isInt(v)) add(name, typeMsg);
        break;
      case 'bool':
        if (typeof v !== 'boolean') add(name, typeMsg);
        break;
      case 'intlist':
      case 'strlist':
      case 'mixedlist':
        if (!Array.isArray(v)) add(name, typeMsg);
        else {
          v.forEach((item, i) => {
            const ok = f.kind === 'intlist' ? isInt(item) : f.kind === 'strlist' ? typeof item === 'string' : isInt(item) || typeof item === 'string';
            if (!ok) add(`${name}.${i}`, (pyd ? PYDANTIC : LEGACY)[f.kind === 'intlist' ? 'int' : 'str']);
          });
        }
        break;
    }
  }
  for (const key of Object.keys(data)) if (!(key in spec)) add(key, pyd ? 'Extra inputs are not permitted' : 'Field was not expected');
  if (errors.length) throw new ValidationErrors(errors);
  return data;
}

/**
 * The pydantic name validators (MW@TS-25.10.6:api/base/types/user.py validate_name): length,
 * first character, allowed characters. Returns the ValueError text or undefined.
 */
export function nameProblem(name: string, validStart: RegExp, maxLength: number | null): string | undefined {
  if (name.length === 0) return 'Must be at least 1 character in length';
  if (maxLength !== null && name.length > maxLength) return `Cannot exceed ${maxLength} charaters in length`;
  const first = name[0]!;
  if (!validStart.test(first)) return `Cannot start with "${pyQuote(first)}"`;
  const valid = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.';
  if (![...name].every((c) => valid.includes(c))) {
    return `Valid characters are: '${[...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.'].join(', ')}'`;
  }
  return undefined;
}

/** Python's repr() of a one-character string. */
function pyQuote(c: string): string {
  if (c === "'") return `"'"`;
  const code = c.codePointAt(0)!;
  if (c === '\\') return "'\\\\'";
  if (c === '\n') return "'\\n'";
  if (c === '\t') return "'\\t'";
  if (c === '\r') return "'\\r'";
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

/** `pw_checkname` (MW@TS-25.10.6:plugins/account.py:92-120). */
export function pwCheckname(add: (msg: string) => void, name: string): void {
  if (name.startsWith('-')) add('Name must begin with an alphanumeric character and not a "-".');
  const dollar = name.indexOf('$');
  if (dollar !== -1 && dollar !== name.length - 1) add('The character $ is only allowed as the final character.');
  const invalidChars = ' ,\t:+&#%^()!@~*?<>=|\\/"';
  const invalids: string[] = [];
  // Python tests `ord(char) & 0x80`: bit 7 only, so some astral characters pass (faithful).
  for (const c of name) if ((invalidChars.includes(c) || c.codePointAt(0)! & 0x80) && !invalids.includes(c)) invalids.push(c);
  if (invalids.length) add(`name contains invalid characters: ${invalids.join(', ')}`);
}
