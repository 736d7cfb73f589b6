import { writeFileSync } from 'node:fs';
import { buildPgImage } from './build-pg-image.ts';
import { EngineUnavailableError, ImageBuildError } from '../../../../harness/containers/image-errors.ts';
import { errorMessage } from '../../../../harness/output/errors.ts';

// .ci/setup's entry: build faultline's PostgreSQL image unless its tag exists, then write the tag
// to the file named by argv[2]. Separate from the CLI so setup does not load every command.
// On failure, the build's own message: exit 2 when the user can fix it (not root, no engine, a
// step that failed with its log named), 1 for anything else.

try {
  const result = await buildPgImage({ log: (line) => process.stdout.write(`setup: ${line}\n`) });
  if (process.argv[2]) writeFileSync(process.argv[2], `${result.tag}\n`);
} catch (error) {
  process.stderr.write(`setup: ${errorMessage(error)}\n`);
  process.exitCode = error instanceof ImageBuildError || error instanceof EngineUnavailableError ? 2 : 1;
}
