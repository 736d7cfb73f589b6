// @ts-check
// A load thread's entry. Plain JavaScript, as history-worker.mjs: a worker thread starts with no
// TypeScript loader (its execArgv is empty, so it inherits no --import tsx or test runner flags),
// so it registers tsx's and then loads the thread's TypeScript (load-thread-main.ts).
import { register } from 'tsx/esm/api';

register();
await import('./load-thread-main.ts');
