export const root: string;
export const dist: string;
export function buildExtension(
  browser: 'chrome' | 'firefox',
  /** `testHooks`: compile in the e2e fault points (test builds only). */
  options?: { outDir?: string; manifest?: Record<string, unknown>; testHooks?: boolean },
): Promise<string>;
export function buildDemo(): Promise<string>;
export function build(): Promise<string[]>;
