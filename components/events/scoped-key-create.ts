import type { ScopedKeyPlan } from '../model/scoped-key.js';
import { NasAsyncEvent } from './nas-async-event.js';

export interface ScopedKeyCreateDetail {
  /** The plan the user reviewed: exactly what will be created, in order. */
  plan: ScopedKeyPlan;
}

/**
 * The user confirmed a reviewed scoped key in `<scoped-key-form>`. Call `event.waitUntil(promise)`
 * with the run (`service.createScopedKey(plan)`); the form stays busy until it settles and shows a
 * rejection: a `ScopedKeyFailure` names the step that failed, why, and what was undone or is left.
 */
export class NasScopedKeyCreateEvent extends NasAsyncEvent<ScopedKeyCreateDetail> {
  static readonly eventName = 'nas-scoped-key-create';

  constructor(detail: ScopedKeyCreateDetail) {
    super(NasScopedKeyCreateEvent.eventName, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-scoped-key-create': NasScopedKeyCreateEvent;
  }
}
