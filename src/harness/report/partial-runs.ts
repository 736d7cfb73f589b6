import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Scenario } from '../scenario/schema.ts';
import type { TopologyNodeInfo } from '../results/topology-record.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { isRunId } from './report-dir.ts';

// A run folder carries PARTIAL from the moment it is created until its reports are written. A run
// killed with SIGKILL (or a crashed harness) never removes it, so afterwards the folder still
// says it is incomplete, and `faultline list`, `clean` and `compare` can say so, while what it
// measured (history.jsonl, timeseries.jsonl) is still there. The marker also holds the resolved
// scenario, so `faultline report` can summarise that into a partial report (partial-report.ts).

export const PARTIAL_MARKER = 'PARTIAL';

export interface MarkerContent {
  readonly pid: number;
  readonly startedAt: string;
  readonly scenario: string;
  /** The scenario as the run resolved it (defaults and --set applied); absent in markers of older versions. */
  readonly resolvedScenario?: Scenario;
  /** The nodes as provisioned (names, roles, ports), once they are. */
  readonly nodes?: readonly TopologyNodeInfo[];
}

export async function markPartial(runDir: string, scenario: string, resolved?: Scenario): Promise<void> {
  const content: MarkerContent = { pid: process.pid, startedAt: new Date().toISOString(), scenario, ...(resolved ? { resolvedScenario: resolved } : {}) };
  await writeFile(path.join(runDir, PARTIAL_MARKER), `${JSON.stringify(content)}\n`);
}

/** Adds the provisioned nodes to the marker (atomically: a kill mid-write leaves the marker as it was). */
export async function notePartialNodes(runDir: string, nodes: readonly TopologyNodeInfo[]): Promise<void> {
  const marker = await readPartialMarker(runDir);
  if (marker === undefined) return;
  await writeFileAtomic(path.join(runDir, PARTIAL_MARKER), `${JSON.stringify({ ...marker, nodes })}\n`);
}

/** The marker's content; undefined without a marker, {} for one the kill cut short. */
export async function readPartialMarker(runDir: string): Promise<Partial<MarkerContent> | undefined> {
  const text = await readFile(path.join(runDir, PARTIAL_MARKER), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<MarkerContent>) : {};
  } catch {
    return {};
  }
}

/** The reports are written: the folder is a complete run. */
export async function clearPartial(runDir: string): Promise<void> {
  await rm(path.join(runDir, PARTIAL_MARKER), { force: true });
}

export interface IncompleteRun {
  readonly dir: string;
  /** running: its harness is still alive; killed: it is gone and never wrote its reports. */
  readonly state: 'running' | 'killed';
  readonly pid: number;
  readonly startedAt: string;
  /** History lines recorded before it stopped (0 without a history). */
  readonly events: number;
  readonly hasResults: boolean;
  /** Its results.json is a partial summary made afterwards (`faultline report`). */
  readonly summarised: boolean;
}

/** The run's marker, if it has one: whether it is still running, and how much it recorded. */
export async function incompleteRun(runDir: string): Promise<IncompleteRun | undefined> {
  // A marker cut short by the kill still marks the run incomplete.
  const marker = await readPartialMarker(runDir);
  if (marker === undefined) return undefined;
  const pid = Number(marker.pid ?? 0);
  return {
    dir: runDir,
    state: pid > 0 && alive(pid) ? 'running' : 'killed',
    pid,
    startedAt: marker.startedAt ?? 'unknown',
    events: await countLines(path.join(runDir, 'history.jsonl')),
    ...(await resultsState(path.join(runDir, 'results.json'))),
  };
}

/**
 * Every incomplete run below the reports root: reports/<scenario>/<run-id>/, and the runs of
 * matrices and sets a level or two further down.
 */
export async function findIncompleteRuns(reportsRoot: string, depth = 4): Promise<IncompleteRun[]> {
  const found: IncompleteRun[] = [];
  for (const child of await dirs(reportsRoot)) {
    const dir = path.join(reportsRoot, child);
    const incomplete = isRunId(child) ? await incompleteRun(dir) : undefined;
    if (incomplete) found.push(incomplete);
    else if (depth > 1) found.push(...(await findIncompleteRuns(dir, depth - 1)));
  }
  return found;
}

/** One line: where, why, and what it still holds. */
export function describeIncomplete(run: IncompleteRun, shownDir: string = run.dir): string {
  const kept = `started ${run.startedAt}, ${run.events} history events kept`;
  if (run.state === 'running') return `${shownDir}: still running (pid ${run.pid}); ${kept}`;
  const results = run.summarised
    ? 'summarised into a partial report (report.md, results.json)'
    : run.hasResults
      ? 'results.json written just before it stopped'
      : `no results.json (faultline report ${shownDir} summarises what it measured)`;
  return `${shownDir}: incomplete: its harness (pid ${run.pid}) stopped before writing the report; ${kept}, ${results}`;
}

async function resultsState(file: string): Promise<{ hasResults: boolean; summarised: boolean }> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { hasResults: false, summarised: false };
  try {
    return { hasResults: true, summarised: Boolean((JSON.parse(text) as { run?: { partial?: unknown } }).run?.partial) };
  } catch {
    return { hasResults: true, summarised: false };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function dirs(parent: string): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** Streamed: a killed run's history can be gigabytes. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
    }
  } catch {
    return lines;
  }
  return lines;
}
