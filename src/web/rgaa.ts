/**
 * The accessibility self-audit kept in the repository
 * (data/accessibility/rgaa-audit.json): one entry per RGAA criterion with its
 * status, from which the statement at /accessibilite is written.
 */
import { readFileSync } from 'node:fs'

export type Status = 'C' | 'NC' | 'NA'

export interface Criterion {
  id: string
  theme: string
  fr: string
  en: string
  status: Status
  note?: { fr: string; en: string }
}

export interface RgaaAudit {
  reference: string
  auditDate: string
  auditor: { fr: string; en: string }
  scope: { fr: string; en: string }
  pages: string[]
  technologies: string[]
  tools: string[]
  derogations: { fr: string; en: string }[]
  criteria: Criterion[]
}

export const rgaaAudit = JSON.parse(readFileSync(new URL('../../data/accessibility/rgaa-audit.json', import.meta.url), 'utf8')) as RgaaAudit

/** Conformance rate over the applicable criteria, and the level it gives (RGAA: full = no failure). */
export function rgaaSummary(audit: RgaaAudit = rgaaAudit) {
  const count = (s: Status) => audit.criteria.filter((c) => c.status === s).length
  const c = count('C')
  const nc = count('NC')
  const na = count('NA')
  const rate = c + nc === 0 ? 100 : Math.round((c / (c + nc)) * 1000) / 10
  const level: 'full' | 'partial' | 'none' = nc === 0 ? 'full' : rate >= 50 ? 'partial' : 'none'
  return { c, nc, na, rate, level }
}
