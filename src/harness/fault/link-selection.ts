/**
 * The network is a set of directed links, as the link proxy has them: `from` connects to `to`
 * (clients → node, replica → its upstream). Bytes from `from` to `to` travel "upstream", the
 * answers (and streamed WAL) "downstream".
 */
export interface LinkInfo {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  /** Regions of the two ends, when the scenario declares regions: a region is a fault party too. */
  readonly fromRegion?: string | undefined;
  readonly toRegion?: string | undefined;
}

export type Direction = 'upstream' | 'downstream' | 'both';

export interface LinkSelection {
  readonly link: string;
  readonly direction: Direction;
}

/** Links carrying traffic between party sets A and B; oneWay: only traffic from A to B. */
export function linksBetween(
  links: readonly LinkInfo[],
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  oneWay = false,
): LinkSelection[] {
  const selected: LinkSelection[] = [];
  for (const link of links) {
    if (a.has(link.from) && b.has(link.to)) selected.push({ link: link.name, direction: oneWay ? 'upstream' : 'both' });
    else if (b.has(link.from) && a.has(link.to)) selected.push({ link: link.name, direction: oneWay ? 'downstream' : 'both' });
  }
  return selected;
}

/** Links between different sides: every side is cut off from every other. */
export function linksAcrossSides(links: readonly LinkInfo[], sides: readonly ReadonlySet<string>[]): LinkSelection[] {
  const sideOf = (party: string) => sides.findIndex((side) => side.has(party));
  return links
    .filter((link) => {
      const from = sideOf(link.from);
      const to = sideOf(link.to);
      return from !== -1 && to !== -1 && from !== to;
    })
    .map((link) => ({ link: link.name, direction: 'both' as const }));
}

/** Every link that touches one of the isolated parties. */
export function linksTouching(links: readonly LinkInfo[], isolated: ReadonlySet<string>): LinkSelection[] {
  return links
    .filter((link) => isolated.has(link.from) || isolated.has(link.to))
    .map((link) => ({ link: link.name, direction: 'both' as const }));
}
