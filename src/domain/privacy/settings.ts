/** A network's privacy settings: the notice's contact, its data protection officer, its retention policy. */
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../db/schema.ts'
import { notFound } from '../../errors.ts'
import { DEFAULT_RETENTION_MONTHS, privacyDb } from './db.ts'
import { zodWords } from '../zod-messages.ts'

export const PrivacySettingsPatch = z
  .object({
    contactEmail: z.email(zodWords({ fr: 'une adresse électronique valide', en: 'a valid e-mail address' })).max(200).nullable().optional(),
    dpoName: z.string().trim().min(1).max(200).nullable().optional(),
    retentionMonths: z.number().int().min(1).max(120).nullable().optional(),
  })
  .strict()
export type PrivacySettingsPatch = z.infer<typeof PrivacySettingsPatch>

export interface PrivacySettings {
  networkId: string
  name: string
  /** the network's own e-mail */
  email: string | null
  /** who to write to about personal data (defaults to `email`) */
  contactEmail: string | null
  dpoName: string | null
  retentionMonths: number
}

export async function privacySettings(db: Kysely<Database>, networkId: string): Promise<PrivacySettings | null> {
  const row = await privacyDb(db).selectFrom('networks').selectAll().where('id', '=', networkId).executeTakeFirst()
  if (!row) return null
  return {
    networkId: row.id,
    name: row.name,
    email: row.email,
    contactEmail: row.privacy_email ?? row.email,
    dpoName: row.dpo_name,
    retentionMonths: row.retention_months ?? DEFAULT_RETENTION_MONTHS,
  }
}

export async function updatePrivacySettings(db: Kysely<Database>, networkId: string, patch: PrivacySettingsPatch): Promise<PrivacySettings> {
  const set = {
    ...(patch.contactEmail !== undefined ? { privacy_email: patch.contactEmail } : {}),
    ...(patch.dpoName !== undefined ? { dpo_name: patch.dpoName } : {}),
    ...(patch.retentionMonths !== undefined ? { retention_months: patch.retentionMonths } : {}),
  }
  if (Object.keys(set).length > 0) await privacyDb(db).updateTable('networks').set(set).where('id', '=', networkId).execute()
  const settings = await privacySettings(db, networkId)
  if (!settings) throw notFound({ fr: 'Réseau', en: 'Network' })
  return settings
}
