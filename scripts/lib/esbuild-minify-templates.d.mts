import type { Plugin } from 'esbuild';

export function minifyCss(text: string): string;
export function minifyHtml(text: string): string;
export function minifyTemplates(source: string, fileName?: string): string;
export function minifyTemplatesPlugin(): Plugin;
