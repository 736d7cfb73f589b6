import { writeExports } from '../export/write-exports.ts';
import type { LatencyRecorder } from '../metrics/latency-recorder.ts';
import { markLatest } from '../report/report-dir.ts';
import type { RunResults } from '../report/results-types.ts';
import { writeReportHtml } from '../report/html/write-report-html.ts';
import { writeReportMd } from '../report/write-report-md.ts';
import { writeResultsJson } from '../report/write-results-json.ts';

/** Writes every report format the scenario asks for, then points `latest` at this run. */
export async function writeRunReports(
  reportDir: string,
  results: RunResults,
  reportsRoot: string,
  secrets: readonly string[],
  recorder?: LatencyRecorder,
): Promise<void> {
  const formats = results.resolvedScenario.report.formats;
  if (formats.includes('json')) await writeResultsJson(reportDir, results, secrets);
  if (formats.includes('md')) await writeReportMd(reportDir, results, secrets);
  // After the others: it reads the whole history and draws charts, the slowest report to write.
  if (formats.includes('html')) await writeReportHtml(reportDir, results, secrets);
  await writeExports(reportDir, results, { recorder, secrets });
  await markLatest(reportsRoot, results.scenario.name, results.run.id);
}
