import { markLatest } from '../report/report-dir.ts';
import type { RunResults } from '../report/results-types.ts';
import { writeReportMd } from '../report/write-report-md.ts';
import { writeResultsJson } from '../report/write-results-json.ts';

/** Writes every report format the scenario asks for, then points `latest` at this run. */
export async function writeRunReports(
  reportDir: string,
  results: RunResults,
  reportsRoot: string,
  secrets: readonly string[],
): Promise<void> {
  const formats = results.resolvedScenario.report.formats;
  if (formats.includes('json')) await writeResultsJson(reportDir, results, secrets);
  if (formats.includes('md')) await writeReportMd(reportDir, results, secrets);
  await markLatest(reportsRoot, results.scenario.name, results.run.id);
}
