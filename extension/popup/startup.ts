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
import { ALL, SELECTED_KEY, mirrorSelection, mirroredSelection } from './selection.js';

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
              mirrorSelection(value);
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

/** The early requests, once; later loads ask again. */
export function takeEarly(): Early | null {
  const taken = early;
  early = null;
  return taken;
}
