/**
 * Fault points for the end-to-end tests, compiled in only by test builds (`__TEST_HOOKS__`,
 * set by test/e2e/helpers/session.ts); production builds define it false and esbuild drops this
 * code. A test injects the failures a real browser cannot be made to produce on demand (a full
 * IndexedDB quota, a write conflict) at the step right after the NAS answered, and reaches the
 * real vault to shorten its idle delay. Nothing here is reachable from pages.
 */
import { QuotaError, VaultConflictError } from '../vault/errors.js';
import { vault } from './vault-instance.js';

declare const __TEST_HOOKS__: boolean | undefined;

type Fault = 'quota' | 'conflict' | 'lock';
const faults = new Map<string, Fault>();
/** Clipboard writes still to be lost: answered "outcome unknown" without touching the clipboard. */
let lostClipboardWrites = 0;

/** True (once per armed write) when a test made the next clipboard write's outcome unknown. */
export function clipboardWriteLost(): boolean {
  if (!(typeof __TEST_HOOKS__ === 'boolean' && __TEST_HOOKS__)) return false;
  if (lostClipboardWrites <= 0) return false;
  lostClipboardWrites--;
  return true;
}

/** Throws (or locks the vault) once if a test armed a fault for `point`. */
export async function faultPoint(point: 'keep'): Promise<void> {
  // Written out at each use so esbuild folds it to `false` and drops the code.
  if (!(typeof __TEST_HOOKS__ === 'boolean' && __TEST_HOOKS__)) return;
  const fault = faults.get(point);
  if (!fault) return;
  faults.delete(point);
  if (fault === 'quota') throw new QuotaError();
  if (fault === 'conflict') throw new VaultConflictError();
  await vault().lock();
}

if (typeof __TEST_HOOKS__ === 'boolean' && __TEST_HOOKS__) {
  Object.assign(globalThis, {
    __nkmTest: {
      fail: (point: string, fault: Fault) => void faults.set(point, fault),
      setAutoLockMs: (ms: number) => vault().setAutoLockDelay(ms),
      loseClipboardWrites: (count: number) => void (lostClipboardWrites = count),
    },
  });
}
