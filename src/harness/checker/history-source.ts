import type { HistoryEvent } from '../history/history-types.ts';

// What a history checker's pure function reads: the file streamed by readHistory in a run, a
// plain array in a unit test. Either way events arrive in time order, as the writer records them
// (the time is taken and the line appended in the same synchronous step).
export type HistorySource = AsyncIterable<HistoryEvent> | Iterable<HistoryEvent>;
