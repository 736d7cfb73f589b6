/** How the run's end was decided (results.json run.extension). */
export interface LoadExtension {
  /** How far the load ran past workload.duration, ms. */
  readonly extendedMs: number;
  /**
   * not-needed: nothing healed late; recovered: the heals and the load after them were seen;
   * max-extension: stopped at the limit (faults may still be in force, or too little load after the last heal);
   * stopped: the run was interrupted or the load ended on its own.
   */
  readonly reason: 'not-needed' | 'recovered' | 'max-extension' | 'stopped';
  /** Run-clock ms of the last fault end (from the measured run's start), if any fault ended. */
  readonly lastHealMs?: number;
  /** Writes (operations, when the mix has none) invoked after the last fault end. */
  readonly writesAfterLastHeal?: number;
  readonly faultsInForce: boolean;
  readonly policy: { readonly writes: number; readonly durationMs: number; readonly maxExtensionMs: number };
}
