/**
 * Argument checks shared by the methods: arity and field types, worded per era
 * (pydantic from 25.04, the middlewared schema before).
 */
import type { CallContext } from '../context.js';
import { UnexpectedError, ValidationErrors, type ValidationTriple } from '../errors.js';
import { DateValue } from '../wire.js';

export const isDict = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof DateValue);

export const pydantic = (ctx: CallContext): boolean => ctx.profile.n >= 2504;

/**
 * Positional arguments `names`, the first `required` of them mandatory.
 * guess: the exact "too many arguments" wording is not in the spec.
 */
export function checkArity(ctx: CallContext, params: unknown[], names: readonly string[], required = names.length): void {
  const short = ctx.method.split('.').pop()!;
  if (params.length > names.length) {
    if (pydantic(ctx)) {
      throw new ValidationErrors([[ctx.method.replace(/\./g, '_'), `Too many arguments (expected ${names.length}, found ${params.length})`, 22]]);
    }
    throw new UnexpectedError('TypeError', `${short}() takes ${names.length + 1} positional arguments but ${params.length + 1} were given`);
  }
  const missing = names.slice(params.length, required);
  if (missing.length) {
    throw new ValidationErrors(missing.map((n) => [n, pydantic(ctx) ? 'Field required' : 'attribute required', 22] as ValidationTriple));
  }
}

/** Type messages: pydantic strict mode vs the old schema. */
export function typeMessage(ctx: CallContext, kind: 'str' | 'int' | 'bool' | 'list' | 'dict'): string {
  if (pydantic(ctx)) {
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

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** An integer id argument (strict: `true` and `"3"` are refused). */
export function intArg(ctx: CallContext, value: unknown, path: string): number {
  if (!isInt(value)) throw new ValidationErrors([[path, typeMessage(ctx, 'int'), 22]]);
  return value;
}
