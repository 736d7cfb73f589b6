import type pg from 'pg';
import type { OperationName, Region } from '../scenario/schema.ts';

// The Workload protocol: a schema, a deterministic dataset, and operations. Generation
// (what to do next) is separate from execution (doing it against a connection) so that the same
// seed gives the same operation sequence whatever the servers do.

/** One operation the generator chose, with everything needed to run it. */
export interface PlannedOp {
  readonly f: OperationName;
  /** Reads may go to replicas when the scenario says so; writes always go to the primary. */
  readonly target: 'primary' | 'replicas';
  readonly args: Record<string, unknown>;
}

export type OpResult =
  | { readonly type: 'ok'; readonly value?: unknown }
  | { readonly type: 'fail' | 'info'; readonly error: string; readonly value?: unknown };

/** A regional worker serves only its region's customers. */
export interface GeneratorScope {
  readonly customerRegions?: readonly Region[] | undefined;
}

export interface OpGenerator {
  next(): PlannedOp;
}

export interface DatasetSummary {
  readonly rows: Record<string, number>;
  readonly loadMs: number;
}

/** Client: what an operation runs on (a pg client; a MongoDB worker context). Setup: what schema and load take. */
export interface Workload<Client = pg.ClientBase, Setup = pg.ClientBase> {
  /** Create tables and indexes. Runs on the primary before the dataset is loaded. */
  createSchema(client: Setup): Promise<void>;
  /** Bulk-load the seeded dataset (COPY). Same seed, same rows. An abort stops it within a second (it rejects). */
  loadDataset(client: Setup, signal?: AbortSignal): Promise<DatasetSummary>;
  /** One generator per worker, seeded from (scenario seed, worker index). */
  generator(worker: number, workers: number, scope?: GeneratorScope): OpGenerator;
  /** Run one operation; never throws: every error becomes a fail or info result. */
  execute(op: PlannedOp, client: Client): Promise<OpResult>;
}

/**
 * How a load thread builds the run's workload on its own (load threads share no objects): a module
 * (file URL) exporting `createThreadWorkload(data)`, and that data (structured-clone safe). An
 * engine offers one where its workload is a pure function of the scenario (EngineRun.threadWorkload).
 */
export interface ThreadWorkloadRecipe {
  readonly module: string;
  readonly data: unknown;
}
