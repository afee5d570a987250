export function zip(files: Array<{ name: string; data: Buffer }>): Buffer;
export function zipEntries(buffer: Buffer): Array<{ name: string; size: number }>;
export function packageExtension(options?: { buildDir?: string; outDir?: string; source?: boolean }): Promise<{ chrome: string; firefox: string; source?: string }>;
