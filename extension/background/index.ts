/**
 * Background entry (Chrome service worker / Firefox event page). Every listener is registered
 * synchronously at top level, so an event that wakes a stopped background finds its handler.
 * Nothing relies on memory surviving a restart: hosts, settings, deadlines and cached key lists
 * are in storage, the unlocked vault session in storage.session (see extension/vault), and NAS
 * connections are reopened on demand.
 */
import browser from 'webextension-polyfill';
import { EVENTS_PORT, OFFSCREEN_PORT } from '../shared/protocol.js';
import { acceptOffscreenPort, isOffscreenPort } from './clipboard.js';
import { mapClientError } from './client-errors.js';
import { disconnect } from './connections.js';
import { addEventsPort, push } from './events.js';
import { periodicRefresh, updateBadge } from './fleet.js';
import './handlers.js';
import { addressOf, hasHostPermission, listHosts } from './hosts.js';
import { isTrustedSender, onMessage, setErrorMapper } from './router.js';
import { definePeriodic, onAlarm, start as startScheduler } from './scheduler.js';
import { activity, afterLock, mapVaultError, vault } from './vault-service.js';

setErrorMapper((error) => mapClientError(error) ?? mapVaultError(error));

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  const reply = onMessage(message, sender);
  // Any request from our pages is user activity: it pushes the vault's idle lock back.
  void reply?.then(() => activity()).catch(() => undefined);
  return reply;
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name === OFFSCREEN_PORT && isOffscreenPort(port)) acceptOffscreenPort(port);
  else if (port.name === EVENTS_PORT && port.sender && isTrustedSender(port.sender)) addEventsPort(port);
  else port.disconnect();
});

browser.alarms.onAlarm.addListener(onAlarm);

// The badge counts revoked and soon-expiring keys across hosts; refreshed hourly.
definePeriodic('badge-refresh', 60, async () => periodicRefresh(await vault().resume()));

// Host access can be withdrawn in the browser: drop connections that lost it (connections only
// exist while the vault is unlocked, and only then can the sealed host list be read).
browser.permissions.onRemoved.addListener(() => {
  void (async () => {
    if (!(await vault().resume())) return;
    const hosts = await listHosts();
    for (const host of hosts) if (!(await hasHostPermission(addressOf(host)))) disconnect(host.id);
    push({ type: 'hosts', hosts });
  })();
});

browser.runtime.onStartup.addListener(() => void updateBadge().catch(() => undefined));
browser.runtime.onInstalled.addListener((details) => {
  void updateBadge().catch(() => undefined);
  // First install: open the settings, where the vault is created and the first host added.
  if (details.reason === 'install') void browser.runtime.openOptionsPage().catch(() => undefined);
});

void startScheduler();

// A background that starts with the vault locked (browser restart, or a lock while it slept) runs
// the same clean-up as any lock: the clipboard is cleared if it still holds our value.
void vault()
  .resume()
  .then((unlocked) => (unlocked ? undefined : afterLock()))
  .catch(() => undefined);
