import type { Direction } from './link-selection.ts';

/**
 * What one fault does to one link: cut it, delay it, or narrow its rate (named apart from the
 * fault kinds that use them: a kind is a scenario word, an effect what the link does).
 */
export type LinkEffect =
  | { readonly kind: 'cut'; readonly mode: 'blackhole' | 'reset'; readonly direction: Direction }
  | { readonly kind: 'delay'; readonly delayMs: number; readonly jitterMs: number; readonly direction: Direction }
  | { readonly kind: 'rate'; readonly bytesPerSecond: number; readonly direction: Direction };

export interface DirectionState {
  readonly mode: 'pass' | 'blackhole' | 'reset';
  readonly delayMs: number;
  readonly jitterMs: number;
  readonly bytesPerSecond: number | undefined;
}

export interface LinkState {
  readonly upstream: DirectionState;
  readonly downstream: DirectionState;
}

export const CLEAN: DirectionState = { mode: 'pass', delayMs: 0, jitterMs: 0, bytesPerSecond: undefined };

const MODE_RANK = { pass: 0, blackhole: 1, reset: 2 } as const;

function applies(direction: Direction, side: 'upstream' | 'downstream'): boolean {
  return direction === 'both' || direction === side;
}

/**
 * Overlapping faults on one link compose instead of overwriting each other: a cut wins over
 * passing (reset over blackhole), latencies add up, the narrowest bandwidth limit holds. So healing
 * one fault never heals another that is still active.
 */
export function composeLinkState(effects: readonly LinkEffect[]): LinkState {
  const compose = (side: 'upstream' | 'downstream'): DirectionState => {
    let state = CLEAN;
    for (const effect of effects) {
      if (!applies(effect.direction, side)) continue;
      if (effect.kind === 'cut' && MODE_RANK[effect.mode] > MODE_RANK[state.mode]) state = { ...state, mode: effect.mode };
      if (effect.kind === 'delay') {
        state = { ...state, delayMs: state.delayMs + effect.delayMs, jitterMs: state.jitterMs + effect.jitterMs };
      }
      if (effect.kind === 'rate') {
        state = { ...state, bytesPerSecond: Math.min(state.bytesPerSecond ?? Infinity, effect.bytesPerSecond) };
      }
    }
    return state;
  };
  return { upstream: compose('upstream'), downstream: compose('downstream') };
}

/** Anything that can put a link in a state: the link proxy, or a fake in unit tests. */
export interface LinkControl {
  setLinkState(link: string, state: LinkState): Promise<void>;
}

/** Active effects per link, keyed by the fault occurrence that caused them. */
export class NetworkFaults {
  private readonly active = new Map<string, Map<number, LinkEffect>>();

  constructor(private readonly control: LinkControl) {}

  async apply(faultId: number, link: string, effect: LinkEffect): Promise<void> {
    const effects = this.active.get(link) ?? new Map<number, LinkEffect>();
    effects.set(faultId, effect);
    this.active.set(link, effects);
    await this.control.setLinkState(link, composeLinkState([...effects.values()]));
  }

  async remove(faultId: number): Promise<void> {
    for (const [link, effects] of this.active) {
      if (!effects.delete(faultId)) continue;
      if (effects.size === 0) this.active.delete(link);
      await this.control.setLinkState(link, composeLinkState([...effects.values()]));
    }
  }

  async healAll(): Promise<void> {
    const links = [...this.active.keys()];
    this.active.clear();
    for (const link of links) await this.control.setLinkState(link, composeLinkState([]));
  }
}
