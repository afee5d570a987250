// Web Test Runner plugin: lets browser tests grant or deny real browser permissions (e.g. the
// clipboard) for their own page, so clipboard code runs against Chromium's real clipboard.
// Tests call `executeServerCommand('set-permissions', { 'clipboard-read': 'granted', ... })`.
export function permissionsPlugin() {
  return {
    name: 'nas-permissions',
    async executeCommand({ command, payload, session }) {
      if (command !== 'set-permissions') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page) throw new Error('set-permissions needs the Chrome launcher.');
      const origin = new URL(page.url()).origin;
      const entries = Object.entries(payload ?? {}).map(([name, state]) => ({ permission: { name }, state }));
      await page.browserContext().setPermission(origin, ...entries);
      return true;
    },
  };
}
