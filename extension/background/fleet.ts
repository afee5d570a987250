/**
 * "All hosts": every key on every saved host in one list. A refresh queries all hosts at once,
 * reports progress to open pages, and keeps going when some hosts fail (each host gets its own
 * status with the library's message). Cached lists answer instantly and feed the badge.
 */
import { keyStatus } from '../../components/model/api-key.js';
import { isBlank, isolate } from '../../components/kit.js';
import browser from 'webextension-polyfill';
import { ExtensionError } from '../shared/errors.js';
import { translate } from '../shared/i18n/index.js';
import type { FleetResult, FleetRow, HostStatus, SavedHost } from '../shared/protocol.js';
import { atRiskIds, fleetReadiness } from '../shared/upgrade.js';
import { push } from './events.js';
import { listHosts } from './hosts.js';
import { cachedKeys, liveKeys, type CachedKeys } from './keys.js';
import { toWireError } from './router.js';
import { getSettings } from './settings.js';
import { readLocal, writeLocal } from './store.js';
import { vault } from './vault-instance.js';

function rows(host: SavedHost, cached: CachedKeys | undefined): FleetRow[] {
  return (cached?.keys ?? []).map((key) => ({ ...key, hostId: host.id, hostName: host.name }));
}

export async function cachedFleet(): Promise<FleetResult> {
  const hosts = await listHosts();
  const all: FleetRow[] = [];
  const statuses: HostStatus[] = [];
  let refreshedAt = 0;
  for (const host of hosts) {
    const cached = await cachedKeys(host.id);
    all.push(...rows(host, cached));
    statuses.push({ hostId: host.id, state: cached ? 'ready' : 'idle', error: null });
    refreshedAt = Math.max(refreshedAt, cached?.fetchedAt ?? 0);
  }
  return { rows: all, hosts: statuses, refreshedAt };
}

let running: Promise<FleetResult> | null = null;

/** Refreshes every host concurrently (one refresh at a time; callers share it). */
export function refreshFleet(): Promise<FleetResult> {
  running ??= (async () => {
    const hosts = await listHosts();
    let done = 0;
    push({ type: 'progress', operation: 'fleet', done, total: hosts.length });
    const results = await Promise.all(
      hosts.map(async (host): Promise<{ host: SavedHost; status: HostStatus; cached: CachedKeys | undefined }> => {
        try {
          const cached = await liveKeys(host);
          return { host, status: { hostId: host.id, state: 'ready', error: null }, cached };
        } catch (error) {
          // Keep the last known keys of a host that failed now, marked with its error.
          return { host, status: { hostId: host.id, state: 'error', error: toWireError(error) }, cached: await cachedKeys(host.id) };
        } finally {
          push({ type: 'progress', operation: 'fleet', done: ++done, total: hosts.length });
        }
      }),
    );
    const result: FleetResult = { rows: results.flatMap((r) => rows(r.host, r.cached)), hosts: results.map((r) => r.status), refreshedAt: Date.now() };
    await updateBadge(result.rows);
    return result;
  })().finally(() => {
    running = null;
  });
  return running;
}

// ---- Badge and notifications ------------------------------------------------------------------

const NOTIFIED_KEY = 'badge.notified';

/** Keys that need attention: revoked, expired, or expiring within the configured window (upgrade risks: updateBadge). */
export function attention(rows: readonly FleetRow[], days: number, now = Date.now()): FleetRow[] {
  return rows.filter((row) => keyStatus(row, now, days) !== 'active');
}

const COUNT_KEY = 'badge.count';

/**
 * Sets the badge from the given rows, or from the cached lists. While the vault is locked the
 * lists cannot be read (they are sealed), so the badge shows the last count, which is kept in
 * clear: a number, naming no host or key.
 */
export async function updateBadge(rows?: FleetRow[]): Promise<number> {
  if (!rows && !vault().unlocked && !(await vault().resume())) return showCount((await readLocal<number>(COUNT_KEY)) ?? 0);
  const all = rows ?? (await cachedFleet()).rows;
  const settings = await getSettings();
  const flagged = attention(all, settings.expiringDays);
  // Keys the next upgrade of their NAS would revoke count too (each key once).
  const atRisk = atRiskIds(fleetReadiness(all, await listHosts()));
  for (const row of flagged) atRisk.delete(`${row.hostId}#${row.id}`);
  const count = await showCount(flagged.length + atRisk.size);
  await writeLocal(COUNT_KEY, count);
  if (settings.notifications) await notify(flagged);
  return count;
}

async function showCount(count: number): Promise<number> {
  await browser.action.setBadgeText({ text: count ? String(count) : '' });
  await browser.action.setBadgeBackgroundColor({ color: '#b3261e' });
  await browser.action.setTitle({ title: count ? translate('ext.badge.title', count) : translate('ext.badge.none') });
  return count;
}

/** One notification per key that newly needs attention (remembered so it is not repeated). */
async function notify(flagged: FleetRow[]): Promise<void> {
  if (!browser.notifications || !(await browser.permissions.contains({ permissions: ['notifications'] }))) return;
  const seen = new Set((await readLocal<string[]>(NOTIFIED_KEY)) ?? []);
  const now = Date.now();
  const current = new Set<string>();
  for (const row of flagged) {
    const status = keyStatus(row, now, (await getSettings()).expiringDays);
    const id = `${row.hostId}:${row.id}:${status}`;
    current.add(id);
    if (seen.has(id)) continue;
    const name = isolate(isBlank(row.name) ? translate('ext.name.unnamed', row.id) : row.name);
    await browser.notifications.create(id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('icons/icon-128.png'),
      // Plain text: hidden characters as markers, the NAS text isolated (display-text.ts).
      title: translate('ext.notify.title', isolate(row.hostName)),
      message:
        status === 'revoked'
          ? translate('ext.notify.revoked', name, row.revokedReason ? isolate(row.revokedReason) : '')
          : status === 'expired'
            ? translate('ext.notify.expired', name)
            : translate('ext.notify.expiring', name, Math.max(0, Math.ceil(((row.expiresAt ?? now) - now) / 86_400_000))),
    });
  }
  await writeLocal(NOTIFIED_KEY, [...current]);
}

/** The periodic alarm: refresh live when the vault is unlocked, else count from the cache. */
export async function periodicRefresh(unlocked: boolean): Promise<void> {
  if (unlocked) await refreshFleet().catch(() => updateBadge());
  else await updateBadge();
}

export function assertHosts(hosts: SavedHost[]): void {
  if (hosts.length === 0) throw new ExtensionError('not-found', translate('ext.fleet.noHosts'));
}
