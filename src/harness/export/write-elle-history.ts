import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { readHistory } from '../history/history-reader.ts';
import { tempPathFor } from '../report/atomic-write.ts';
import { assertNoSecrets } from '../report/secret-guard.ts';
import { ElleHistoryConverter, type ElleExportCounts, type ElleExportOptions } from './elle-history.ts';

export const ELLE_HISTORY_FILE = 'history.edn';

// Lines are gathered into chunks so a history of millions of operations costs thousands of
// writes, not millions, while memory stays one chunk plus the operations in flight.
const CHUNK_LINES = 1024;

/**
 * Streams history.jsonl into history.edn (Elle's list-append model, see elle-history.ts). The
 * file appears whole or not at all (written beside it, then renamed), and not at all when the
 * run has no checkout and no order-history to export.
 */
export async function writeElleHistory(
  historyPath: string,
  ednPath: string,
  options: ElleExportOptions,
  secrets: readonly string[] = [],
): Promise<ElleExportCounts> {
  const converter = new ElleHistoryConverter(options);
  const temp = tempPathFor(ednPath);
  const out = createWriteStream(temp, { flags: 'wx' });
  const failed = once(out, 'error').then(([error]: unknown[]) => Promise.reject(error));
  failed.catch(() => undefined); // Surfaced by the awaits below; never an unhandled rejection.
  let chunk: string[] = [];
  let written = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const text = `${chunk.join('\n')}\n`;
    written += chunk.length;
    chunk = [];
    // Node names and error classes are the only free text; the guard is every report's rule.
    assertNoSecrets(text, secrets);
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  try {
    for await (const event of readHistory(historyPath)) {
      const line = converter.accept(event);
      if (line === undefined) continue;
      chunk.push(line);
      if (chunk.length >= CHUNK_LINES) await flush();
    }
    chunk.push(...converter.finish());
    await flush();
    out.end();
    await Promise.race([once(out, 'close'), failed]);
    if (written === 0) await unlink(temp);
    else await rename(temp, ednPath);
  } catch (error) {
    out.destroy();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return converter.counts;
}
