import type { LinkControl } from '../../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../../harness/fault/link-selection.ts';
import type { MongoNode } from '../mongo-node.ts';

/** The network of a MongoDB topology as the nemesis sees it. */
export interface MongoWiring extends AsyncDisposable {
  links(): readonly LinkInfo[];
  readonly linkControl: LinkControl;
}

/**
 * Puts the nodes on a network before they start: for local processes it sets the ports clients
 * and peers use (direct, or link proxies); for containers it is Docker's network.
 */
export type WireNodes = (members: readonly MongoNode[], routers: readonly MongoNode[]) => Promise<MongoWiring>;
