export function processTree(pid: number): number[];
export function isAlive(pid: number): boolean;
export function signalTree(pid: number, signal: NodeJS.Signals): void;
export function findServers(dir: string): number[];
export function reapRunDir(dir: string): number[];
