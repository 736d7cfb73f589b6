import { readdir, readFile, readlink } from 'node:fs/promises';
import net from 'node:net';

// etcd members reach each other at the one peer URL each advertises, the same in every member's
// view (etcd derives member and cluster ids from those URLs), so all peer traffic into member B
// would arrive on one port whoever sends it, and a partition between A and B could not cut A->B
// without cutting C->B too. This relay listens on B's advertised peer port, finds which member
// opened each connection (its source port -> the socket's inode in /proc/net/tcp -> the etcd
// process holding that socket), and forwards the connection through that member's own link to B
// (`etcd-peer:A->B` of the link proxy), so node-to-node faults land on etcd peers exactly. A
// connection from anything else is refused. It runs in the harness (it dies with it: nothing
// to reap); etcd peer traffic is small (heartbeats, a few keys).

export interface RelaySource {
  readonly name: string;
  /** The member's etcd pid now (it changes when a killed member restarts). */
  pid(): number | undefined;
}

/** The inode of the socket whose local end is 127.0.0.1:port and remote end 127.0.0.1:remotePort. */
async function socketInode(localPort: number, remotePort: number): Promise<string | undefined> {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  const local = `0100007F:${hex(localPort)}`;
  const remote = `0100007F:${hex(remotePort)}`;
  const table = await readFile('/proc/net/tcp', 'utf8');
  for (const line of table.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[2] === remote) return fields[9];
  }
  return undefined;
}

async function holdsSocket(pid: number, inode: string): Promise<boolean> {
  const want = `socket:[${inode}]`;
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === want) return true;
  }
  return false;
}

/** Which source opened the connection that arrived from 127.0.0.1:remotePort at 127.0.0.1:relayPort. */
export async function connectionOwner(relayPort: number, remotePort: number, sources: readonly RelaySource[]): Promise<string | undefined> {
  // The client's end: local port = its source port, remote = the relay's port.
  const inode = await socketInode(remotePort, relayPort);
  if (inode === undefined || inode === '0') return undefined;
  for (const source of sources) {
    const pid = source.pid();
    if (pid !== undefined && (await holdsSocket(pid, inode))) return source.name;
  }
  return undefined;
}

export interface PeerRelay {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `port` (127.0.0.1) for peer connections into member `to`; `linkPort(from)` is from's link to it. */
export async function startPeerRelay(port: number, sources: readonly RelaySource[], linkPort: (from: string) => number): Promise<PeerRelay> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pause();
    void connectionOwner(port, socket.remotePort ?? 0, sources).then(
      (from) => {
        if (from === undefined || socket.destroyed) return socket.destroy();
        const upstream = net.connect({ host: '127.0.0.1', port: linkPort(from) });
        open.add(upstream);
        upstream.on('close', () => {
          open.delete(upstream);
          socket.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        socket.on('close', () => upstream.destroy());
        socket.pipe(upstream);
        upstream.pipe(socket);
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
