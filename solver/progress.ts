/**
 * Progress of a solve, for callers that show it (the service's solver worker relays it to the
 * organiser). Pure: the solver calls the caller's function, nothing else; what it reports never
 * changes the result. Fractions only grow, and are passed on when they grew by half a percent or
 * the phase changed, so a solve reports a few hundred times at most. Within a phase, the fraction
 * follows the work done (steps, sweeps, iterations), not the clock.
 */
import type { SolvePhase, SolveProgress } from './types.ts'

/** The phases in order, with the share of the whole solve each is given (measured on the bench). */
const SPAN: Record<SolvePhase, [number, number]> = {
  model: [0, 0.05],
  selection: [0.05, 0.25],
  rounds: [0.25, 0.55],
  reoptimisation: [0.55, 0.8],
  exact: [0.8, 0.9],
  idle: [0.9, 0.98],
  tables: [0.98, 1],
  done: [1, 1],
}

export class Progress {
  private fraction = -1
  private phase: SolvePhase | undefined

  constructor(private readonly report?: (progress: SolveProgress) => void) {}

  /** Enters `phase` (at its start); returns the function that reports how far into it (0..1) the solve is. */
  enter(phase: SolvePhase): (done: number) => void {
    if (!this.report) return noop
    const [from, to] = SPAN[phase]
    const at = (done: number): void => {
      const f = from + (to - from) * Math.min(1, Math.max(0, Number.isFinite(done) ? done : 0))
      if (phase !== this.phase || f >= this.fraction + 0.005 || (f === 1 && this.fraction < 1)) {
        if (f < this.fraction && phase === this.phase) return
        this.phase = phase
        this.fraction = Math.max(this.fraction, f)
        this.report?.({ phase, fraction: Math.round(this.fraction * 1000) / 1000 })
      }
    }
    at(0)
    return at
  }
}

const noop = (): void => {}
