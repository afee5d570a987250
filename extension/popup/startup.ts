/**
 * The popup's first requests, sent as soon as the bundle runs (before the language and the first
 * render), so opening it waits for one round trip less: the app state, the remembered host and,
 * when that is one host, its cached key list. Each is used once, by the first load.
 */
import browser from 'webextension-polyfill';
import type { ApiKey } from '../../components/model/api-key.js';
import { call } from '../shared/messaging.js';
import type { ResponseOf } from '../shared/protocol.js';

export const ALL = 'all';
export const SELECTED_KEY = 'popup.selected';

interface Early {
  state: Promise<ResponseOf<'app.state'>>;
  selected: Promise<string | null>;
  /** The remembered host's cached list (null: All hosts, none remembered, or it failed, e.g. locked). */
  cached: Promise<{ hostId: string; keys: ApiKey[] } | null>;
}

let early: Early | null = null;

export function startEarly(): void {
  const selected = browser.storage.local.get(SELECTED_KEY).then(
    (stored) => (typeof stored[SELECTED_KEY] === 'string' ? stored[SELECTED_KEY] : null),
    () => null,
  );
  const cached = selected.then(async (hostId) => {
    if (!hostId || hostId === ALL) return null;
    const list = await call('keys.list', { hostId, cached: true }).catch(() => null);
    return list && list.fetchedAt > 0 ? { hostId, keys: list.keys } : null;
  });
  early = { state: call('app.state', null), selected, cached };
}

/** The early requests, once; later loads ask again. */
export function takeEarly(): Early | null {
  const taken = early;
  early = null;
  return taken;
}
