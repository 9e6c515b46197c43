import { sql, type Kysely } from 'kysely'

// Networks (réseaux) become the tenant of a shared deployment.
// - `organisers` becomes `networks`, `events.organiser_id` becomes `network_id`;
// - `api_tokens` gives way to `tokens`, one per account: admin, organiser,
//   accueil (one event), salle (one event), lab; with label, creator, last use;
// - labs and the grants by which a network lets a lab read its figures;
// - organisations and "every event" exclusions belong to one network. An
//   organisation that two networks shared is split: the network that registered
//   it first keeps the row, the others get their own copy;
// - `name_key`, the normalised name organisations are matched by (NFD, accents
//   stripped, case folded, spaces collapsed), computed by the application and
//   indexed, the same on both dialects.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisers').renameTo('networks').execute()
  await db.schema.alterTable('events').renameColumn('organiser_id', 'network_id').execute()

  await db.schema
    .createTable('labs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('lab_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lab_id', 'text', (c) => c.notNull().references('labs.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'text')
    .execute()
  // one active grant per lab and network
  await db.schema
    .createIndex('lab_grants_active')
    .on('lab_grants')
    .columns(['lab_id', 'network_id'])
    .unique()
    .where(sql.ref('withdrawn_at'), 'is', null)
    .execute()

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ['admin', 'organiser', 'accueil', 'salle', 'lab'])))
    .addColumn('network_id', 'text', (c) => c.references('networks.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.references('events.id').onDelete('cascade'))
    .addColumn('lab_id', 'text', (c) => c.references('labs.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    // staff tokens name their network, event roles their event, lab tokens their lab
    .addCheckConstraint(
      'tokens_scope',
      sql`(role = 'lab' and lab_id is not null and network_id is null)
        or (role in ('admin', 'organiser') and network_id is not null and event_id is null)
        or (role in ('accueil', 'salle') and network_id is not null and event_id is not null)`,
    )
    .execute()
  await db.schema.createIndex('tokens_network').on('tokens').column('network_id').execute()

  // existing tokens: an organiser owned its events, so its tokens become its network's admins;
  // each lab token becomes a lab granted every existing network (what it could read before)
  const now = new Date().toISOString()
  const old = await db.selectFrom('api_tokens').selectAll().execute()
  const networks = await db.selectFrom('networks').select(['id']).execute()
  for (const t of old) {
    if (t.role === 'lab') {
      await db.insertInto('labs').values({ id: t.id, name: t.label ?? 'Laboratoire', created_at: t.created_at }).execute()
      for (const n of networks) {
        await db
          .insertInto('lab_grants')
          .values({ id: `${t.id}:${n.id}`, lab_id: t.id, network_id: n.id, granted_at: now, granted_by: 'migration', withdrawn_at: null, withdrawn_by: null })
          .execute()
      }
    }
    await db
      .insertInto('tokens')
      .values({
        id: t.id,
        role: t.role === 'lab' ? 'lab' : 'admin',
        network_id: t.role === 'lab' ? null : t.organiser_id,
        event_id: null,
        lab_id: t.role === 'lab' ? t.id : null,
        label: t.label ?? (t.role === 'lab' ? 'Laboratoire' : 'Administrateur'),
        token_hash: t.token_hash,
        created_at: t.created_at,
        created_by: null,
        last_used_at: null,
        revoked_at: t.revoked_at,
        revoked_by: null,
      })
      .execute()
  }
  await db.schema.dropTable('api_tokens').execute()

  await db.schema.alterTable('organisations').addColumn('network_id', 'text', (c) => c.references('networks.id').onDelete('cascade')).execute()
  await db.schema.alterTable('organisations').addColumn('name_key', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('exclusions').addColumn('network_id', 'text', (c) => c.references('networks.id').onDelete('cascade')).execute()

  // split organisations shared by several networks
  const uses = await db
    .selectFrom('registrations')
    .innerJoin('events', 'events.id', 'registrations.event_id')
    .select(['registrations.organisation_id as organisation_id', 'events.network_id as network_id', 'registrations.created_at as at'])
    .orderBy('registrations.created_at')
    .execute()
  const networksOf = new Map<string, string[]>()
  for (const u of uses) {
    const list = networksOf.get(u.organisation_id) ?? []
    if (!list.includes(u.network_id)) list.push(u.network_id)
    networksOf.set(u.organisation_id, list)
  }
  const orgs = await db.selectFrom('organisations').selectAll().execute()
  for (const org of orgs) {
    const [first, ...others] = networksOf.get(org.id) ?? []
    await db
      .updateTable('organisations')
      .set({ network_id: first ?? null, name_key: nameKey(org.name) })
      .where('id', '=', org.id)
      .execute()
    for (const networkId of others) {
      const copyId = `${org.id}:${networkId}`
      await db.insertInto('organisations').values({ ...org, id: copyId, network_id: networkId, name_key: nameKey(org.name) }).execute()
      const events = (eb: any) => eb.selectFrom('events').select('id').where('network_id', '=', networkId)
      await db.updateTable('registrations').set({ organisation_id: copyId }).where('organisation_id', '=', org.id).where('event_id', 'in', events).execute()
      for (const column of ['association_id', 'company_id']) {
        await db.updateTable('exclusions').set({ [column]: copyId }).where(column, '=', org.id).where('event_id', 'in', events).execute()
      }
    }
  }
  // an exclusion belongs to its event's network; an "every event" one to its association's
  await db
    .updateTable('exclusions')
    .set((eb: any) => ({
      network_id: eb.fn.coalesce(
        eb.selectFrom('events').select('events.network_id').whereRef('events.id', '=', 'exclusions.event_id'),
        eb.selectFrom('organisations').select('organisations.network_id').whereRef('organisations.id', '=', 'exclusions.association_id'),
      ),
    }))
    .execute()

  await db.schema.dropIndex('organisations_kind_name').execute()
  await db.schema.createIndex('organisations_network_name').on('organisations').columns(['network_id', 'kind', 'name_key']).execute()
  await db.schema.createIndex('organisations_network_siren').on('organisations').columns(['network_id', 'siren']).execute()
  await db.schema.createIndex('organisations_network_rna').on('organisations').columns(['network_id', 'rna']).execute()
  await db.schema.createIndex('exclusions_network').on('exclusions').column('network_id').execute()
  await db.schema.createIndex('registrations_event').on('registrations').column('event_id').execute()
}

export async function down(): Promise<void> {
  throw new Error('the networks migration is not reversible')
}

/** The same normalisation as src/domain/names.ts, copied: migrations never import app code. */
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`
}
