export function locateChromium(): string | undefined;
export function ensureChromium(options?: { quiet?: boolean }): string;
export const chromiumArgs: string[];
export function locateFirefox(): string | undefined;
export function ensureBrowsers(options?: { firefox?: boolean; quiet?: boolean }): { chromium: string; firefox: string | undefined };
