/**
 * The middleware's exception classes and how each protocol puts them on the wire
 * (truenas-api.md §1.2, §1.3, §6; field order as the server sends it).
 */
import type { Profile } from './profiles.js';

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  EBADMSG: 74,
  EOPNOTSUPP: 95,
  ETOOMANYREFS: 109,
  ENOMETHOD: 201,
  ENOTAUTHENTICATED: 207,
} as const;

const NAMES = new Map<number, string>(Object.entries(ERRNO).map(([name, n]) => [n, name]));

export function errname(errno: number): string {
  return NAMES.get(errno) ?? 'EUNKNOWN';
}

/** The type-check messages: pydantic strict mode (25.04+) or the old middlewared schema. */
export function typeErrorText(pydantic: boolean, kind: 'str' | 'int' | 'bool' | 'list' | 'dict'): string {
  if (pydantic) {
    return {
      str: 'Input should be a valid string',
      int: 'Input should be a valid integer',
      bool: 'Input should be a valid boolean',
      list: 'Input should be a valid list',
      dict: 'Input should be a valid dictionary',
    }[kind];
  }
  return { str: 'Not a string', int: 'Not an integer', bool: 'Not a boolean', list: 'Not a list', dict: 'A dict was expected' }[kind];
}

/** One ValidationErrors entry: [attribute, message, errno]. */
export type ValidationTriple = [string | null, string, number];

/** Base of everything a method can raise. `pyClass` names the Python class in the trace. */
export abstract class SimError extends Error {
  abstract readonly pyClass: string;
  /** Errno on the legacy top level. */
  abstract get errno(): number;
  /** The `reason` text (Python's `str(exc)`). */
  abstract get reason(): string;
  /** Whether the legacy frame carries `type: "VALIDATION"`. */
  readonly validation: boolean = false;
  /** False for errors the server builds by hand without an exception (no trace). */
  readonly traced: boolean = true;
  extra(): unknown {
    return null;
  }
}

/** middlewared CallError: reason `[ERRNAME] message`. */
export class CallError extends SimError {
  readonly pyClass = 'CallError';
  constructor(
    readonly errmsg: string,
    private readonly code: number = ERRNO.EFAULT,
    private readonly extraValue: unknown = null,
  ) {
    super(errmsg);
  }
  get errno(): number {
    return this.code;
  }
  get reason(): string {
    return `[${errname(this.code)}] ${this.errmsg}`;
  }
  override extra(): unknown {
    return this.extraValue;
  }
}

/** A single ValidationError (InstanceNotFound is one, with ENOENT). */
export class ValidationError extends SimError {
  override readonly validation = true;
  constructor(
    readonly attribute: string | null,
    readonly errmsg: string,
    private readonly code: number = ERRNO.EINVAL,
    readonly pyClass: string = 'ValidationError',
  ) {
    super(errmsg);
  }
  get errno(): number {
    return this.code;
  }
  get reason(): string {
    return `[${errname(this.code)}] ${this.attribute ?? 'None'}: ${this.errmsg}`;
  }
  override extra(): ValidationTriple[] {
    return [[this.attribute, this.errmsg, this.code]];
  }
}

export function instanceNotFound(what: string, id: unknown): ValidationError {
  return new ValidationError(null, `${what} ${String(id)} does not exist`, ERRNO.ENOENT, 'InstanceNotFound');
}

/** ValidationErrors: one `[ERRNAME] attribute: message\n` line per entry; legacy errno EAGAIN. */
export class ValidationErrors extends SimError {
  readonly pyClass = 'ValidationErrors';
  override readonly validation = true;
  constructor(readonly errors: ValidationTriple[]) {
    super(errors.map((e) => e[1]).join('; '));
  }
  get errno(): number {
    return ERRNO.EAGAIN;
  }
  get reason(): string {
    return this.errors.map(([attr, msg, code]) => `[${errname(code)}] ${attr ?? 'None'}: ${msg}\n`).join('');
  }
  override extra(): ValidationTriple[] {
    return this.errors;
  }
}

/** Collects validation errors the way service code does, then raises them together. */
export class Verrors {
  readonly list: ValidationTriple[] = [];
  add(attribute: string | null, message: string, errno: number = ERRNO.EINVAL): void {
    this.list.push([attribute, message, errno]);
  }
  check(): void {
    if (this.list.length) throw new ValidationErrors(this.list);
  }
}

/** Any other Python exception: errno EINVAL, reason `str(e)` (25.04+ falls back to `repr(e)`). */
export class UnexpectedError extends SimError {
  constructor(
    readonly pyClass: string,
    private readonly text: string,
    private readonly reprText: string = `${pyClass}(${text ? `'${text}'` : ''})`,
    private readonly useRepr = false,
  ) {
    super(text || reprText);
  }
  get errno(): number {
    return ERRNO.EINVAL;
  }
  get reason(): string {
    return this.text || (this.useRepr ? this.reprText : '');
  }
  get repr(): string {
    return this.reprText;
  }
}

/**
 * `query(..., {get: true})` with no match: reason "" on 22.02; `str(e) or repr(e)`, i.e.
 * "MatchNotFound()", from 24.10 (MW@TS-24.10.2.4:main.py:244).
 */
export function matchNotFound(profile: Profile): UnexpectedError {
  return new UnexpectedError('MatchNotFound', '', 'MatchNotFound()', profile.n >= 2410);
}

/** An error the handler builds by hand (no exception, so no trace): pre-dispatch auth, limits. */
export class PlainError extends SimError {
  readonly pyClass = 'PlainError';
  override readonly traced = false;
  constructor(
    private readonly code: number,
    private readonly text: string,
  ) {
    super(text);
  }
  get errno(): number {
    return this.code;
  }
  get reason(): string {
    return this.text;
  }
}

/** The 21st call in flight. Legacy: ETOOMANYREFS with a trailing dot; JSON-RPC: -32000. */
export class TooManyCalls extends PlainError {
  constructor() {
    super(ERRNO.ETOOMANYREFS, 'Maximum number of concurrent calls (20) has exceeded.');
  }
}

/** JSON-RPC -32601 (no data) / legacy ENOMETHOD CallError. */
export class MethodNotFound extends Error {
  constructor(readonly method: string) {
    super(`Method does not exist: ${method}`);
  }
}

interface Trace {
  class: string;
  frames?: unknown[];
  formatted: string;
  repr: string;
}

const MODULE: Record<string, string> = {
  CallError: 'middlewared.service_exception',
  ValidationError: 'middlewared.service_exception',
  ValidationErrors: 'middlewared.service_exception',
  InstanceNotFound: 'middlewared.service_exception',
  MatchNotFound: 'middlewared.service_exception',
};

/**
 * A plausible trace object. guess: the real one lists the Python frames of the failing call;
 * ours has one representative frame. Clients must not parse traces. 26.0 drops `frames`.
 */
function traceOf(error: SimError, profile: Profile): Trace {
  const repr = error instanceof UnexpectedError ? error.repr : `${error.pyClass}(${JSON.stringify(error.reason)})`;
  const qualified = MODULE[error.pyClass] ? `${MODULE[error.pyClass]}.${error.pyClass}` : error.pyClass;
  const formatted =
    'Traceback (most recent call last):\n' +
    '  File "/usr/lib/python3/dist-packages/middlewared/main.py", line 211, in call_method\n' +
    '    result = await self.middleware.call_with_audit(message[\'method\'], serviceobj, methodobj, params, self)\n' +
    `${qualified}: ${error.reason}\n`;
  if (profile.n >= 2600) return { class: error.pyClass, formatted, repr };
  const frame = {
    filename: '/usr/lib/python3/dist-packages/middlewared/main.py',
    lineno: 211,
    method: 'call_method',
    line: "    result = await self.middleware.call_with_audit(message['method'], serviceobj, methodobj, params, self)\n",
    argspec: ['self', 'message', 'serviceobj', 'methodobj'],
    locals: {},
  };
  return { class: error.pyClass, frames: [frame], formatted, repr };
}

/** The legacy `error` object: {error, errname (22.12+), type, reason, trace, extra}. */
export function legacyError(error: SimError, profile: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = { error: error.errno };
  if (profile.n >= 2212) out.errname = errname(error.errno);
  out.type = error.validation ? 'VALIDATION' : null;
  out.reason = error.reason;
  out.trace = error.traced ? traceOf(error, profile) : null;
  out.extra = error.extra();
  return out;
}

/** The JSON-RPC `error` object for a method-call failure. */
export function jsonRpcError(error: SimError, profile: Profile): { code: number; message: string; data?: unknown } {
  if (error instanceof TooManyCalls) return { code: -32000, message: 'Maximum number of concurrent calls (20) has exceeded' };
  const trace = error.traced ? traceOf(error, profile) : null;
  if (error.validation) {
    // -32602: data.error is always EINVAL, even for InstanceNotFound (its ENOENT stays in extra).
    return {
      code: -32602,
      message: 'Invalid params',
      data: { error: ERRNO.EINVAL, errname: 'EINVAL', reason: error.reason, trace, extra: error.extra() },
    };
  }
  return {
    code: -32001,
    message: 'Method call error',
    data: { error: error.errno, errname: errname(error.errno), reason: error.reason, trace, extra: error.extra() },
  };
}
