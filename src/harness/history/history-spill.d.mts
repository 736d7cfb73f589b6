// Types of history-spill.mjs (plain JavaScript, also used by the history worker thread).
export declare function spillPathOf(historyPath: string): string;
/** After a kill: prints the whole spill as history.jsonl and removes it; false when there was none. */
export declare function settleHistory(historyPath: string): boolean;
