export const componentsDir: string;
export const clientDir: string;
export const simulatorDir: string;
export function buildPackage(): Promise<{ out: string; client: string; simulator: string; elements: string[] }>;
