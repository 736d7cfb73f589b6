// A stand-in harness for process tests: starts a topology exactly as a run does, prints one JSON
// line describing it, then holds the servers until SIGTERM (orderly teardown) or until it is
// killed, which is the point: tests SIGKILL it (and its watchdog) to fabricate crashed runs.
//
//   node --import tsx test/support/hold-servers.ts [replicas]
import { startLocalTopology } from './local-topology.ts';

const replicas = Number(process.argv[2] ?? '0');
const servers = await startLocalTopology({ replicas }, 'held');
const nodes = servers.topology.nodes.map((node) => ({ name: node.name, port: node.port }));
process.stdout.write(`${JSON.stringify({ runDir: servers.sandbox.dir, nodes, password: servers.password })}\n`);

const keepAlive = setInterval(() => {}, 60_000);
process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  void servers[Symbol.asyncDispose]().then(() => process.exit(0));
});
