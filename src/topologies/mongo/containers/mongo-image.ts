import { inspectImage } from '../../../harness/containers/docker-cli.ts';
import { ImageMissingError } from '../../../harness/containers/image-errors.ts';

// MongoDB images cannot be built on these machines (neither Debian nor npm carries a mongod that
// installs without a download at run time), so a mongo image must already be on the engine. Checked
// before any container starts: a missing one is a one-line ImageMissingError (exit 2) saying how to
// get it, never a failed pull.

export function mongoImageMissingMessage(ref: string): string {
  return (
    `the MongoDB image ${ref} is not on this machine, and faultline cannot build one (no mongod in Debian or npm): ` +
    `where a registry is reachable run \`docker pull ${ref}\`, then retry`
  );
}

/** Undefined when `ref` is a local image; else why not (one line). Never pulls. */
export async function mongoImageProblem(ref: string): Promise<string | undefined> {
  try {
    return (await inspectImage(ref)) ? undefined : mongoImageMissingMessage(ref);
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

export async function requireMongoImage(ref: string): Promise<void> {
  if (!(await inspectImage(ref))) throw new ImageMissingError(ref, mongoImageMissingMessage(ref));
}
