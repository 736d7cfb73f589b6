import type { Argv } from 'yargs';

// What main.ts needs from each command: how to register it with yargs, and enough about its
// arguments to turn yargs' terse complaints into messages that say what to type.

/** Reports the command's exit code; yargs ignores handler return values. */
export type Done = (code: number) => void;

export interface CliCommand {
  readonly name: string;
  /** e.g. "faultline validate <file..>" */
  readonly synopsis: string;
  /** What is missing when the positional argument is left out, e.g. "a scenario file". */
  readonly needs?: string;
  /** Long option names, for "did you mean" on unknown options. */
  readonly options: readonly string[];
  register(cli: Argv, done: Done): Argv;
}
