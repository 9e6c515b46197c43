/**
 * The participants tab: the list, personal links and the CSV import with its preview.
 */
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { Event } from '../../db/schema.ts'
import { callApi, type ApiIssue } from '../api.ts'
import { DataTable, eventPath } from '../components.tsx'
import { field, withQuery, type WebDeps } from '../context.ts'
import { readForm } from '../../http/body.ts'
import { Notice, type View } from '../layout.tsx'
import { EventAdminLink } from '../organisation.tsx'
import { eventParticipants, type ParticipantRow } from '../queries.ts'
import { apiFailure, Confirm, confirmed, Page, submit, withEvent } from './shared.tsx'
import { StagePanel } from './stage.tsx'

export function participantsPages(deps: WebDeps) {
  const { db, api } = deps

  return (
    new Hono()
      // ---- participants and CSV import ------------------------------------------
      .get('/evenements/:eventId', (c) =>
        withEvent(c, deps, async ({ view, event }) => {
          const imported = c.req.query('imported')
          const removed = c.req.query('retire')
          return participantsPage(
            c,
            view,
            event,
            <>
              {imported !== undefined && (
                <Notice kind="ok">
                  {view.t('import.done', { count: imported })} <a href={`${eventPath(event.id, 'messages')}/liens.csv`}>{view.t('import.links')}</a>
                </Notice>
              )}
              {removed !== undefined && <Notice kind="ok">{view.t('participants.removed', { name: removed })}</Notice>}
            </>,
            200,
            c.req.query('etat'),
          )
        }),
      )
      .post('/evenements/:eventId/participants/:registrationId/lien', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const registrationId = c.req.param('registrationId')
          const who = (await eventParticipants(db, event.id)).find((p) => p.id === registrationId)
          if (!who) return participantsPage(c, view, event, <Notice kind="bad">{view.t('error.notFound')}</Notice>, 422)
          if (!confirmed(await readForm(c))) {
            const name = `${who.person} (${who.name})`
            return c.html(
              <Page view={view} event={event} tab="participants">
                <Confirm
                  view={view}
                  title={view.t('confirm.link.title', { name })}
                  lines={[view.t('confirm.link.1', { name: who.person }), view.t('confirm.link.2')]}
                  action={`${eventPath(event.id)}/participants/${registrationId}/lien`}
                  button={view.t('confirm.link.button')}
                  cancel={eventPath(event.id)}
                />
              </Page>,
            )
          }
          const result = await callApi<{ token: string; link: string }>(
            api,
            organiser.token,
            `/api/events/${event.id}/participants/${encodeURIComponent(c.req.param('registrationId'))}/link`,
            { method: 'POST', lang: view.lang },
          )
          if (!result.ok) return participantsPage(c, view, event, apiFailure(view, result), 422)
          const name = (await eventParticipants(db, event.id)).find((p) => p.id === c.req.param('registrationId'))?.name ?? ''
          const link = new URL(result.data.link || `/p/${result.data.token}`, new URL(c.req.url).origin).toString()
          c.header('Cache-Control', 'no-store')
          return participantsPage(
            c,
            view,
            event,
            <Notice kind="ok">
              <p>{view.t('participants.linkIssued', { name })}</p>
              <p>
                <a href={link} data-personal-link>
                  {link}
                </a>
              </p>
            </Notice>,
          )
        }),
      )
      .post('/evenements/:eventId/participants/:registrationId/retirer', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const registrationId = c.req.param('registrationId')
          const who = (await eventParticipants(db, event.id)).find((p) => p.id === registrationId)
          if (!who) return participantsPage(c, view, event, <Notice kind="bad">{view.t('error.notFound')}</Notice>, 422)
          const name = `${who.person} (${who.name})`
          if (!confirmed(await readForm(c))) {
            return c.html(
              <Page view={view} event={event} tab="participants">
                <Confirm
                  view={view}
                  title={view.t('confirm.remove.title', { name })}
                  lines={[view.t('confirm.remove.1'), view.t('confirm.remove.2')]}
                  action={`${eventPath(event.id)}/participants/${registrationId}/retirer`}
                  button={view.t('confirm.remove.button')}
                  cancel={eventPath(event.id)}
                />
              </Page>,
            )
          }
          return submit(
            c,
            deps,
            organiser,
            (api) => api.events[':eventId'].participants[':registrationId'].$delete({ param: { eventId: event.id, registrationId } }),
            withQuery(eventPath(event.id), { retire: name }),
            (failure) => participantsPage(c, view, event, apiFailure(view, failure), 422),
          )
        }),
      )
      .post('/evenements/:eventId/import', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const { t } = view
          const form = await readForm(c)
          const file = form.file
          let bytes: Uint8Array | null = null
          if (file instanceof File && file.size > 0) bytes = new Uint8Array(await file.arrayBuffer())
          else if (typeof form.text === 'string' && form.text.trim() !== '') bytes = new TextEncoder().encode(form.text)
          const participants = await eventParticipants(db, event.id)
          if (!bytes) {
            return c.html(
              <Page view={view} event={event} tab="participants">
                <Notice kind="bad">{t('import.empty')}</Notice>
                <ImportForm view={view} event={event} />
                <ParticipantsTable view={view} participants={participants} />
              </Page>,
              422,
            )
          }
          const preview = await importCsv(deps, organiser.token, event.id, bytes, true, view.lang)
          return c.html(
            <Page view={view} event={event} tab="participants">
              <ImportPreview view={view} event={event} result={preview} csv={Buffer.from(bytes).toString('base64')} />
              <ParticipantsTable view={view} participants={participants} />
            </Page>,
            preview.ok ? 200 : 422,
          )
        }),
      )
      .post('/evenements/:eventId/import/confirmer', (c) =>
        withEvent(c, deps, async ({ view, organiser, event }) => {
          const form = await readForm(c)
          const bytes = new Uint8Array(Buffer.from(field(form, 'csv'), 'base64'))
          const result = await importCsv(deps, organiser.token, event.id, bytes, false, view.lang)
          if (result.ok) return c.redirect(withQuery(eventPath(event.id), { imported: result.count }), 303)
          const participants = await eventParticipants(db, event.id)
          return c.html(
            <Page view={view} event={event} tab="participants">
              <ImportPreview view={view} event={event} result={result} csv="" />
              <ParticipantsTable view={view} participants={participants} />
            </Page>,
            422,
          )
        }),
      )

  )

  async function participantsPage(c: Context, view: View, event: Event, notice: Child, status: 200 | 422 = 200, changed?: string) {
    const participants = await eventParticipants(db, event.id)
    return c.html(
      <Page view={view} event={event} tab="participants">
        {notice}
        <StagePanel view={view} event={event} changed={changed} />
        <EventAdminLink view={view} eventId={event.id} />
        <ParticipantsTable view={view} participants={participants} eventId={event.id} removable={event.status !== 'live' && event.status !== 'closed'} />
        <ImportForm view={view} event={event} />
      </Page>,
      status,
    )
  }

}

// ---- CSV import ---------------------------------------------------------------------------------

type ImportResult = { ok: true; count: number; preview: PreviewRow[] } | { ok: false; message: string; issues: ApiIssue[] }

/** Sends the raw bytes (UTF-8 or Latin-1) to the API, as a preview (`dryRun`) or for real. */
async function importCsv(deps: WebDeps, token: string, eventId: string, bytes: Uint8Array, dryRun: boolean, lang: 'fr' | 'en' = 'fr'): Promise<ImportResult> {
  const request = new Request(new URL(`/api/events/${encodeURIComponent(eventId)}/participants/import${dryRun ? '?dryRun=1' : ''}`, 'http://localhost'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', accept: 'application/json', 'accept-language': lang },
    body: bytes,
  })
  const response = await deps.api.fetch(request)
  const json = (await response.json().catch(() => null)) as Record<string, unknown> | null
  // A dry run answers 200 with valid: false and the issues of every bad row.
  if (response.ok && json?.valid !== false) return { ok: true, count: countOf(json), preview: previewOf(json) }
  if (response.ok) return { ok: false, message: '', issues: Array.isArray(json?.issues) ? (json.issues as ApiIssue[]) : [] }
  const error = (json?.error ?? {}) as { message?: unknown; issues?: unknown }
  return {
    ok: false,
    message: typeof error.message === 'string' ? error.message : `HTTP ${response.status}`,
    issues: Array.isArray(error.issues) ? (error.issues as ApiIssue[]) : [],
  }
}

function countOf(json: Record<string, unknown> | null): number {
  // a real import answers with its counts (and no preview): participants added or changed
  const counts = json?.counts as { created?: unknown; updated?: unknown } | undefined
  if (counts && typeof counts.created === 'number' && typeof counts.updated === 'number' && json?.dryRun === false) return counts.created + counts.updated
  const created = json?.created
  if (Array.isArray(created) && created.length > 0) return created.length
  const preview = json?.preview
  return Array.isArray(preview) ? preview.length : 0
}

interface PreviewRow {
  row: number
  kind: string
  name: string
  person: string
  /** what the import will do: a new registration, a change to the event's one, or nothing */
  action: string
  changes: { field: string; from: unknown; to: unknown }[]
}

/** The rows the API read, as the preview table shows them. */
function previewOf(json: Record<string, unknown> | null): PreviewRow[] {
  const preview = json?.preview
  if (!Array.isArray(preview)) return []
  return preview.map((p: Record<string, any>) => ({
    row: Number(p.row),
    kind: String(p.organisation?.kind ?? ''),
    name: String(p.organisation?.name ?? ''),
    person: String(p.registration?.personName ?? p.registration?.person_name ?? ''),
    action: String(p.action ?? 'create'),
    changes: Array.isArray(p.changes) ? p.changes : [],
  }))
}

const ImportForm = ({ view, event }: { view: View; event: Event }) => {
  const { t } = view
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">{t('import.title')}</h2>
      <p class="muted">{t('import.help')}</p>
      <form method="post" action={`${eventPath(event.id)}/import`} enctype="multipart/form-data">
        <label for="csv-file">{t('import.file')}</label>
        <input id="csv-file" type="file" name="file" accept=".csv,text/csv" />
        <label for="csv-text">{t('import.text')}</label>
        <textarea id="csv-text" name="text" rows={4}></textarea>
        <p>
          <button type="submit">{t('import.preview')}</button>
        </p>
      </form>
    </section>
  )
}

const ImportPreview = ({ view, event, result, csv }: { view: View; event: Event; result: ImportResult; csv: string }) => {
  const { t } = view
  if (!result.ok) {
    const rows = result.issues.filter((i) => i.row !== undefined).length
    return (
      <section aria-labelledby="preview-title">
        <h2 id="preview-title">{t('import.previewTitle')}</h2>
        <Notice kind="bad">
          <p>{rows > 0 ? t('import.errors', { count: new Set(result.issues.map((i) => i.row)).size }) : t('error.api', { message: result.message })}</p>
        </Notice>
        {result.issues.length > 0 && (
          <DataTable data="import-errors" columns={[t('import.row'), t('import.field'), t('import.reason')]}>
            {result.issues.map((i) => (
              <tr>
                <td>{i.row ?? ''}</td>
                <td>{i.column ?? i.path ?? ''}</td>
                <td>{i.message}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <ImportForm view={view} event={event} />
      </section>
    )
  }
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t('import.previewTitle')}</h2>
      <Notice kind="ok">{t('import.ok', { count: result.count })}</Notice>
      {result.preview.length > 0 && (
        <DataTable data="import-preview" columns={[t('import.row'), t('participants.name'), t('participants.side'), t('participants.person'), t('import.action')]}>
          {result.preview.map((r) => (
            <tr>
              <td>{r.row}</td>
              <td>{r.name}</td>
              <td>{r.kind === 'company' ? t('side.company') : r.kind === 'association' ? t('side.association') : r.kind}</td>
              <td>{r.person}</td>
              <td data-action={r.action}>
                {r.action === 'update' ? t('import.update') : r.action === 'unchanged' ? t('import.unchanged') : t('import.create')}
                {r.changes.map((c) => (
                  <div class="muted">{`${c.field} : ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`}</div>
                ))}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form method="post" action={`${eventPath(event.id)}/import/confirmer`} class="row">
        <input type="hidden" name="csv" value={csv} />
        <button type="submit">{t('import.confirm')}</button>
        <a class="button secondary" href={eventPath(event.id)}>
          {t('import.cancel')}
        </a>
      </form>
    </section>
  )
}

const ParticipantsTable = ({ view, participants, eventId, removable = false }: { view: View; participants: ParticipantRow[]; eventId?: string; removable?: boolean }) => {
  const { t } = view
  return (
    <section aria-labelledby="participants-title">
      <h2 id="participants-title">
        {t('participants.title')} ({participants.length})
      </h2>
      {participants.length === 0 ? (
        <p>{t('participants.none')}</p>
      ) : (
        <DataTable
          data="participants"
          columns={[t('participants.name'), t('participants.person'), t('participants.side'), t('participants.presence'), ...(eventId ? [t('participants.link')] : [])]}
        >
          {participants.map((p) => (
            <tr data-participant={p.name}>
              <td>{eventId ? <a href={`/organisations/${encodeURIComponent(p.organisationId)}`}>{p.name}</a> : p.name}</td>
              <td>{p.person}</td>
              <td>{t(p.side === 'company' ? 'side.company' : 'side.association')}</td>
              <td>
                {p.arrive || p.leave ? t('participants.rounds', { from: p.arrive ?? 1, to: p.leave ?? '…' }) : t('participants.allNight')}
              </td>
              {eventId && (
                <td>
                  <a href={`${eventPath(eventId)}/participants/${p.id}/lien`} aria-label={t('participants.showLinkFor', { name: p.name })}>{t('participants.showLink')}</a>
                  <form method="post" action={`${eventPath(eventId)}/participants/${p.id}/lien`}>
                    <button type="submit" class="secondary" aria-label={t('participants.newLinkFor', { name: p.name })}>
                      {t('participants.newLink')}
                    </button>
                  </form>
                  {removable && (
                    <form method="post" action={`${eventPath(eventId)}/participants/${p.id}/retirer`}>
                      <button type="submit" class="secondary" aria-label={t('participants.removeFor', { name: `${p.person} (${p.name})` })}>
                        {t('participants.remove')}
                      </button>
                    </form>
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  )
}