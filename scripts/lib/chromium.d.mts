export function locateChromium(): string | undefined;
export function ensureChromium(options?: { quiet?: boolean }): string;
export const chromiumArgs: string[];
