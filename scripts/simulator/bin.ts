#!/usr/bin/env node
// The `truenas-api-simulator` command (and `npm run sim` in this repository).
import { main } from './cli.js';

await main(process.argv.slice(2));
