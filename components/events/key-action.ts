import type { ApiKeyRow } from '../model/api-key.js';
import { NasEvent } from './nas-event.js';

/**
 * A row action of `<api-key-table>`. `reset` is offered on revoked keys too (a reset is how
 * TrueNAS un-revokes a key); `quick-reset` is an extra the extension shows (reset and vault in one go).
 */
export type KeyAction = 'details' | 'edit' | 'reset' | 'quick-reset' | 'delete';

/** Every row action, in the order the table shows them. `details` opens a key's last use and open sessions (the manager adds it where the host reports them). */
export const KEY_ACTIONS: readonly KeyAction[] = ['details', 'edit', 'reset', 'quick-reset', 'delete'];

export interface KeyActionDetail {
  action: KeyAction;
  /** The row the action was chosen on (the same object the host passed in, or the provider returned). */
  key: ApiKeyRow;
}

/**
 * The user chose a row action. The table itself never calls a server: the host does the work.
 * `<api-key-manager>` re-dispatches it from itself as a cancelable request: a host page that calls
 * `preventDefault()` takes the action over (the extension does this for quick reset).
 */
export class NasKeyActionEvent extends NasEvent<KeyActionDetail> {
  static readonly eventName = 'nas-key-action';

  constructor(detail: KeyActionDetail, cancelable = false) {
    super(NasKeyActionEvent.eventName, detail, cancelable);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'nas-key-action': NasKeyActionEvent;
  }
}
