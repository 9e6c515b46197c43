/** A small seeded generator (mulberry32): same seed, same sequence, on every platform. */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** integer in [0, n) */
  int(n: number): number
}

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator of
 * floats in [0, 1), deterministic for a given seed. The one copy the solver,
 * the lab's resampling (src/domain/stats) and the tests draw from.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function createRng(seed: number): Rng {
  // seed 0 would start from a zero state: the solver starts from the golden ratio instead
  const next = mulberry32(seed >>> 0 || 0x9e3779b9)
  return { next, int: (n) => Math.floor(next() * n) }
}
