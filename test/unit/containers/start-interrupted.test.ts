import { describe, expect, it } from 'vitest';
import { StartInterrupted, unlessAborted } from '../../../src/topologies/postgres/containers/pg-container.ts';

// A container start given up on Ctrl-C: the removal that stops it makes the start itself fail
// (Docker answers 409, "not running"); the user must read "interrupted while starting", not that.

describe('a container start interrupted by Ctrl-C', () => {
  it('reports the interruption, not the error the removal caused in the start', async () => {
    const controller = new AbortController();
    let failStart: (error: Error) => void = () => {};
    const start = new Promise<string>((_, reject) => (failStart = reject));
    const removal = async () => failStart(new Error('(HTTP code 409) container stopped/paused - is not running'));
    const started = unlessAborted(start, controller.signal, 'primary', removal);
    controller.abort();
    await expect(started).rejects.toBeInstanceOf(StartInterrupted);
    await expect(started).rejects.toThrow(/interrupted while starting primary/);
  });

  it('removes what was being started when the abort came first, and says so', async () => {
    const controller = new AbortController();
    controller.abort();
    let removed = false;
    const started = unlessAborted(new Promise<string>(() => {}), controller.signal, 'replica1', async () => void (removed = true));
    await expect(started).rejects.toBeInstanceOf(StartInterrupted);
    expect(removed).toBe(true);
  });

  it('passes a start that finished, and a failure that came without an abort', async () => {
    const controller = new AbortController();
    await expect(unlessAborted(Promise.resolve('up'), controller.signal, 'primary', async () => {})).resolves.toBe('up');
    await expect(unlessAborted(Promise.reject(new Error('image missing')), controller.signal, 'primary', async () => {})).rejects.toThrow('image missing');
  });
});
