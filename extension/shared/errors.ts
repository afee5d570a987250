import type { FieldError, HasFieldErrors } from '../../components/model/api-key.js';
import type { ScopedKeyFailure, ScopedStepKind } from '../../components/model/scoped-key.js';
import type { ErrorCode, WireError } from './protocol.js';

/**
 * An error with a stable code and a human message, as it crosses the page ↔ background boundary.
 * The message is already in the user's language and never contains a secret.
 */
export class ExtensionError extends Error implements HasFieldErrors {
  readonly code: ErrorCode;
  readonly fieldErrors: readonly FieldError[];
  readonly openUrl: string | undefined;

  constructor(code: ErrorCode, message: string, options: { fieldErrors?: readonly FieldError[]; openUrl?: string } = {}) {
    super(message);
    this.name = 'ExtensionError';
    this.code = code;
    this.fieldErrors = options.fieldErrors ?? [];
    this.openUrl = options.openUrl;
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.fieldErrors.length) wire.fieldErrors = [...this.fieldErrors];
    if (this.openUrl) wire.openUrl = this.openUrl;
    return wire;
  }

  static fromWire(wire: WireError): ExtensionError {
    const options: { fieldErrors?: readonly FieldError[]; openUrl?: string } = {};
    if (wire.fieldErrors) options.fieldErrors = wire.fieldErrors;
    if (wire.openUrl) options.openUrl = wire.openUrl;
    if (wire.scopedFailure) return new ScopedKeyFailureError(wire.code, wire.message, wire.scopedFailure, options);
    return new ExtensionError(wire.code, wire.message, options);
  }
}

/** A field-level validation failure (the page places it on the field). */
export function fieldError(field: string, message: string): ExtensionError {
  return new ExtensionError('bad-request', message, { fieldErrors: [{ path: field, field, message, errno: null }] });
}

/** A scoped key that stopped part way, as a page receives it: readable with `scopedKeyFailureOf`. */
export class ScopedKeyFailureError extends ExtensionError implements ScopedKeyFailure {
  readonly failedStep: ScopedStepKind;
  readonly stepIndex: number;
  readonly reason: string;
  readonly undone: boolean;
  readonly leftOnNas: readonly string[];

  constructor(code: ErrorCode, message: string, failure: ScopedKeyFailure, options: { fieldErrors?: readonly FieldError[]; openUrl?: string } = {}) {
    super(code, message, options);
    this.failedStep = failure.failedStep;
    this.stepIndex = failure.stepIndex;
    this.reason = failure.reason;
    this.undone = failure.undone;
    this.leftOnNas = [...failure.leftOnNas];
  }
}
