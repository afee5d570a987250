#!/usr/bin/env node
// CLI launcher for the NAS simulator (written in TypeScript, run through tsx).
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./simulator/cli.ts', import.meta.url);
await main(process.argv.slice(2));
