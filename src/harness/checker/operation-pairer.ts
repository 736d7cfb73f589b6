import type { HistoryEvent, InvokeEvent, Outcome } from '../history/history-types.ts';
import type { OperationName } from '../scenario/schema.ts';

// Pairs each completion with its invoke while the history streams by. Only operations a checker
// cares about are held, and only until they complete, so memory follows the number of operations
// in flight (the worker count), not the length of the run.

export interface Operation {
  readonly id: number;
  readonly f: OperationName;
  readonly worker: number;
  /** The node that answered (the completion's node: a reconnect may have moved the worker). */
  readonly node: string;
  readonly invokeTime: number;
  /** Completion time. */
  readonly time: number;
  readonly type: Outcome;
  /** The operation's arguments, from the invoke. */
  readonly args: unknown;
  /** What the completion reported. */
  readonly value: unknown;
  readonly error?: string;
}

export class OperationPairer {
  private readonly pending = new Map<number, InvokeEvent>();

  constructor(private readonly wanted: (f: OperationName) => boolean) {}

  /** The completed operation when `event` completes a wanted one, else undefined. */
  accept(event: HistoryEvent): Operation | undefined {
    if (event.type === 'invoke') {
      if (this.wanted(event.f)) this.pending.set(event.id, event);
      return undefined;
    }
    if (event.type !== 'ok' && event.type !== 'fail' && event.type !== 'info') return undefined;
    const invoke = this.pending.get(event.id);
    if (invoke === undefined) return undefined;
    this.pending.delete(event.id);
    return {
      id: event.id,
      f: event.f,
      worker: event.worker,
      node: event.node || invoke.node,
      invokeTime: invoke.time,
      time: event.time,
      type: event.type,
      args: invoke.value,
      value: event.value,
      ...(event.error === undefined ? {} : { error: event.error }),
    };
  }

  /** Invoked but never completed (the harness stopped first): their outcome is unknown. */
  unfinished(): Iterable<InvokeEvent> {
    return this.pending.values();
  }
}
