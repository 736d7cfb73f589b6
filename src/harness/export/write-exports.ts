import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import type { RunResults } from '../results/results-types.ts';
import { firstWorkloadOrderId } from '../workload/ecommerce/ecommerce-workload.ts';
import { ELLE_HISTORY_FILE, writeElleHistory } from './write-elle-history.ts';
import { writeHgrmFiles } from './write-hgrm.ts';
import { errorMessage } from '../output/errors.ts';

export interface ExportOptions {
  /** The run's recorder: its histograms are the only full-resolution latencies (results.json has percentiles). */
  readonly recorder?: LatencyRecorder;
  readonly secrets?: readonly string[];
  readonly warn?: (message: string) => void;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Files for other tools, beside the reports: hgrm/<op>.hgrm (HdrHistogram) and history.edn
 * (Jepsen's Elle). They are extras: one that cannot be written is reported and skipped, never
 * a reason to lose the run's report or its `latest` pointer.
 */
export async function writeExports(reportDir: string, results: RunResults, options: ExportOptions = {}): Promise<void> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`faultline: ${message}\n`));
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      warn(`could not write ${what}: ${errorMessage(error)}`);
    }
  };
  const { recorder } = options;
  if (recorder !== undefined) await attempt('hgrm/*.hgrm', () => writeHgrmFiles(reportDir, recorder.histograms()));
  const historyPath = join(reportDir, 'history.jsonl');
  if (!(await exists(historyPath))) return;
  await attempt(ELLE_HISTORY_FILE, () =>
    writeElleHistory(
      historyPath,
      join(reportDir, ELLE_HISTORY_FILE),
      {
        firstWorkloadOrderId: firstWorkloadOrderId(results.resolvedScenario.workload.dataset),
        workers: Math.max(1, results.load.workers),
      },
      options.secrets ?? [],
    ),
  );
}
