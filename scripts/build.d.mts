export const root: string;
export const dist: string;
export function buildExtension(
  browser: 'chrome' | 'firefox',
  options?: { outDir?: string; manifest?: Record<string, unknown> },
): Promise<string>;
export function buildDemo(): Promise<string>;
export function build(): Promise<string[]>;
