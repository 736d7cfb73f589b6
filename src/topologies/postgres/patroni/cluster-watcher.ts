import type { HistoryEvent } from '../../../harness/history/history-types.ts';
import { restGet, type PatroniCluster } from './patroni-rest.ts';

// Follows the leader the way a load balancer's health check does (GET /primary on every member,
// 200 only on the one holding the leader key and running as primary), and records what Patroni
// says: a `manager` event with each member's role, state and timeline from GET /cluster whenever
// that changes, and a `failover` event when a new member becomes the leader (detectedAt: when the
// old leader last answered as leader; time: when the new one first did). The polls use each
// member's own REST port, never a faultable link: they are the harness's observation, like the
// role sampler's.

export interface WatchedMember {
  readonly name: string;
  readonly restPort: number;
}

const POLL_MS = 250;

export class ClusterWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private leaderName: string | undefined;
  private leaderLastSeen = 0;
  private lastSummary = '';
  private sink: (event: HistoryEvent) => void = () => {};
  private now: () => number = () => performance.now();

  constructor(
    private readonly members: () => readonly WatchedMember[],
    /** Told whenever the leader changes (the topology updates roles). */
    private readonly onLeader: (name: string) => void,
  ) {}

  /** The member whose /primary answered 200 most recently. */
  get leader(): string | undefined {
    return this.leaderName;
  }

  /** One poll now: the leader as the members say it (used at start-up, before the history exists). */
  async poll(): Promise<string[]> {
    const answers = await Promise.all(this.members().map(async (m) => ((await restGet(m.restPort, '/primary'))?.status === 200 ? m.name : undefined)));
    const leaders = answers.filter((name): name is string => name !== undefined);
    const time = this.now();
    if (this.leaderName !== undefined && leaders.includes(this.leaderName)) this.leaderLastSeen = time;
    const next = leaders.find((name) => name !== this.leaderName);
    if (next !== undefined && (this.leaderName === undefined || !leaders.includes(this.leaderName))) {
      const from = this.leaderName;
      this.leaderName = next;
      if (from !== undefined) this.sink({ type: 'failover', from, to: next, time, detectedAt: this.leaderLastSeen });
      this.leaderLastSeen = time;
      this.onLeader(next);
    }
    await this.recordCluster(leaders);
    return leaders;
  }

  private async recordCluster(leaders: readonly string[]): Promise<void> {
    // Any member's view: the leader's first, since an isolated member's cache may be stale.
    const order = [...this.members()].sort((a, b) => Number(b.name === this.leaderName) - Number(a.name === this.leaderName));
    for (const member of order) {
      const answer = await restGet<PatroniCluster>(member.restPort, '/cluster');
      if (!answer || !Array.isArray(answer.body.members)) continue;
      const members = answer.body.members
        .map((m) => ({ name: m.name, role: m.role, state: m.state, ...(m.timeline === undefined ? {} : { timeline: m.timeline }) }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const summary = JSON.stringify([members, leaders]);
      if (summary === this.lastSummary) return;
      this.lastSummary = summary;
      this.sink({ type: 'manager', time: this.now(), source: member.name, leaders: [...leaders].sort(), members });
      return;
    }
  }

  start(sink: (event: HistoryEvent) => void, now: () => number): void {
    this.sink = sink;
    this.now = now;
    this.lastSummary = '';
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.poll().then(() => {}, () => {}));
    }, POLL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
