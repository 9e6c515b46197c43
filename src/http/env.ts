/**
 * What every router sees in its context: the dependencies given to createApp
 * (set per request, never module singletons) and the caller's `auth`.
 *
 *   const things = new Hono<AppEnv>().get('/', (c) => { const db = c.get('db'); … })
 */
import type { Kysely } from 'kysely'
import type { Auth } from '../auth/tokens.ts'
import type { Database } from '../db/schema.ts'
import type { SolverRunner } from '../domain/solver-runner.ts'

/** The time source; tests pass a fixed one. */
export type Clock = () => Date

export interface AppDeps {
  db: Kysely<Database>
  clock: Clock
  /** e.g. https://rencontres.example.org, to print absolute personal links; '' = relative links */
  publicUrl: string
  /** where the solver runs (inline, or a worker thread) */
  solver: SolverRunner
  /** the server secret personal links are derived from (src/domain/links.ts) */
  linkKey: string
  /** called when messages were queued, so that they go out without waiting for the timer */
  wakeMailer: () => void
}

export interface AppEnv {
  Variables: AppDeps & {
    /** null when the request carries no token */
    auth: Auth | null
  }
}

export function nowIso(clock: Clock): string {
  return clock().toISOString()
}
