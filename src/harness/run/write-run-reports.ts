import { writeExports } from '../export/write-exports.ts';
import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { markLatest } from '../report/report-dir.ts';
import { clearPartial } from '../report/partial-runs.ts';
import type { RunResults } from '../results/results-types.ts';
import { writeReportHtml } from '../report/html/write-report-html.ts';
import { writeReportMd } from '../report/write-report-md.ts';
import { writeResultsJson } from '../report/write-results-json.ts';

/**
 * Writes every report format the scenario asks for, then points `latest` at this run. An
 * interrupted run (Ctrl-C) writes what it measured as results.json and report.md only: the
 * charts and exports read the whole history again, seconds the user asked not to wait.
 */
export async function writeRunReports(
  reportDir: string,
  results: RunResults,
  reportsRoot: string,
  secrets: readonly string[],
  recorder?: LatencyRecorder,
): Promise<void> {
  const formats = results.resolvedScenario.report.formats;
  const quick = results.run.status === 'interrupted';
  // results.json always: it is what marks the run complete (report-dir.ts), and what compare reads.
  if (formats.includes('json') || quick) await writeResultsJson(reportDir, results, secrets);
  if (formats.includes('md')) await writeReportMd(reportDir, results, secrets);
  // After the others: it reads the whole history and draws charts, the slowest report to write.
  if (formats.includes('html') && !quick) await writeReportHtml(reportDir, results, secrets);
  if (!quick) await writeExports(reportDir, results, { recorder, secrets });
  await clearPartial(reportDir);
  await markLatest(reportsRoot, results.scenario.name, results.run.id);
}
