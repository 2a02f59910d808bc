/**
 * Kubernetes resource quantities as metrics.k8s.io reports them ("123456789n", "250m", "25Mi").
 * client-node does not export its parser, so the suffixes of the Quantity format are read here.
 */
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** The quantity as a plain number (cores for CPU, bytes for memory); NaN when it is not one. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkKMGTPE])?$/.exec(q.trim());
  if (!m) return NaN;
  const value = Number(m[1]);
  const suffix = m[2] ?? '';
  return value * (BINARY[suffix] ?? DECIMAL[suffix] ?? NaN);
}
