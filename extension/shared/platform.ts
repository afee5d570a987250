/**
 * Which browser this build targets, and guards for Chrome-only APIs. The build defines
 * `__BROWSER__` per output (dist/chrome, dist/firefox); code that runs unbundled (unit tests)
 * falls back to feature detection.
 */
declare const __BROWSER__: 'chrome' | 'firefox' | undefined;

export type BrowserName = 'chrome' | 'firefox';

export const BROWSER: BrowserName =
  typeof __BROWSER__ === 'string' ? __BROWSER__ : typeof (globalThis as { browser?: unknown }).browser === 'object' ? 'firefox' : 'chrome';

/** Chrome's offscreen API (absent on Firefox, whose background page has a DOM of its own). */
export function offscreenApi(): typeof chrome.offscreen | undefined {
  return typeof chrome === 'object' && chrome?.offscreen ? chrome.offscreen : undefined;
}

/** True in a context that has a DOM document (Firefox background page, extension pages). */
export function hasDocument(): boolean {
  return typeof document === 'object' && document !== null && typeof document.createElement === 'function';
}

/**
 * The browser's own promise-based extension API: `browser` on Firefox, `chrome` on Chrome (whose
 * MV3 APIs return promises too). Pages use it instead of webextension-polyfill, which the
 * popup's budget has no room for; the background keeps the polyfill.
 */
export function nativeApi(): typeof chrome {
  return (globalThis as { browser?: typeof chrome }).browser ?? chrome;
}
