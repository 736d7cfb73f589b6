// A deterministic sample of at most k items from a stream: keep the k items with the smallest
// priority, where the priority is a hash of the item's identity. The sample depends only on which
// items were offered, not on their order or on a random generator, so the same history always
// draws the same chart, and every item has the same chance to be kept (a uniform sample).
// Memory is k items; each offer is O(log k), and most offers are rejected in O(1).

/** A well-mixed 32-bit hash of an integer id (murmur3's finaliser). */
export function mixId(id: number): number {
  let h = (id ^ Math.floor(id / 0x1_0000_0000)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The hash, then the id itself, so two items never tie (ids are unique in a run). */
function before(aKey: number, aId: number, bKey: number, bId: number): boolean {
  return aKey < bKey || (aKey === bKey && aId < bId);
}

export class BottomK<T> {
  // A max-heap on (key, id): the root is the item to evict first.
  private readonly keys: number[] = [];
  private readonly ids: number[] = [];
  private readonly items: T[] = [];

  constructor(private readonly k: number) {}

  /** Whether an item with this id would be kept now: callers build the item only when it is. */
  accepts(id: number): boolean {
    if (this.k <= 0) return false;
    return this.items.length < this.k || before(mixId(id), id, this.keys[0]!, this.ids[0]!);
  }

  /** Offers the item with this id; kept if its priority is among the k smallest seen. */
  offer(id: number, item: T): void {
    if (!this.accepts(id)) return;
    const key = mixId(id);
    if (this.items.length < this.k) {
      this.keys.push(key);
      this.ids.push(id);
      this.items.push(item);
      this.siftUp(this.items.length - 1);
      return;
    }
    this.keys[0] = key;
    this.ids[0] = id;
    this.items[0] = item;
    this.siftDown(0);
  }

  values(): T[] {
    return [...this.items];
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.greater(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let largest = parent;
      if (left < this.items.length && this.greater(left, largest)) largest = left;
      if (right < this.items.length && this.greater(right, largest)) largest = right;
      if (largest === parent) return;
      this.swap(parent, largest);
      parent = largest;
    }
  }

  private greater(a: number, b: number): boolean {
    return before(this.keys[b]!, this.ids[b]!, this.keys[a]!, this.ids[a]!);
  }

  private swap(a: number, b: number): void {
    [this.keys[a], this.keys[b]] = [this.keys[b]!, this.keys[a]!];
    [this.ids[a], this.ids[b]] = [this.ids[b]!, this.ids[a]!];
    [this.items[a], this.items[b]] = [this.items[b]!, this.items[a]!];
  }
}
