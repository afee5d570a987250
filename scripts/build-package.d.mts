export function buildPackage(): Promise<{ out: string; elements: string[] }>;
