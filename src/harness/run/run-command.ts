// STUB (the lead engineer replaces the body): `faultline run`.
export interface RunCommandOptions {
  readonly scenario: string;
  readonly set: readonly string[];
  readonly out?: string;
}

/** Runs a scenario file end to end; resolves to the process exit code. */
export async function runCommand(_options: RunCommandOptions): Promise<number> {
  throw new Error('not implemented yet');
}
