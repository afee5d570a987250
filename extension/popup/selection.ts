/**
 * The popup's remembered selection (a host id or All hosts; never a key or a secret). It is kept
 * in storage.local, which the full view reads too, and mirrored in this page's localStorage, which
 * reads without a round trip: the first paint and the early requests use it at once.
 */
import { nativeApi } from '../shared/platform.js';

export const ALL = 'all';
export const SELECTED_KEY = 'popup.selected';

export function mirroredSelection(): string | null {
  try {
    return globalThis.localStorage?.getItem(SELECTED_KEY) ?? null;
  } catch {
    return null;
  }
}

export function mirrorSelection(selected: string): void {
  try {
    globalThis.localStorage?.setItem(SELECTED_KEY, selected);
  } catch {
    // storage.local still has it
  }
}

/** Remembers the shown host (or All hosts) for the next opening. */
export function rememberSelection(selected: string): Promise<void> {
  mirrorSelection(selected);
  return nativeApi().storage.local.set({ [SELECTED_KEY]: selected });
}
