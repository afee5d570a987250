import { nativeApi } from '../shared/platform.js';

export type FullViewAction = 'edit' | 'reset' | 'delete';

/**
 * Opens the full view (manager/manager.html) in a new tab with the host, and optionally a key
 * and an action, selected. Chrome closes the popup itself once the tab has focus.
 */
export async function openFullView(hostId: string | null, open?: { keyId: number; action: FullViewAction }): Promise<void> {
  const params = new URLSearchParams();
  if (hostId) params.set('host', hostId);
  if (open) {
    params.set('key', String(open.keyId));
    params.set('action', open.action);
  }
  const query = params.toString();
  const api = nativeApi();
  await api.tabs.create({ url: api.runtime.getURL(`manager/manager.html${query ? `?${query}` : ''}`) });
}
