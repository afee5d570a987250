/** Runtime checks of request payloads: bad input gets a specific message, never a crash. */
import { ExtensionError } from '../shared/errors.js';
import { translate } from '../shared/i18n/index.js';

function bad(field: string): ExtensionError {
  return new ExtensionError('bad-request', translate('ext.error.badRequest', field));
}

export function object(value: unknown, what = 'payload'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(what);
  return value as Record<string, unknown>;
}

export function string(value: unknown, what: string, { allowEmpty = false, max = 10_000 } = {}): string {
  if (typeof value !== 'string') throw bad(what);
  if (!allowEmpty && value.length === 0) throw bad(what);
  if (value.length > max) throw bad(what);
  return value;
}

export function optionalString(value: unknown, what: string, options?: { allowEmpty?: boolean; max?: number }): string | undefined {
  return value === undefined || value === null ? undefined : string(value, what, options);
}

export function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw bad(what);
  return value;
}

export function boolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw bad(what);
  return value;
}

export function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw bad(what);
  return value;
}
