// What `faultline doctor` asks each engine (Engine.doctorProbes) and provider: whether it works on
// this machine now, and if not, why and how to get it, from trying the real thing.

export type ProbeStatus = 'ok' | 'missing' | 'unusable';

export interface ProbeResult {
  readonly name: string;
  readonly status: ProbeStatus;
  readonly detail: string;
  /** What to do when it is not ok. */
  readonly fix?: string;
}

/** Runs a command; resolves to its output or undefined when it cannot run or fails. */
export type Runner = (command: string, args: readonly string[]) => Promise<{ ok: boolean; output: string }>;

export const firstLine = (text: string) => text.split('\n')[0]?.trim() ?? '';

/** A program on PATH, asked for its version. */
export async function binaryProbe(run: Runner, name: string, args: readonly string[], fix: string): Promise<ProbeResult> {
  const result = await run(name, args);
  if (result.ok) return { name, status: 'ok', detail: firstLine(result.output) };
  return { name, status: 'missing', detail: `no ${name} on PATH`, fix };
}
