// Background entry (Chrome service worker / Firefox event page). Placeholder until the extension
// issue lands the real background; listeners must be registered synchronously at top level.
import browser from 'webextension-polyfill';

browser.runtime.onInstalled.addListener(() => {
  // Nothing to migrate yet.
});
