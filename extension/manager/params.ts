/**
 * The full view's address: `manager.html?host=<id>[&key=<id>&action=edit|reset|delete]`. Parsed
 * strictly: an action without a valid key id, or an unknown action, is ignored (the page then
 * simply shows the host), never guessed.
 */
export type FullViewAction = 'edit' | 'reset' | 'delete';

export interface FullViewParams {
  hostId: string | null;
  /** A key to open an action on, with that action; both or neither. */
  open: { keyId: number; action: FullViewAction } | null;
}

const ACTIONS: readonly FullViewAction[] = ['edit', 'reset', 'delete'];

function isAction(value: string | null): value is FullViewAction {
  return value !== null && (ACTIONS as readonly string[]).includes(value);
}

export function parseFullViewParams(search: string): FullViewParams {
  const params = new URLSearchParams(search);
  const hostId = params.get('host') || null;
  const keyText = params.get('key');
  const action = params.get('action');
  const keyId = keyText !== null && /^\d{1,15}$/.test(keyText) ? Number(keyText) : null;
  return { hostId, open: keyId !== null && isAction(action) ? { keyId, action } : null };
}

/** The query string for a host (the page keeps its address in step with the chosen host, without the one-off action). */
export function fullViewSearch(hostId: string): string {
  return `?${new URLSearchParams({ host: hostId }).toString()}`;
}
