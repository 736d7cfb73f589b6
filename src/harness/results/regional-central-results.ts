// What pg-regional-central adds to results.json under `regionalCentral`: where each region's
// data lives, how fresh central's view of each region was over the run, and the analytics
// central answered afterwards. Completeness itself is the central-completeness check's verdict.

export interface Spread {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** The worst staleness seen in one second; time in s from the measured run's start (warmup < 0). */
export interface FreshnessPoint {
  readonly time: number;
  readonly region: string;
  readonly maxMs: number;
}

export interface RegionPlacement {
  readonly region: string;
  readonly node: string;
  readonly replicas: readonly string[];
  /** Customer regions (NA, EMEA, ...) whose customers, carts, ratings and orders live here. */
  readonly customerRegions: readonly string[];
  readonly customers: number;
}

export interface RegionalCentralResults {
  readonly central: { readonly node: string; readonly region?: string } | null;
  readonly publishedTables: readonly string[];
  readonly regions: readonly RegionPlacement[];
  /** Per region: how stale central's view of it was (ms), from heartbeats; empty without central. */
  readonly freshnessMs: Readonly<Record<string, Spread | null>>;
  readonly freshnessSeries: readonly FreshnessPoint[];
  /** Per regional replica: how stale it was behind its regional primary (ms). */
  readonly replicaStalenessMs: Readonly<Record<string, Spread | null>>;
  /** The central-completeness check's counts, repeated here beside the freshness they explain. */
  readonly completeness?: Readonly<Record<string, number>>;
  readonly analytics?: CentralAnalytics;
  /** Why the analytics are missing, when they are. */
  readonly analyticsError?: string;
}

export interface RegionSales {
  /** The customers' region as the dataset names it (NA, EMEA, ...). */
  readonly customerRegion: string;
  /** The topology region that owns those customers; null if none does. */
  readonly region: string | null;
  readonly orders: number;
  /** Orders placed during the run (replicated from the regions), the rest being the dataset's. */
  readonly runOrders: number;
  readonly revenue: number;
}

export interface ProductSales {
  readonly productId: number;
  readonly name: string;
  readonly units: number;
  readonly revenue: number;
}

export interface CentralAnalytics {
  readonly salesByRegion: readonly RegionSales[];
  readonly topProducts: readonly ProductSales[];
  /** How long each query took on central, in ms. */
  readonly queryMs: { readonly salesByRegion: number; readonly topProducts: number };
}

/** One staleness sample: `key` is `<region>->central` (central's view of a region) or a regional replica's name. */
export interface FreshnessSample {
  readonly key: string;
  readonly time: number;
  readonly stalenessMs: number;
  /** The region's pg_stat_replication.replay_lag for that subscriber, to cross-check. */
  readonly replayLagMs?: number;
}
