import { describe, expect, it } from 'vitest';
import { EngineUnavailableError, ImageMissingError } from '../../../src/harness/containers/image-errors.ts';
import { EngineError, EnvironmentError } from '../../../src/harness/output/errors.ts';
import { describeFailure, ExitCode, runsExitCode } from '../../../src/harness/output/exit-codes.ts';

describe('typed errors a user reads', () => {
  it('environment problems exit 2 with their message only, also when debugging', () => {
    for (const error of [new EnvironmentError('no free port; run `faultline clean`'), new ImageMissingError('img', 'build it'), new EngineUnavailableError('start dockerd')]) {
      const failure = describeFailure(error, true);
      expect(failure.code).toBe(ExitCode.usage);
      expect(failure.lines).toEqual([`faultline: ${error.message}`]);
    }
  });

  it('a database that would not do its part fails the command (exit 1) without calling it an internal error', () => {
    expect(describeFailure(new EngineError('postgres did not become ready within 30000 ms'), false)).toEqual({
      code: ExitCode.internal,
      lines: ['faultline: postgres did not become ready within 30000 ms'],
    });
  });
});

describe('runsExitCode (a matrix or a set)', () => {
  it('is 0 when every run completed, 130 when interrupted, else 1', () => {
    expect(runsExitCode(['completed', 'completed'], 0, false)).toBe(0);
    expect(runsExitCode(['completed', 'interrupted'], 0, false)).toBe(130);
    expect(runsExitCode(['completed'], 0, true)).toBe(130);
    expect(runsExitCode(['completed', 'failed'], 0, false)).toBe(1);
    expect(runsExitCode(['completed'], 1, false)).toBe(1);
  });
});
