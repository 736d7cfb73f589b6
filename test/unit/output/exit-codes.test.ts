import { describe, expect, it } from 'vitest';
import { describeFailure, ExitCode, UsageError } from '../../../src/harness/output/exit-codes.ts';
import { ScenarioError } from '../../../src/harness/scenario/scenario-error.ts';

describe('describeFailure', () => {
  it('maps problems the user can fix to exit 2, with their message only', () => {
    expect(describeFailure(new UsageError('give a file'), false)).toEqual({ code: ExitCode.usage, lines: ['faultline: give a file'] });
    const scenario = new ScenarioError('a.yaml', [
      { path: 'seed', line: 3, column: 7, message: 'expected an integer, got 1.5' },
      { path: '', message: 'something about the whole file' },
    ]);
    expect(describeFailure(scenario, true)).toEqual({
      code: ExitCode.usage,
      lines: ['a.yaml:3:7: seed: expected an integer, got 1.5', 'a.yaml: something about the whole file'],
    });
  });

  it('maps anything else to exit 1 with one line, and the stack only when debugging', () => {
    const error = new Error('boom\nsecond line');
    const quiet = describeFailure(error, false);
    expect(quiet.code).toBe(ExitCode.internal);
    expect(quiet.lines).toEqual(['faultline: internal error: boom (set FAULTLINE_DEBUG=1 to see the stack trace)']);
    expect(describeFailure(error, true).lines[0]).toMatch(/^Error: boom[\s\S]*\n\s+at /);
    expect(describeFailure('a string', false).lines[0]).toMatch(/internal error: a string/);
  });
});
