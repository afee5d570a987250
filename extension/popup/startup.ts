/**
 * What the popup's first render needs, started as soon as this small module runs: popup.html
 * loads it on its own (async), ahead of the main bundle (Lit and the elements), which imports it
 * too (one module, run once). It asks for the language's tables (English too is a chunk) and
 * sends the first requests: the app state, the remembered host and, when that is one host, its
 * cached key list. Each answer is used once, by the first load.
 */
import type { ApiKey } from '../../components/model/api-key.js';
import { loadUiTables, type Tables } from '../shared/i18n/lazy.js';
import { send, unwrap } from '../shared/messaging.js';
import { nativeApi } from '../shared/platform.js';
import type { Reply } from '../shared/protocol.js';

export const ALL = 'all';
export const SELECTED_KEY = 'popup.selected';

interface Early {
  /** The app state's reply (unwrapped by the app, once the language's tables are in). */
  state: Promise<Reply<'app.state'> | undefined>;
  selected: Promise<string | null>;
  /** The remembered host's cached list (null: All hosts, none remembered, or it failed, e.g. locked). */
  cached: Promise<{ hostId: string; keys: ApiKey[] } | null>;
}

/** The UI language's tables (English if they fail to load). */
export const tables: Promise<Tables> = loadUiTables();

let early: Early | null = startEarly();

function startEarly(): Early {
  const state = send('app.state', null);
  const mirrored = mirroredSelection();
  const selected =
    mirrored !== null
      ? Promise.resolve(mirrored)
      : nativeApi()
          .storage.local.get(SELECTED_KEY)
          .then(
            (stored) => {
              const value = stored[SELECTED_KEY];
              if (typeof value !== 'string') return null;
              mirror(value);
              return value;
            },
            () => null,
          );
  const cached = selected.then(async (hostId) => {
    if (!hostId || hostId === ALL) return null;
    const list = await send('keys.list', { hostId, cached: true }).then((reply) => unwrap<'keys.list'>(reply), () => null);
    return list && list.fetchedAt > 0 ? { hostId, keys: list.keys } : null;
  });
  // Not awaited here: the app handles a failure of its own request.
  state.catch(() => undefined);
  return { state, selected, cached };
}

/**
 * The remembered host (a host id or All hosts; never a key or a secret) is kept in storage.local,
 * which the full view reads too, and mirrored in this page's localStorage, which reads without a
 * round trip: the cached list is asked for at once, not after a storage read.
 */
function mirroredSelection(): string | null {
  try {
    return globalThis.localStorage?.getItem(SELECTED_KEY) ?? null;
  } catch {
    return null;
  }
}

function mirror(selected: string): void {
  try {
    globalThis.localStorage?.setItem(SELECTED_KEY, selected);
  } catch {
    // storage.local still has it
  }
}

/** Remembers the shown host (or All hosts) for the next opening. */
export function rememberSelection(selected: string): Promise<void> {
  mirror(selected);
  return nativeApi().storage.local.set({ [SELECTED_KEY]: selected });
}

/** The early requests, once; later loads ask again. */
export function takeEarly(): Early | null {
  const taken = early;
  early = null;
  return taken;
}
