export const root: string;
export const dist: string;
export function buildExtension(browser: 'chrome' | 'firefox'): Promise<string>;
export function buildDemo(): Promise<string>;
export function build(): Promise<string[]>;
