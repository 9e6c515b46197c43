/** Pieces shared by the pages: tables, choices, the event header, the grid, the rotation in words. */
import type { Child, FC } from 'hono/jsx'
import type { Event, Meeting, Schedule } from '../db/schema.ts'
import { formatDate, formatNumber, isMessageKey } from './i18n.ts'
import { Notice, type View } from './layout.tsx'
import type { ParticipantRow } from './queries.ts'

/**
 * A table with its column headers (`scope="col"`); the caller gives the body's
 * rows (`<tr>`) as children. In a horizontally scrolling `.table-wrap` unless
 * `wrap` is false (`wrap` also takes extra classes: `"checkin"` gives
 * `class="table-wrap checkin"`), focusable so that the keyboard can scroll it.
 * `data="funnel"` marks the table `data-funnel`.
 */
export const DataTable: FC<{
  columns: Child[]
  data?: string
  class?: string
  caption?: Child
  wrap?: string | boolean
  children?: Child
}> = ({ columns, data, class: className, caption, wrap = true, children }) => {
  const table = (
    <table class={className} {...(data ? { [`data-${data}`]: true } : {})}>
      {caption}
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col">{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  )
  if (wrap === false) return table
  // focusable, so that a keyboard can scroll a table wider than the screen (WCAG 2.1.1)
  return (
    <div class={typeof wrap === 'string' ? `table-wrap ${wrap}` : 'table-wrap'} tabindex={0}>
      {table}
    </div>
  )
}

/**
 * One question answered with a tap: radio buttons drawn as big buttons
 * (`.choices`), the option whose value is `checked` selected.
 */
export const Choices: FC<{ name: string; legend: Child; options: { value: string; label: Child }[]; checked?: string | null; required?: boolean }> = ({
  name,
  legend,
  options,
  checked = null,
  required,
}) => (
  <fieldset class="choices">
    <legend>{legend}</legend>
    {options.map((o) => (
      <label>
        <input type="radio" name={name} value={o.value} checked={o.value === checked} required={required} />
        <span>{o.label}</span>
      </label>
    ))}
  </fieldset>
)

/** Yes / no as `Choices` (`yes`, `no`): `value` true checks yes, false no, null neither. */
export const YesNo: FC<{ view: View; name: string; legend: Child; value: boolean | null }> = ({ view, name, legend, value }) => (
  <Choices
    name={name}
    legend={legend}
    options={[
      { value: 'yes', label: view.t('p.yes') },
      { value: 'no', label: view.t('p.no') },
    ]}
    checked={value === true ? 'yes' : value === false ? 'no' : null}
  />
)

/** Interest 1 to 5 as `Choices`. */
export const InterestChoices: FC<{ view: View; value: number | null }> = ({ view, value }) => (
  <Choices
    name="interest"
    legend={view.t('p.rate.interest')}
    options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: n }))}
    checked={value === null ? null : String(value)}
  />
)

/** Submit buttons sending `name=value`: the first one primary, the others secondary. */
export const SubmitChoices: FC<{ name: string; options: { value: string; label: Child }[] }> = ({ name, options }) => (
  <>
    {options.map((o, i) => (
      <button type="submit" name={name} value={o.value} class={i === 0 ? undefined : 'secondary'}>
        {o.label}
      </button>
    ))}
  </>
)

export type EventTab = 'participants' | 'wishes' | 'rotation' | 'print' | 'checkin' | 'followup' | 'room' | 'messages'

const tabs: { tab: EventTab; path: string }[] = [
  { tab: 'participants', path: '' },
  { tab: 'wishes', path: '/voeux' },
  { tab: 'rotation', path: '/rotation' },
  { tab: 'print', path: '/impression' },
  { tab: 'checkin', path: '/accueil' },
  { tab: 'followup', path: '/suivi' },
  { tab: 'room', path: '/salle' },
  { tab: 'messages', path: '/courriels' },
]

export function eventPath(eventId: string, tab: EventTab = 'participants'): string {
  const suffix = tabs.find((t) => t.tab === tab)?.path ?? ''
  return `/evenements/${encodeURIComponent(eventId)}${suffix}`
}

export function statusLabel(view: View, status: string): string {
  const key = `status.${status}`
  return isMessageKey(key) ? view.t(key) : status
}

export const EventHeader: FC<{ view: View; event: Event; current: EventTab; children?: Child }> = ({ view, event, current }) => {
  const { t, lang } = view
  return (
    <>
      <h1>{event.title}</h1>
      <p class="lead">
        {formatDate(lang, event.date)}
        {event.start_time ? `, ${event.start_time}` : ''}
        {event.venue ? ` — ${event.venue}` : ''} · <span class="badge">{statusLabel(view, event.status)}</span>
        <br />
        {t('event.summary', {
          rounds: event.rounds,
          minutes: event.meeting_minutes,
          tables: event.tables ?? '?',
          seated: t(event.seated_side === 'company' ? 'side.company' : 'side.association'),
        })}
      </p>
      <nav class="tabs" aria-label={t('event.tabs')}>
        <ul>
          {tabs.map(({ tab, path }) => (
            <li>
              <a href={`/evenements/${encodeURIComponent(event.id)}${path}`} aria-current={tab === current ? 'page' : undefined}>
                {t(`tab.${tab}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  )
}

/**
 * What the organiser gets, in plain words: how many meetings each participant
 * is sure of, and whether a better rotation could exist (never "perhaps not
 * the best" beside "100 %"); the solver's figures come after, as details.
 */
export function rotationInWords(view: View, schedule: Schedule, names: Map<string, string>): { lines: string[]; details: string } {
  const { t, lang } = view
  const n = (x: number) => formatNumber(lang, x, 1)
  const lines: string[] = []
  const stats = parseStats(schedule.stats)
  const details = t('rotation.words.details', { objective: n(schedule.objective), bound: n(schedule.bound), ms: formatNumber(lang, Math.round(schedule.solve_ms)) })
  if (schedule.status === 'infeasible') {
    lines.push(t('rotation.infeasible', { reason: stats.reason ?? '?' }))
    return { lines, details }
  }
  if (schedule.status === 'optimal') lines.push(t('rotation.words.optimal', { level: schedule.fairness_level }))
  else {
    // rounded down, so that a rotation not proven best never reads "100 %"
    const share = schedule.bound > 0 ? Math.min(99.9, Math.floor((1000 * schedule.objective) / schedule.bound) / 10) : 99.9
    lines.push(t('rotation.words.feasible', { level: schedule.fairness_level, gap: formatNumber(lang, share, 1) }))
  }
  lines.push(
    t('rotation.words.totals', {
      count: formatNumber(lang, schedule.meeting_count),
      idle: schedule.idle_rounds,
    }),
  )
  if (stats.shortfalls.length > 0) {
    const list = stats.shortfalls
      .map((s) => t('rotation.shortfall', { name: names.get(s.id) ?? '?', meetings: s.meetings, target: s.target }))
      .join(', ')
    lines.push(t('rotation.shortfalls', { list }))
  }
  return { lines, details }
}

/** What a re-plan had to give up, from the version's stats: each warning in the page's language. */
export function scheduleWarnings(schedule: Schedule, lang: View['lang']): string[] {
  try {
    const value = JSON.parse(schedule.stats) as { warnings?: unknown }
    if (!Array.isArray(value.warnings)) return []
    return value.warnings.flatMap((w: unknown) => {
      const message = ((w ?? {}) as { message?: Record<string, unknown> }).message
      const text = message?.[lang]
      return typeof text === 'string' ? [text] : []
    })
  } catch {
    return []
  }
}

export const ScheduleWarnings: FC<{ view: View; schedule: Schedule }> = ({ view, schedule }) => {
  const warnings = scheduleWarnings(schedule, view.lang)
  if (warnings.length === 0) return null
  return (
    <Notice kind="warn">
      <strong>{view.t('rotation.warnings')}</strong>
      <ul data-warnings>
        {warnings.map((w) => (
          <li>{w}</li>
        ))}
      </ul>
    </Notice>
  )
}

interface ParsedStats {
  reason: string | null
  shortfalls: { id: string; meetings: number; target: number }[]
}

function parseStats(json: string): ParsedStats {
  try {
    const value = JSON.parse(json) as Record<string, unknown>
    const inner = (typeof value.stats === 'object' && value.stats !== null ? value.stats : value) as Record<string, unknown>
    const reason = typeof value.reason === 'string' ? value.reason : typeof inner.reason === 'string' ? inner.reason : null
    const raw = Array.isArray(inner.shortfalls) ? inner.shortfalls : []
    const shortfalls = raw.flatMap((s: unknown) => {
      if (typeof s !== 'object' || s === null) return []
      const { id, meetings, target } = s as Record<string, unknown>
      return typeof id === 'string' && typeof meetings === 'number' && typeof target === 'number' ? [{ id, meetings, target }] : []
    })
    return { reason, shortfalls }
  } catch {
    return { reason: null, shortfalls: [] }
  }
}

export const RotationSummary: FC<{ view: View; schedule: Schedule; names: Map<string, string> }> = ({ view, schedule, names }) => {
  const { lines, details } = rotationInWords(view, schedule, names)
  const kind = schedule.status === 'infeasible' ? 'bad' : schedule.status === 'optimal' ? 'ok' : 'warn'
  return (
    <Notice kind={kind}>
      {lines.map((line, i) => (i === 0 ? <strong>{line}</strong> : <p>{line}</p>))}
      <p class="muted">{details}</p>
    </Notice>
  )
}

/** Rounds x tables. */
export const ScheduleGrid: FC<{ view: View; event: Event; meetings: Meeting[]; names: Map<string, string>; breaks: { afterRound: number; minutes: number }[] }> = ({
  view,
  event,
  meetings,
  names,
  breaks,
}) => {
  const { t } = view
  const tableCount = Math.max(event.tables ?? 0, ...meetings.map((m) => m.table_no), 1)
  const tables = Array.from({ length: tableCount }, (_, i) => i + 1)
  const rounds = Array.from({ length: event.rounds }, (_, i) => i + 1)
  const at = new Map(meetings.map((m) => [`${m.round}:${m.table_no}`, m]))
  return (
    <DataTable
      class="grid"
      caption={<caption class="visually-hidden">{t('rotation.grid')}</caption>}
      columns={[
        t('rotation.round'),
        ...tables.map((n) => (
          <>
            {t('rotation.table')} {n}
          </>
        )),
      ]}
    >
      {rounds.map((round) => {
        const pause = breaks.find((b) => b.afterRound === round)
        return (
          <>
            <tr>
              <th scope="row">{round}</th>
              {tables.map((table) => {
                const m = at.get(`${round}:${table}`)
                return m ? (
                  <td>
                    {names.get(m.association_registration_id) ?? '?'}
                    <br />
                    {names.get(m.company_registration_id) ?? '?'}
                    <br />
                    <span class="muted">
                      {t('rotation.code')} {m.short_code}
                    </span>
                  </td>
                ) : (
                  <td class="muted">{t('rotation.free')}</td>
                )
              })}
            </tr>
            {pause && (
              <tr>
                <td colspan={tables.length + 1} class="muted">
                  {t('rotation.break', { minutes: pause.minutes })}
                </td>
              </tr>
            )}
          </>
        )
      })}
    </DataTable>
  )
}

/** The meetings of one participant, round by round. */
export function meetingsOf(meetings: Meeting[], registrationId: string): Meeting[] {
  return meetings.filter((m) => m.association_registration_id === registrationId || m.company_registration_id === registrationId)
}

export function otherSide(meeting: Meeting, registrationId: string): string {
  return meeting.association_registration_id === registrationId ? meeting.company_registration_id : meeting.association_registration_id
}

export function namesOf(participants: ParticipantRow[]): Map<string, string> {
  return new Map(participants.map((p) => [p.id, p.name]))
}
