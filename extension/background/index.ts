/**
 * Background entry (Chrome service worker / Firefox event page). Every listener is registered
 * synchronously at top level, so an event that wakes a stopped background finds its handler.
 * Nothing here relies on memory surviving: state that must outlive a restart is in storage.
 */
import browser from 'webextension-polyfill';
import { EVENTS_PORT, OFFSCREEN_PORT } from '../shared/protocol.js';
import { acceptOffscreenPort, clearNow, copySecret, isOffscreenPort } from './clipboard.js';
import { addEventsPort } from './events.js';
import { handle, isTrustedSender, onMessage } from './router.js';
import { onAlarm, start as startScheduler } from './scheduler.js';
import { getSettings, updateSettings } from './settings.js';
import { object, string } from './validate.js';

handle('clipboard.copy', async (payload) => copySecret(string(object(payload).text, 'text')));
handle('clipboard.clear', async () => {
  await clearNow();
  return null;
});
handle('settings.update', async (payload) => updateSettings(object(payload)));
handle('app.state', async () => ({
  vault: { initialized: false, locked: true, autoLockAt: null },
  hosts: [],
  settings: await getSettings(),
}));

browser.runtime.onMessage.addListener(onMessage);
browser.runtime.onConnect.addListener((port) => {
  if (port.name === OFFSCREEN_PORT && isOffscreenPort(port)) acceptOffscreenPort(port);
  else if (port.name === EVENTS_PORT && port.sender && isTrustedSender(port.sender)) addEventsPort(port);
  else port.disconnect();
});
browser.alarms.onAlarm.addListener(onAlarm);

void startScheduler();
