import type { DatasetSpec, OperationName, WorkloadSpec } from '../../scenario/schema.ts';
import { OPERATION_NAMES } from '../../scenario/schema.ts';
import { createKeyChooser, type KeyChooser, type KeyDistributionName } from '../key-distributions.ts';
import { READ_ONLY_OPS } from './op-args.ts';
import { PRICE_BANDS } from './vocabulary.ts';

// Which operations run, how often, where they go and how their main key is drawn.

/** The default mix: a browsing-heavy shop where about one operation in ten is a checkout. */
export const DEFAULT_WEIGHTS: Readonly<Record<OperationName, number>> = {
  'browse-category': 20,
  'view-product': 30,
  'add-to-cart': 15,
  checkout: 10,
  'order-history': 10,
  'rate-product': 5,
  recommendations: 5,
  'expire-carts': 1,
  restock: 4,
  // Off by default: it exists to show partition pruning (scenarios/partitioning/*-price.yaml), and
  // adding it to the default mix would change every existing run's operation sequence.
  'browse-price': 0,
};

type KeySpace = 'products' | 'categories' | 'customers' | 'price-bands' | 'none';

/** Each operation's main key and its default distribution: popular products are hot, people are not. */
export const MAIN_KEYS: Readonly<Record<OperationName, { readonly space: KeySpace; readonly keys: KeyDistributionName }>> = {
  'browse-category': { space: 'categories', keys: 'uniform' },
  'view-product': { space: 'products', keys: 'zipfian' },
  'add-to-cart': { space: 'products', keys: 'zipfian' },
  checkout: { space: 'products', keys: 'zipfian' },
  'order-history': { space: 'customers', keys: 'uniform' },
  'rate-product': { space: 'products', keys: 'zipfian' },
  recommendations: { space: 'customers', keys: 'uniform' },
  'expire-carts': { space: 'none', keys: 'uniform' },
  restock: { space: 'products', keys: 'uniform' },
  'browse-price': { space: 'price-bands', keys: 'uniform' },
};

export interface MixEntry {
  readonly f: OperationName;
  readonly weight: number;
  readonly target: 'primary' | 'replicas';
  /** Draws the operation's main key; expire-carts has none and never calls it. */
  readonly key: KeyChooser;
}

function keySpaceSize(dataset: DatasetSpec, space: KeySpace): number {
  switch (space) {
    case 'products':
      return dataset.products;
    case 'categories':
      return dataset.categories;
    case 'customers':
      return dataset.customers;
    case 'price-bands':
      return PRICE_BANDS.length;
    case 'none':
      return 1;
  }
}

/** The operations that run, in OPERATION_NAMES order; throws when none has a positive weight. */
export function operationMix(spec: WorkloadSpec): readonly MixEntry[] {
  const choosers = new Map<string, KeyChooser>();
  const chooser = (keys: KeyDistributionName, n: number): KeyChooser => {
    const id = `${keys}:${n}`;
    let found = choosers.get(id);
    if (!found) choosers.set(id, (found = createKeyChooser(keys, n, spec.keyDistributions)));
    return found;
  };
  const entries: MixEntry[] = [];
  for (const f of OPERATION_NAMES) {
    const configured = spec.operations ? spec.operations[f] : { weight: DEFAULT_WEIGHTS[f] };
    if (!configured || configured.weight <= 0) continue;
    const main = MAIN_KEYS[f];
    const readsReplicas = READ_ONLY_OPS.has(f) && configured.readFrom === 'replicas';
    entries.push({
      f,
      weight: configured.weight,
      target: readsReplicas ? 'replicas' : 'primary',
      key: chooser(configured.keys ?? main.keys, keySpaceSize(spec.dataset, main.space)),
    });
  }
  if (entries.length === 0) throw new Error('the workload has no operation with a positive weight');
  return entries;
}
