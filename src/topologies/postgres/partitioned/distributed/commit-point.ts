import type { CommitPointKill } from '../../../../harness/results/distributed-commit-results.ts';

export type { CommitPointKill };
// The fault `kill ... during: commit` must hit the instant between a distributed checkout's
// writes and its commit, which no timer can aim at. The nemesis arms this trap with a target;
// the next checkout that reaches its commit point with that target among its participants
// claims it, kills the target there, and reports what it hit. One shot per arming.

export interface CommitPointRequest {
  readonly target: string;
  /** How long the trap has been waiting for a checkout that can serve it. */
  readonly waitedMs: number;
}

export interface Claim {
  readonly target: string;
  done(kill: CommitPointKill): void;
  failed(error: unknown): void;
  /** The checkout could not serve it after all: the next one may. */
  release(): void;
}

interface Armed {
  readonly target: string;
  readonly armedAt: number;
  readonly deadline: number;
  readonly resolve: (kill: CommitPointKill) => void;
  readonly reject: (error: Error) => void;
  claimed: boolean;
  timer?: NodeJS.Timeout;
}

export class CommitPointTrap {
  private armed: Armed | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The armed request nobody has claimed yet; checkouts look before doing any extra work. */
  get request(): CommitPointRequest | undefined {
    const armed = this.armed;
    return armed && !armed.claimed ? { target: armed.target, waitedMs: this.now() - armed.armedAt } : undefined;
  }

  /** Resolves once a checkout killed `target` at its commit point; rejects after `timeoutMs` without one. */
  arm(target: string, timeoutMs: number): Promise<CommitPointKill> {
    if (this.armed) return Promise.reject(new Error(`a kill at the commit point of ${this.armed.target} is already waiting`));
    return new Promise((resolve, reject) => {
      const armed: Armed = { target, armedAt: this.now(), deadline: this.now() + timeoutMs, resolve, reject, claimed: false };
      this.armed = armed;
      this.schedule(armed);
    });
  }

  private schedule(armed: Armed): void {
    armed.timer = setTimeout(() => {
      if (this.armed !== armed || armed.claimed) return;
      this.armed = undefined;
      armed.reject(new Error(`no checkout reached its commit point with ${armed.target} as a participant in time`));
    }, Math.max(0, armed.deadline - this.now()));
  }

  /** Takes the armed request if `accepts` says this checkout can serve it; at most one claim at a time. */
  claim(accepts: (request: CommitPointRequest) => boolean): Claim | undefined {
    const armed = this.armed;
    const request = this.request;
    if (!armed || !request || !accepts(request)) return undefined;
    armed.claimed = true;
    clearTimeout(armed.timer);
    const finish = () => {
      if (this.armed === armed) this.armed = undefined;
    };
    return {
      target: armed.target,
      done: (kill) => {
        finish();
        armed.resolve(kill);
      },
      failed: (error) => {
        finish();
        armed.reject(error instanceof Error ? error : new Error(String(error)));
      },
      release: () => {
        if (this.armed !== armed) return;
        armed.claimed = false;
        this.schedule(armed);
      },
    };
  }

  /** Gives up on whatever is armed (the run is ending). */
  cancel(): void {
    const armed = this.armed;
    if (!armed) return;
    this.armed = undefined;
    clearTimeout(armed.timer);
    armed.reject(new Error('the run ended before a checkout reached its commit point'));
  }
}
