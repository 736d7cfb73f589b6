import type { LinkControl } from '../../harness/fault/link-effects.ts';
import type { LinkInfo } from '../../harness/fault/link-selection.ts';

/**
 * How the parts of a topology reach each other. Every path (clients to a node, a node to its
 * upstream) is a named link, so the nemesis can cut or slow it; `portOf` says where to connect.
 */
export interface TopologyNetwork extends AsyncDisposable {
  /** Port `from` ("clients" or a node name) connects to in order to reach node `to`. */
  portOf(from: string, to: string): number;
  /** Host `from` connects to in order to reach node `to`; 127.0.0.1 when omitted (local processes). */
  hostOf?(from: string, to: string): string;
  links(): readonly LinkInfo[];
  readonly linkControl: LinkControl;
}
