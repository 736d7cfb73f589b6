#!/usr/bin/env node
// The installed `faultline` command: TypeScript sources run through tsx's loader, so the checkout
// needs no build step. Kept as .mjs because it must run before any TypeScript loader exists.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
