import type { LinkState } from './link-effects.ts';
import { isEmptyRuleset, nodeRuleset, packetCuts, packetShapes, shapingScript, type NodeLink } from './namespace-rules.ts';

/** What the firewall needs of a container node. */
export interface NamespaceNode {
  readonly name: string;
  /** Its static address on the run's network. */
  readonly address: string;
  /**
   * Replaces the faultline rules of its namespace with this nftables script (kept for its next
   * boot) and runs the shaping script (tc); 'kept' only: the container runs nothing now (paused,
   * killed, stopped).
   */
  applyRules(ruleset: string, shaping: string): Promise<'applied' | 'kept' | { failed: string }>;
}

export class FirewallError extends Error {
  override readonly name = 'FirewallError';
}

/**
 * Partitions between container nodes, enforced inside each node's own network namespace, and
 * slow links (rate per destination with htb; a delay with netem where the kernel has it). Both
 * ends of a cut get rules (the sender drops on output, the receiver on input), so a node that
 * cannot take rules now (paused, down) is still cut off by its peers; it gets its own when it
 * runs again (`namespaceChanged`). Every change replaces a node's rules whole, so a heal leaves
 * exactly the cuts still in force.
 */
export class ContainerFirewall {
  private readonly states = new Map<string, LinkState>();
  /** The ruleset in force in each node's namespace; undefined: unknown (it could not take the last one). */
  private readonly applied = new Map<string, string | undefined>();

  constructor(
    private readonly nodes: readonly NamespaceNode[],
    private readonly links: readonly NodeLink[],
  ) {
    for (const node of nodes) this.applied.set(node.name, this.fresh(node.name));
  }

  private addressOf = (name: string): string => {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new FirewallError(`no container node named ${name}`);
    return node.address;
  };

  private fresh(name: string): string {
    return `${nodeRuleset(name, [], () => '')}\n${shapingScript(name, [], () => '')}`;
  }

  /** The nftables script each node should have now. */
  desired(name: string): string {
    return nodeRuleset(name, packetCuts(this.links, this.states), this.addressOf);
  }

  /** The tc script each node should have run now (its egress shaping). */
  desiredShaping(name: string): string {
    return shapingScript(name, packetShapes(this.links, this.states), this.addressOf);
  }

  async setLinkState(link: string, state: LinkState): Promise<void> {
    if (!this.links.some((l) => l.name === link)) throw new FirewallError(`no link between container nodes named ${link}`);
    this.states.set(link, state);
    await Promise.all(this.nodes.map((node) => this.enforce(node)));
  }

  /**
   * A node's namespace is new (its container started: no rules in it) or it runs commands
   * again (resumed): put its rules back before it talks to its peers.
   */
  async namespaceChanged(name: string, fresh: boolean): Promise<void> {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) return;
    if (fresh) this.applied.set(name, this.fresh(name));
    await this.enforce(node);
  }

  private async enforce(node: NamespaceNode): Promise<void> {
    const rules = this.desired(node.name);
    const shaping = this.desiredShaping(node.name);
    const state = `${rules}\n${shaping}`;
    const applied = this.applied.get(node.name);
    if (applied === state) return;
    if (applied !== undefined && isEmptyRuleset(applied) && isEmptyRuleset(state)) return;
    const result = await node.applyRules(rules, shaping);
    if (result === 'applied') {
      this.applied.set(node.name, state);
      return;
    }
    // Kept for its next boot, or refused: either way its namespace's rules are not known now.
    this.applied.set(node.name, undefined);
    if (result !== 'kept' && /qdisc kind is unknown|netem/i.test(result.failed)) {
      throw new FirewallError(
        `latency or jitter between containers needs the kernel's netem, which this machine lacks (${node.name}: ${result.failed}); ` +
          'client links take latency through the proxy, regions through the proxy on the run network, and bandwidth alone works (htb)',
      );
    }
    if (result !== 'kept') {
      throw new FirewallError(
        `could not set network fault rules in ${node.name}'s network namespace (${result.failed}); ` +
          'the image needs nftables (nft) and tc, and the container NET_ADMIN, as the project image has (faultline images build)',
      );
    }
  }
}
