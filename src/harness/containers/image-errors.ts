import { EnvironmentError } from '../output/errors.ts';

// Typed errors of the image module. All are problems a user fixes with a command, so the CLI maps
// them to exit 2 and prints their one-line message (no stack trace).

/** The image a run needs is not on this machine and the pull policy forbids fetching it. */
export class ImageMissingError extends EnvironmentError {
  override readonly name: string = 'ImageMissingError';
  constructor(
    readonly image: string,
    message: string,
  ) {
    super(message);
  }
}

/** `faultline images build` could not build the image; the message says why and where the log is. */
export class ImageBuildError extends EnvironmentError {
  override readonly name: string = 'ImageBuildError';
}

/** The docker client is missing or no engine answers it. */
export class EngineUnavailableError extends EnvironmentError {
  override readonly name: string = 'EngineUnavailableError';
}
