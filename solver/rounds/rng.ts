/** A small seeded generator (mulberry32): same seed, same sequence, on every platform. */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** integer in [0, n) */
  int(n: number): number
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0 || 0x9e3779b9
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (n) => Math.floor(next() * n) }
}
