// A phase that cannot itself be cancelled (waiting for replicas, reading a long history) must
// still not hold Ctrl-C for minutes: the run stops waiting for it at once, and its result, or
// its failure once the servers are gone, is dropped.

export class PhaseInterrupted extends Error {
  override readonly name = 'PhaseInterrupted';
}

/** `work`, or a PhaseInterrupted rejection as soon as `signal` aborts, whichever comes first. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, phase: string): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      // Abandoned: whatever it does later (fail on a stopped server) is not this run's error.
      work.catch(() => undefined);
      reject(new PhaseInterrupted(`interrupted by the user during ${phase}`));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
