export const componentsDir: string;
export const clientDir: string;
export function buildPackage(): Promise<{ out: string; client: string; elements: string[] }>;
