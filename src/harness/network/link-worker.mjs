// @ts-check
// The link proxy's worker thread: every link's listener and connections live here, off the load
// driver's event loop, so a busy driver cannot add latency to the links and a busy link cannot
// stall the driver. Plain JavaScript so the thread starts in milliseconds with no TypeScript
// loader (workers do not inherit tsx's register() hooks on Node 20, and loading tsx in the
// worker costs 0.25-0.8 s); it is checked against the TypeScript protocol types via JSDoc:
//   npx tsc --noEmit --allowJs --checkJs --strict --module nodenext --moduleResolution nodenext \
//     --allowImportingTsExtensions --target es2022 --types node src/harness/network/link-worker.mjs
import { createServer } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { LinkConnection, resetSocket } from './link-connection.mjs';

/** @typedef {import('./link-faults.ts').Target} Target */
/** @typedef {import('./link-faults.ts').LinkStats} LinkStats */
/** @typedef {import('./link-faults.ts').ResolvedLinkFaults} ResolvedLinkFaults */
/** @typedef {import('./link-messages.ts').ProxyRequest} ProxyRequest */
/** @typedef {import('./link-messages.ts').ProxyReply} ProxyReply */
/** @typedef {import('./link-pump.mjs').PathState} PathState */

/** @type {import('./link-faults.ts').ResolvedFaults} */
const NO_FAULTS = { mode: 'pass', delayMs: 0, jitterMs: 0, bytesPerSecond: 0 };

class Link {
  /** @type {Set<LinkConnection>} */
  connections = new Set();
  connectionsTotal = 0;
  /** @type {{ upstream: PathState; downstream: PathState }} */
  paths = {
    upstream: { faults: NO_FAULTS, busyUntil: 0, bytes: 0 },
    downstream: { faults: NO_FAULTS, busyUntil: 0, bytes: 0 },
  };

  /** @param {Target} target */
  constructor(target) {
    this.target = target;
    this.server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.#accept(client));
  }

  /**
   * @param {number} port
   * @param {string} host loopback, or a host address only the run's own containers reach (its Docker network's gateway)
   */
  listen(port, host = '127.0.0.1') {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.off('error', reject);
        // Later errors are failed accepts (EMFILE): that client is refused, the link goes on,
        // and an unhandled 'error' would take down every link of the worker.
        this.server.on('error', () => {});
        resolve(null);
      });
    });
  }

  #resetting() {
    return this.paths.upstream.faults.mode === 'reset' || this.paths.downstream.faults.mode === 'reset';
  }

  /** @param {import('node:net').Socket} client */
  #accept(client) {
    this.connectionsTotal++;
    if (this.#resetting()) {
      client.on('error', () => {});
      resetSocket(client);
      return;
    }
    const connection = new LinkConnection(client, this.target, this.paths, () => this.connections.delete(connection));
    this.connections.add(connection);
  }

  /** @param {ResolvedLinkFaults} faults */
  setFaults(faults) {
    for (const direction of /** @type {const} */ (['upstream', 'downstream'])) {
      const path = this.paths[direction];
      if (path.faults !== faults[direction]) path.busyUntil = 0;
      path.faults = faults[direction];
    }
    const reset = this.#resetting();
    for (const connection of this.connections) {
      if (reset) connection.reset();
      else connection.reconfigure();
    }
  }

  /** @param {Target} target */
  setTarget(target) {
    this.target = target;
    for (const connection of this.connections) connection.close();
  }

  /** @returns {LinkStats} */
  stats() {
    return {
      connectionsOpen: this.connections.size,
      connectionsTotal: this.connectionsTotal,
      bytes: { upstream: this.paths.upstream.bytes, downstream: this.paths.downstream.bytes },
    };
  }

  close() {
    for (const connection of this.connections) connection.close();
    return new Promise((resolve) => this.server.close(() => resolve(null)));
  }
}

/** @type {Map<string, Link>} */
const links = new Map();

/** @param {string} name */
function link(name) {
  const found = links.get(name);
  if (!found) throw new Error(`no link named ${name}`);
  return found;
}

/**
 * @param {ProxyRequest} request
 * @returns {Promise<LinkStats | null>}
 */
async function handle(request) {
  switch (request.type) {
    case 'add-link': {
      if (links.has(request.name)) throw new Error(`link ${request.name} already exists`);
      const created = new Link(request.target);
      await created.listen(request.port, request.host);
      links.set(request.name, created);
      return null;
    }
    case 'remove-link':
      await link(request.name).close();
      links.delete(request.name);
      return null;
    case 'set-target':
      link(request.name).setTarget(request.target);
      return null;
    case 'set-faults':
      link(request.name).setFaults(request.faults);
      return null;
    case 'heal-all':
      for (const each of links.values()) each.setFaults({ upstream: NO_FAULTS, downstream: NO_FAULTS });
      return null;
    case 'stats':
      return link(request.name).stats();
    case 'shutdown':
      await Promise.all([...links.values()].map((each) => each.close()));
      links.clear();
      return null;
    default: {
      /** @type {never} */
      const unknown = request;
      throw new Error(`unknown request ${JSON.stringify(unknown)}`);
    }
  }
}

const port = parentPort;
if (!port) throw new Error('link-worker.mjs runs as a worker thread (see link-proxy.ts)');
port.on('message', (/** @type {ProxyRequest} */ request) => {
  handle(request).then(
    (value) => port.postMessage(/** @type {ProxyReply} */ ({ type: 'ok', id: request.id, value })),
    (/** @type {unknown} */ error) => {
      const { message, code } = /** @type {{ message?: string; code?: string }} */ (error ?? {});
      port.postMessage(/** @type {ProxyReply} */ ({ type: 'error', id: request.id, message: message ?? String(error), code }));
    },
  );
});
