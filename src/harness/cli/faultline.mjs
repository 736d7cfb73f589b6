#!/usr/bin/env node
// The installed `faultline` command: TypeScript sources run through tsx's loader, so the checkout
// needs no build step. Kept as .mjs because it must run before any TypeScript loader exists.
import { register } from 'tsx/esm/api';

register();
const [{ main }, { ExitCode }] = await Promise.all([import('./main.ts'), import('../output/exit-codes.ts')]);
const code = await main(process.argv.slice(2));
// An interrupted run has reported and torn down; a phase it stopped waiting for (a check reading a
// long history) must not keep the process alive after that.
if (code === ExitCode.interrupted) process.exit(code);
process.exitCode = code;
// The command is done: whatever handle a failed phase may have left open (a socket, a timer)
// must not hold the process, so it exits within 2 s whatever is still open.
if (code !== ExitCode.ok) setTimeout(() => process.exit(code), 2_000).unref();
