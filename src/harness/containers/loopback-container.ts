import { GenericContainer } from 'testcontainers';
import { engineIsLocal } from './container-engine.ts';

/**
 * testcontainers publishes ports on every interface of the engine's host; faultline's servers
 * listen on 127.0.0.1 only. With an engine on this machine, every port this container publishes
 * is bound to loopback (call after withExposedPorts). A remote engine keeps its own binding:
 * loopback there would be unreachable from here.
 */
export class LoopbackContainer extends GenericContainer {
  onLoopback(): this {
    if (!engineIsLocal()) return this;
    const bindings = this.hostConfig.PortBindings ?? {};
    for (const [port, list] of Object.entries(bindings)) {
      bindings[port] = (list as { HostPort?: string }[]).map((binding) => ({ ...binding, HostIp: '127.0.0.1' }));
    }
    this.hostConfig.PortBindings = bindings;
    return this;
  }
}
