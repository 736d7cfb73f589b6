// STUB (the lead engineer replaces the body): `faultline clean`.
/** Removes what crashed runs left behind; resolves to the process exit code. */
export async function cleanCommand(): Promise<number> {
  throw new Error('not implemented yet');
}
