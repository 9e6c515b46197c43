/**
 * `npm run admin -- …`: accounts for whoever runs the server (no token needed:
 * access to the database is the authority). Each new token is printed on a
 * line of its own, once; a lost token is replaced by making a new one.
 *
 *   network add "NAME" [--email E]       a new network and its admin token
 *   network list
 *   token add --network ID --role admin|organiser|accueil|salle [--event ID] --label "TEXT"
 *   token list [--network ID]
 *   token revoke TOKEN_ID
 *   lab add "NAME"                       a new lab and its token
 *   lab list
 *   lab grant LAB_ID NETWORK_ID
 *   lab withdraw LAB_ID NETWORK_ID
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import { loadConfig } from '../config.ts'
import { migrateToLatest, openDatabase } from '../db/database.ts'
import {
  createLab, createNetwork, createToken, getLab, getNetwork, getToken, grantLab, listGrants, listNetworks, listTokens, revokeToken, withdrawGrant,
} from '../db/repositories/tokens.repository.ts'
import type { Database, TokenRole } from '../db/schema.ts'

export interface AdminIo {
  out: (line: string) => void
  err: (line: string) => void
}

const usage = `usage: npm run admin -- <commande / command>
  network add "NAME" [--email E]
  network list
  token add --network ID --role admin|organiser|accueil|salle [--event ID] --label "TEXT"
  token list [--network ID]
  token revoke TOKEN_ID
  lab add "NAME"
  lab list
  lab grant LAB_ID NETWORK_ID
  lab withdraw LAB_ID NETWORK_ID`

const staffRoles = ['admin', 'organiser', 'accueil', 'salle'] as const

class UsageError extends Error {}

/** Runs one command on `db`; returns the exit code (0 done, 1 refused, 2 usage). */
export async function runAdminCli(argv: string[], db: Kysely<Database>, io: AdminIo, now = new Date().toISOString()): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        network: { type: 'string' },
        role: { type: 'string' },
        event: { type: 'string' },
        label: { type: 'string' },
        email: { type: 'string' },
      },
    })
    const [group, action, ...rest] = positionals
    const command = `${group ?? ''} ${action ?? ''}`
    switch (command) {
      case 'network add': {
        const name = one(rest, 'NAME')
        const created = await createNetwork(db, { name, email: values.email ?? null, adminLabel: 'Créé en ligne de commande' }, now)
        io.out(`Réseau « ${name} » créé / network created: ${created.networkId}`)
        io.out(`Jeton administrateur (affiché une seule fois) / admin token (shown once):`)
        io.out(created.token)
        return 0
      }
      case 'network list': {
        for (const n of await listNetworks(db)) io.out(`${n.id}\t${n.name}`)
        return 0
      }
      case 'token add': {
        none(rest)
        const networkId = required(values.network, '--network')
        const role = required(values.role, '--role') as TokenRole
        const label = required(values.label, '--label')
        if (!(staffRoles as readonly string[]).includes(role)) throw new UsageError(`--role : ${staffRoles.join(', ')} (un laboratoire : lab add / a lab: lab add)`)
        const eventRole = role === 'accueil' || role === 'salle'
        if (eventRole !== Boolean(values.event)) {
          throw new UsageError(eventRole ? `--event est requis pour ${role} / --event is required for ${role}` : `--event ne va qu'avec accueil ou salle / --event only goes with accueil or salle`)
        }
        if (!(await getNetwork(db, networkId))) return refuse(io, `réseau inconnu / unknown network: ${networkId}`)
        if (values.event) {
          const event = await db.selectFrom('events').select('id').where('id', '=', values.event).where('network_id', '=', networkId).executeTakeFirst()
          if (!event) return refuse(io, `événement inconnu dans ce réseau / unknown event in this network: ${values.event}`)
        }
        const { token, row } = await createToken(db, { role, label, networkId, eventId: values.event ?? null }, now)
        io.out(`Jeton « ${label} » (${role}) créé / token created: ${row.id}`)
        io.out(token)
        return 0
      }
      case 'token list': {
        none(rest)
        const rows = await listTokens(db, values.network ? { networkId: values.network } : {})
        io.out(['id', 'role', 'network', 'event', 'label', 'created', 'last used', 'revoked'].join('\t'))
        for (const t of rows) {
          io.out([t.id, t.role, t.network_id ?? t.lab_id ?? '', t.event_id ?? '', t.label, t.created_at, t.last_used_at ?? '', t.revoked_at ?? ''].join('\t'))
        }
        return 0
      }
      case 'token revoke': {
        const id = one(rest, 'TOKEN_ID')
        const row = await getToken(db, id)
        if (!row) return refuse(io, `jeton inconnu / unknown token: ${id}`)
        if (!(await revokeToken(db, id, null, now))) return refuse(io, `jeton déjà révoqué / token already revoked: ${id}`)
        io.out(`Jeton « ${row.label} » révoqué / token revoked: ${id}`)
        return 0
      }
      case 'lab add': {
        const name = one(rest, 'NAME')
        const created = await createLab(db, name, now)
        io.out(`Laboratoire « ${name} » créé / lab created: ${created.labId}`)
        io.out(`Jeton laboratoire (affiché une seule fois) / lab token (shown once):`)
        io.out(created.token)
        return 0
      }
      case 'lab list': {
        none(rest)
        for (const lab of await db.selectFrom('labs').selectAll().orderBy('created_at').execute()) {
          const grants = (await listGrants(db, { labId: lab.id })).filter((g) => g.withdrawnAt === null)
          io.out(`${lab.id}\t${lab.name}\t${grants.map((g) => g.networkName).join(', ')}`)
        }
        return 0
      }
      case 'lab grant':
      case 'lab withdraw': {
        const [labId, networkId, ...extra] = rest
        if (!labId || !networkId || extra.length > 0) throw new UsageError(`${command} LAB_ID NETWORK_ID`)
        const lab = await getLab(db, labId)
        const network = await getNetwork(db, networkId)
        if (!lab) return refuse(io, `laboratoire inconnu / unknown lab: ${labId}`)
        if (!network) return refuse(io, `réseau inconnu / unknown network: ${networkId}`)
        if (action === 'grant') {
          if (!(await grantLab(db, lab.id, network.id, 'command line', now))) return refuse(io, `accès déjà accordé / access already granted`)
          io.out(`« ${lab.name} » lit désormais les chiffres de « ${network.name} » / now reads this network's figures`)
        } else {
          if (!(await withdrawGrant(db, lab.id, network.id, 'command line', now))) return refuse(io, `aucun accès à retirer / no access to withdraw`)
          io.out(`Accès de « ${lab.name} » à « ${network.name} » retiré / access withdrawn`)
        }
        return 0
      }
      default:
        throw new UsageError(command.trim() ? `commande inconnue / unknown command: ${command.trim()}` : 'commande manquante / missing command')
    }
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`${err.message}\n${usage}`)
      return 2
    }
    throw err
  }
}

function refuse(io: AdminIo, message: string): number {
  io.err(message)
  return 1
}

function one(rest: string[], name: string): string {
  if (rest.length !== 1 || !rest[0]?.trim()) throw new UsageError(`${name} attendu (entre guillemets s'il a des espaces) / expected (quoted if it has spaces)`)
  return rest[0].trim()
}

function none(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`argument inattendu / unexpected argument: ${rest[0]}`)
}

function required(value: string | undefined, flag: string): string {
  if (!value?.trim()) throw new UsageError(`${flag} requis / required`)
  return value.trim()
}

async function main(): Promise<void> {
  const config = loadConfig()
  const { db } = openDatabase(config.databaseUrl)
  try {
    await migrateToLatest(db)
    process.exitCode = await runAdminCli(process.argv.slice(2), db, { out: (l) => console.log(l), err: (l) => console.error(l) })
  } finally {
    await db.destroy()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = 1
  })
}
