// The run's reaper process, after testcontainers' Ryuk: started detached with a pipe from the
// harness on stdin. When that pipe closes (normal end, crash, SIGKILL: the kernel closes it in
// every case) it kills every server of the run, removes the run directory, and removes every
// container, network and volume labelled with the run's id.
import { basename } from 'node:path';
import { reapRunContainers, recordedEngine } from './container-reaper.mjs';
import { reapRunDir } from './reaper.mjs';

const runDir = process.argv[2];
if (!runDir) process.exit(2);
process.on('SIGINT', () => {}); // A Ctrl-C to the terminal's process group must not stop the reaper.
process.on('SIGTERM', () => {});
process.stdin.on('data', () => {});
process.stdin.on('close', () => {
  // Give a server that is still being spawned a moment to write its postmaster.pid.
  setTimeout(async () => {
    // Read before the directory goes: it says where the run's containers live.
    const engine = recordedEngine(runDir);
    reapRunDir(runDir);
    if (engine) {
      // Whatever the engine answers, this process ends: `faultline clean` finds what is left by label.
      const { problems } = await reapRunContainers(engine, basename(runDir)).catch((error) => ({ problems: [String(error)] }));
      for (const problem of problems) process.stderr.write(`faultline watchdog: ${problem}\n`);
    }
    process.exit(0);
  }, 200);
});
process.stdin.resume();
