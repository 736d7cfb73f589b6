// The run's reaper process, after testcontainers' Ryuk: started detached with a pipe from the
// harness on stdin. When that pipe closes (normal end, crash, SIGKILL: the kernel closes it in
// every case) it kills every server of the run and removes the run directory.
import { reapRunDir } from './reaper.mjs';

const runDir = process.argv[2];
if (!runDir) process.exit(2);
process.on('SIGINT', () => {}); // A Ctrl-C to the terminal's process group must not stop the reaper.
process.on('SIGTERM', () => {});
process.stdin.on('data', () => {});
process.stdin.on('close', () => {
  // Give a server that is still being spawned a moment to write its postmaster.pid.
  setTimeout(() => {
    reapRunDir(runDir);
    process.exit(0);
  }, 200);
});
process.stdin.resume();
