import { mergeSettings, settingsFromStorage, type Settings } from '../shared/settings.js';
import { push } from './events.js';
import { readLocal, serialized, writeLocal } from './store.js';

const KEY = 'settings';

export async function getSettings(): Promise<Settings> {
  return settingsFromStorage(await readLocal(KEY));
}

/** Validates and stores a partial update; throws a field error for bad values (nothing is stored then). */
export function updateSettings(update: unknown): Promise<Settings> {
  return serialized(KEY, async () => {
    const next = mergeSettings(await getSettings(), (update ?? {}));
    await writeLocal(KEY, next);
    push({ type: 'settings', settings: next });
    return next;
  });
}
