// The Universal Scalability Law (N. J. Gunther): throughput at concurrency N is
//   X(N) = λN / (1 + σ(N−1) + κN(N−1))
// λ is what one client alone gets, σ the share of work that queues on something shared
// (contention: Amdahl's serial fraction), κ the cost of keeping shared state coherent, which
// grows with every pair of clients and is what makes throughput turn down past a peak.

export interface UslParameters {
  /** Throughput of one client, in the series' unit (orders/s, ok operations/s). */
  readonly lambda: number;
  /** Contention, 0 ≤ σ ≤ 1. */
  readonly sigma: number;
  /** Coherency delay, κ ≥ 0. */
  readonly kappa: number;
}

export function uslThroughput({ lambda, sigma, kappa }: UslParameters, n: number): number {
  return (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

/** Where the model's throughput is highest, or why it has no highest point. */
export type UslPeak =
  | { readonly kind: 'peak'; readonly concurrency: number; readonly throughput: number }
  /** κ = 0, σ > 0: throughput rises for ever towards λ/σ (Amdahl's ceiling) and never reaches it. */
  | { readonly kind: 'ceiling'; readonly ceiling: number }
  /** κ = 0, σ = 0: linear scaling, no bound at all within the model. */
  | { readonly kind: 'unbounded' };

export function uslPeak(parameters: UslParameters): UslPeak {
  const { lambda, sigma, kappa } = parameters;
  if (kappa > 0) {
    // dX/dN = 0 at N* = sqrt((1−σ)/κ); below one client there is nothing to run, so N* ≥ 1.
    const concurrency = Math.max(1, Math.sqrt(Math.max(0, 1 - sigma) / kappa));
    return { kind: 'peak', concurrency, throughput: uslThroughput(parameters, concurrency) };
  }
  if (sigma > 0) return { kind: 'ceiling', ceiling: lambda / sigma };
  return { kind: 'unbounded' };
}

/**
 * The smallest concurrency N ≥ 1 at which the model reaches `throughput` on its rising side;
 * undefined when it never does. Solves cκN² + (cσ − cκ − λ)N + c(1−σ) = 0 for X(N) = c.
 */
export function concurrencyFor(parameters: UslParameters, throughput: number): number | undefined {
  const { lambda, sigma, kappa } = parameters;
  const c = throughput;
  if (!(c > 0) || !(lambda > 0)) return undefined;
  if (c <= lambda) return 1;
  const a = c * kappa;
  const b = c * sigma - c * kappa - lambda;
  const k = c * (1 - sigma);
  if (a === 0) {
    // Linear: N = c(1−σ) / (λ − cσ), reachable only below the ceiling λ/σ.
    return lambda - c * sigma > 0 ? Math.max(1, k / (lambda - c * sigma)) : undefined;
  }
  const discriminant = b * b - 4 * a * k;
  if (discriminant < 0) return undefined;
  // The smaller root, written to avoid cancellation when b² ≫ 4ak.
  const q = -0.5 * (b - Math.sqrt(discriminant));
  const root = k / q;
  return Number.isFinite(root) && root > 0 ? Math.max(1, root) : undefined;
}
