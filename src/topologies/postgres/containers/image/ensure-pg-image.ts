import { writeFileSync } from 'node:fs';
import { buildPgImage } from './build-pg-image.ts';

// .ci/setup's entry: build faultline's PostgreSQL image unless its tag exists, then write the tag
// to the file named by argv[2]. Separate from the CLI so setup does not load every command.
// Exit 1 with the build's own message on failure (setup stops: container tests need the image).

try {
  const result = await buildPgImage({ log: (line) => process.stdout.write(`setup: ${line}\n`) });
  if (process.argv[2]) writeFileSync(process.argv[2], `${result.tag}\n`);
} catch (error) {
  process.stderr.write(`setup: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
