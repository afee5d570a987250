// Turns the one source manifest.json into a per-browser manifest. Keys prefixed `__chrome__` or
// `__firefox__` apply to that browser only (the prefix is stripped); unprefixed keys apply to both.
const BROWSERS = ['chrome', 'firefox'];

export function manifestFor(source, browser, { version } = {}) {
  if (!BROWSERS.includes(browser)) throw new Error(`Unknown browser ${browser}`);
  const out = {};
  for (const [key, value] of Object.entries(source)) {
    const match = /^__(\w+?)__(.+)$/.exec(key);
    if (!match) out[key] = value;
    else if (match[1] === browser) out[match[2]] = value;
  }
  if (version) out.version = version;
  return out;
}
