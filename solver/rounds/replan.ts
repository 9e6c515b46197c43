/**
 * Re-planning on the night: the played rounds stay as they were (fixed, tables included),
 * absentees leave (those who already met someone keep their played meetings), walk-ins arrive
 * at fromRound, and rounds >= fromRound are optimised again. A pair that already met is fixed,
 * so it cannot be chosen again.
 */
import { solveInstance } from '../solve.ts'
import type { FixedMeeting, Instance, Participant, ReplanSituation, SolveHooks, SolveResult } from '../types.ts'

export function replanInstance(instance: Instance, situation: ReplanSituation, hooks: SolveHooks = {}): SolveResult {
  const from = Math.max(1, situation.fromRound)
  const absent = new Set(situation.absent ?? [])
  const played: FixedMeeting[] = situation.played.filter((m) => m.round < from)
  const hasPlayed = new Set<string>()
  for (const m of played) {
    hasPlayed.add(m.association)
    hasPlayed.add(m.company)
  }
  const keep = (p: Participant): Participant | undefined => {
    if (!absent.has(p.id)) return p
    if (!hasPlayed.has(p.id)) return undefined
    return { ...p, leave: Math.min(p.leave ?? instance.rounds, from - 1) }
  }
  const arriveLate = (p: Participant): Participant => ({ ...p, arrive: Math.max(p.arrive ?? from, from) })
  const associations = [
    ...instance.associations.map(keep).filter((p): p is Participant => p !== undefined),
    ...(situation.walkIns?.associations ?? []).map(arriveLate),
  ]
  const companies = [
    ...instance.companies.map(keep).filter((p): p is Participant => p !== undefined),
    ...(situation.walkIns?.companies ?? []).map(arriveLate),
  ]
  const present = new Set([...associations, ...companies].map((p) => p.id))
  const both = ([a, c]: [string, string]): boolean => present.has(a) && present.has(c)
  // earlier fixed meetings still to come stay fixed when both are there
  const laterFixed = (instance.fixed ?? []).filter((f) => f.round >= from && present.has(f.association) && present.has(f.company))
  const next: Instance = {
    ...instance,
    associations,
    companies,
    fixed: [...played, ...laterFixed],
  }
  if (instance.forbidden) next.forbidden = instance.forbidden.filter(both)
  if (instance.required) next.required = instance.required.filter(both)
  const started = performance.now()
  const ids = new Set<string>()
  for (const p of [...associations, ...companies]) {
    if (ids.has(p.id)) {
      return {
        status: 'infeasible',
        objective: 0,
        bound: 0,
        meetings: [],
        stats: { fairnessLevel: 0, meetings: 0, idleRounds: 0, shortfalls: [], solveMs: performance.now() - started, method: 'checks' },
        reason: `identifiant en double parmi les arrivées / duplicate id among walk-ins: ${p.id}`,
      }
    }
    ids.add(p.id)
  }
  return solveInstance(next, { frozenBefore: from }, hooks)
}
