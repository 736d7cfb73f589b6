import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Copies each node's server log into the report, with any secret masked just in case. */
export async function collectNodeLogs(
  nodes: readonly { name: string; logPath: string }[],
  reportDir: string,
  secrets: readonly string[],
): Promise<void> {
  const dir = join(reportDir, 'logs');
  await mkdir(dir, { recursive: true });
  await Promise.all(
    nodes.map(async (node) => {
      let text = await readFile(node.logPath, 'utf8').catch(() => '');
      for (const secret of secrets) if (secret) text = text.split(secret).join('********');
      await writeFile(join(dir, `${node.name}.log`), text);
    }),
  );
}
