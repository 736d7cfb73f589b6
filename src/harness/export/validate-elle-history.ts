import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { errorMessage } from '../output/errors.ts';

// Reads a history.edn back and checks the rules Jepsen's and Elle's checkers assume of a
// history (we cannot run Elle here, so our own export is held to them):
//   - every line is one operation map with :type (:invoke :ok :fail :info), an integer
//     :process, :index 0, 1, 2, ... in file order, and a :time that never goes back;
//   - a process has at most one operation in flight: it invokes only when its last one completed;
//   - every completion matches an open invoke of the same process (each invoke completes at most
//     once) and carries the same :f;
//   - after an :info a process does nothing more: the worker continues under a new process id.
// Invokes still open at the end are allowed (Jepsen treats them as :info), and counted.
//
// The parser reads the EDN subset edn.ts writes (maps, vectors, keywords, integers, strings, nil).

export interface ElleRuleViolation {
  readonly line: number;
  readonly rule: 'parse' | 'index' | 'time' | 'concurrent-invoke' | 'unmatched-completion' | 'mismatched-f' | 'op-after-info';
  readonly message: string;
}

export interface ElleValidation {
  readonly valid: boolean;
  readonly violations: readonly ElleRuleViolation[];
  readonly counts: { operations: number; processes: number; invokes: number; ok: number; fail: number; info: number; openAtEnd: number };
}

type Edn = string | number | null | { readonly kw: string } | Edn[] | Map<string, Edn>;

/** Parses one EDN value of the subset edn.ts writes; throws on anything else. */
export function parseEdn(text: string): Edn {
  let i = 0;
  const skip = () => {
    while (i < text.length && /[\s,]/.test(text[i]!)) i++;
  };
  const value = (): Edn => {
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map<string, Edn>();
      for (skip(); text[i] !== '}'; skip()) {
        if (i >= text.length) throw new Error('unterminated map');
        const key = value();
        if (typeof key !== 'object' || key === null || !('kw' in key)) throw new Error('map keys must be keywords');
        map.set(key.kw, value());
      }
      i++;
      return map;
    }
    if (c === '[') {
      i++;
      const list: Edn[] = [];
      for (skip(); text[i] !== ']'; skip()) {
        if (i >= text.length) throw new Error('unterminated vector');
        list.push(value());
      }
      i++;
      return list;
    }
    if (c === ':') {
      const m = /^:[A-Za-z0-9_\-?!.*+/]+/.exec(text.slice(i));
      if (!m) throw new Error(`bad keyword at ${i}`);
      i += m[0].length;
      return { kw: m[0].slice(1) };
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) throw new Error(`unterminated string at ${i}`);
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(-?\d+|nil)/.exec(text.slice(i));
    if (!m) throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 10))} at ${i}`);
    i += m[0].length;
    return m[0] === 'nil' ? null : Number(m[0]);
  };
  const result = value();
  skip();
  if (i !== text.length) throw new Error(`trailing text at ${i}`);
  return result;
}

const kwName = (v: Edn | undefined): string | undefined => (typeof v === 'object' && v !== null && 'kw' in v ? v.kw : undefined);

/** Validates the lines of a history.edn; see the rules above. */
export async function validateElleLines(lines: AsyncIterable<string> | Iterable<string>): Promise<ElleValidation> {
  const violations: ElleRuleViolation[] = [];
  const counts = { operations: 0, processes: 0, invokes: 0, ok: 0, fail: 0, info: 0, openAtEnd: 0 };
  const open = new Map<number, string>();
  const crashed = new Set<number>();
  const seen = new Set<number>();
  let lineNo = 0;
  let lastTime = -Infinity;
  const flag = (rule: ElleRuleViolation['rule'], message: string) => violations.push({ line: lineNo, rule, message });
  for await (const raw of lines) {
    lineNo++;
    if (raw.trim() === '') continue;
    let op: Edn;
    try {
      op = parseEdn(raw);
    } catch (error) {
      flag('parse', errorMessage(error));
      continue;
    }
    const type = op instanceof Map ? kwName(op.get('type')) : undefined;
    const process = op instanceof Map ? op.get('process') : undefined;
    const index = op instanceof Map ? op.get('index') : undefined;
    const time = op instanceof Map ? op.get('time') : undefined;
    const f = op instanceof Map ? (kwName(op.get('f')) ?? '?') : '?';
    if (!(type === 'invoke' || type === 'ok' || type === 'fail' || type === 'info') || typeof process !== 'number' || typeof time !== 'number') {
      flag('parse', 'not an operation map with :type, an integer :process and :time');
      continue;
    }
    if (index !== counts.operations) flag('index', `:index ${String(index)} where ${counts.operations} was due`);
    counts.operations++;
    if (time < lastTime) flag('time', `:time ${time} goes back from ${lastTime}`);
    lastTime = Math.max(lastTime, time);
    seen.add(process);
    if (type === 'invoke') {
      counts.invokes++;
      if (crashed.has(process)) flag('op-after-info', `process ${process} invokes after its operation ended :info`);
      if (open.has(process)) flag('concurrent-invoke', `process ${process} invokes while its previous operation is still open`);
      open.set(process, f);
      continue;
    }
    counts[type]++;
    const invoked = open.get(process);
    if (invoked === undefined) {
      flag(crashed.has(process) ? 'op-after-info' : 'unmatched-completion', `:${type} on process ${process}, which has no open invoke`);
      continue;
    }
    if (invoked !== f) flag('mismatched-f', `:${type} with :f :${f} completes an invoke of :f :${invoked}`);
    open.delete(process);
    if (type === 'info') crashed.add(process);
  }
  counts.processes = seen.size;
  counts.openAtEnd = open.size;
  return { valid: violations.length === 0, violations, counts };
}

export async function validateElleHistoryFile(path: string): Promise<ElleValidation> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  return validateElleLines(lines);
}
