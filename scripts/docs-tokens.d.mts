export const DOC: string;
export const START: string;
export const END: string;
export function tokenTable(manifest: unknown): string;
export function generatedSection(): string;
