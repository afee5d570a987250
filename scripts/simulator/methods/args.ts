/**
 * Argument checks shared by the methods: arity and field types, worded per era
 * (pydantic from 25.04, the middlewared schema before).
 */
import type { CallContext } from '../context.js';
import { UnexpectedError, ValidationErrors, typeErrorText, type ValidationTriple } from '../errors.js';

export { isDict } from '../wire.js';

export const pydantic = (ctx: CallContext): boolean => ctx.profile.n >= 2504;

/** Positional arguments `names`, the first `required` of them mandatory. */
export function checkArity(ctx: CallContext, params: unknown[], names: readonly string[], required = names.length): void {
  const short = ctx.method.split('.').pop()!;
  if (params.length > names.length) {
    if (pydantic(ctx)) {
      // MW@TS-25.10.6:api/base/handler/accept.py:48-51: attribute "".
      throw new ValidationErrors([['', `Too many arguments (expected ${names.length}, found ${params.length})`, 22]]);
    }
    throw new UnexpectedError('TypeError', `${short}() takes ${names.length + 1} positional arguments but ${params.length + 1} were given`);
  }
  const missing = names.slice(params.length, required);
  if (missing.length) {
    throw new ValidationErrors(missing.map((n) => [n, pydantic(ctx) ? 'Field required' : 'attribute required', 22] as ValidationTriple));
  }
}

/** Type messages in this call's era. */
export function typeMessage(ctx: CallContext, kind: Parameters<typeof typeErrorText>[1]): string {
  return typeErrorText(pydantic(ctx), kind);
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** An integer id argument (strict: `true` and `"3"` are refused). */
export function intArg(ctx: CallContext, value: unknown, path: string): number {
  if (!isInt(value)) throw new ValidationErrors([[path, typeMessage(ctx, 'int'), 22]]);
  return value;
}
