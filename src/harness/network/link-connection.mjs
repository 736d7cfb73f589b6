// @ts-check
// One proxied TCP connection: the accepted client socket, the socket dialled to the target, and
// a pump each way. Both sockets allow half-open, so a FIN crosses the proxy as a FIN (delayed
// like the bytes before it) instead of closing the connection early.
import { connect } from 'node:net';
import { Pump } from './link-pump.mjs';

/** @typedef {import('node:net').Socket} Socket */
/** @typedef {import('./link-faults.ts').Target} Target */
/** @typedef {import('./link-pump.mjs').PathState} PathState */

/**
 * An RST where the socket can send one; a socket still connecting has no connection to reset.
 * @param {Socket} socket
 */
export function resetSocket(socket) {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

export class LinkConnection {
  /**
   * @param {Socket} client
   * @param {Target} target
   * @param {{ upstream: PathState; downstream: PathState }} paths
   * @param {() => void} onClosed called once, when both sockets are closed
   */
  constructor(client, target, paths, onClosed) {
    this.client = client;
    client.setNoDelay(true);
    this.server = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    // Errors end up as 'close' without 'end', which the pumps forward as an RST; the listener
    // only keeps an expected ECONNRESET or ECONNREFUSED from crashing the worker.
    const ignore = () => {};
    client.on('error', ignore);
    this.server.on('error', ignore);
    this.upstream = new Pump(client, this.server, paths.upstream);
    this.downstream = new Pump(this.server, client, paths.downstream);
    let open = 2;
    const closed = () => {
      if (--open === 0) onClosed();
    };
    client.once('close', closed);
    this.server.once('close', closed);
  }

  reconfigure() {
    this.upstream.reconfigure();
    this.downstream.reconfigure();
  }

  /** RST both ways, at once: a reset fault does not wait for queued bytes. */
  reset() {
    this.upstream.stop();
    this.downstream.stop();
    resetSocket(this.client);
    resetSocket(this.server);
  }

  /** Used when the link is re-pointed or removed: the client sees its connection closed. */
  close() {
    this.upstream.stop();
    this.downstream.stop();
    this.client.destroy();
    this.server.destroy();
  }
}
