/** Follow-up proposals of an event: run the solver's proposal step, list, edit, accept, drop. */
import { Hono } from 'hono'
import { requireStaff } from '../auth/middleware.ts'
import { ownedEvent } from '../auth/ownership.ts'
import { findProposal, listProposals, updateProposal } from '../db/repositories/proposals.repository.ts'
import { ProposalEdit, ProposalRun, proposalView, runProposals } from '../domain/followups.ts'
import { proposalContext } from '../domain/proposal-scores.ts'
import { notFound } from '../errors.ts'
import { nowIso, type AppEnv } from './env.ts'
import { validate } from './validate.ts'

const proposalNotFound = () => notFound({ fr: 'Proposition', en: 'Proposal' })

export const proposals = new Hono<AppEnv>()
  .use(requireStaff)
  .post('/:eventId/proposals', validate('json', ProposalRun.optional()), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const db = c.get('db')
    const run = ProposalRun.parse(c.req.valid('json') ?? {})
    const context = await proposalContext(db, event.id, run.locale)
    const rows = await runProposals(db, event, run, nowIso(c.get('clock')), context)
    return c.json({ proposals: rows.map(proposalView) }, 201)
  })
  .get('/:eventId/proposals', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    return c.json({ proposals: (await listProposals(c.get('db'), event.id)).map(proposalView) }, 200)
  })
  .patch('/:eventId/proposals/:proposalId', validate('json', ProposalEdit), async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const edit = c.req.valid('json')
    const changes: Parameters<typeof updateProposal>[3] = {}
    if (edit.caller !== undefined) changes.caller = edit.caller
    if (edit.dueDate !== undefined) changes.due_date = edit.dueDate
    if (edit.note !== undefined) changes.note = edit.note
    if (edit.status !== undefined) changes.status = edit.status
    const row = await updateProposal(c.get('db'), event.id, c.req.param('proposalId'), changes, nowIso(c.get('clock')))
    if (!row) throw proposalNotFound()
    return c.json({ proposal: proposalView(row) }, 200)
  })
  .post('/:eventId/proposals/:proposalId/accept', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await updateProposal(c.get('db'), event.id, c.req.param('proposalId'), { status: 'accepted' }, nowIso(c.get('clock')))
    if (!row) throw proposalNotFound()
    return c.json({ proposal: proposalView(row) }, 200)
  })
  .post('/:eventId/proposals/:proposalId/drop', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await updateProposal(c.get('db'), event.id, c.req.param('proposalId'), { status: 'dropped' }, nowIso(c.get('clock')))
    if (!row) throw proposalNotFound()
    return c.json({ proposal: proposalView(row) }, 200)
  })
  .get('/:eventId/proposals/:proposalId', async (c) => {
    const event = await ownedEvent(c, c.req.param('eventId'))
    const row = await findProposal(c.get('db'), event.id, c.req.param('proposalId'))
    if (!row) throw proposalNotFound()
    return c.json({ proposal: proposalView(row) }, 200)
  })
