import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { settleHistory } from './history-spill.mjs';
import { mergeHistories } from './merge-histories.ts';

// What a killed harness leaves of its history, made into the one history.jsonl a finished run
// writes. Each history thread prints behind the load from a spill (history-spill.mjs), and a run
// in load threads has one history file per thread, merged into history.jsonl only when the history
// closes (history-writer.ts). A SIGKILL skips both: the spills are printed here and the threads'
// files merged by time, so `faultline report` counts every operation that was recorded.

/** A load thread's history file (threaded-load-driver.ts names them), or the spill of one. */
const THREAD_FILE = /^(history-thread-\d+)\.(jsonl|records)$/;

export interface SettledHistory {
  /** Thread history files merged into the run's history (0 for a run in one thread). */
  readonly threadFiles: number;
}

/** Settles `historyPath` (the run's history.jsonl) and merges into it the threads' files beside it. */
export async function settleRunHistory(historyPath: string): Promise<SettledHistory> {
  settleHistory(historyPath);
  const folder = dirname(historyPath);
  const names = new Set<string>();
  for (const name of await readdir(folder)) {
    const match = THREAD_FILE.exec(name);
    if (match) names.add(`${match[1]}.jsonl`);
  }
  // The history's own name never matches (history.jsonl): a thread file is never merged into itself.
  const threadPaths = [...names].filter((name) => name !== basename(historyPath)).sort(byThread).map((name) => join(folder, name));
  // A thread killed before it printed a line has only a spill; settled, it has its file.
  for (const path of threadPaths) settleHistory(path);
  if (threadPaths.length === 0) return { threadFiles: 0 };
  // Killed before the main thread printed its first line: the threads' files are all there is.
  await mergeHistories(historyPath, existsSync(historyPath) ? [historyPath, ...threadPaths] : threadPaths);
  await Promise.all(threadPaths.map((path) => rm(path, { force: true })));
  return { threadFiles: threadPaths.length };
}

/** history-thread-2 before history-thread-10: the merge keeps file order on equal times. */
function byThread(a: string, b: string): number {
  return Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]);
}
