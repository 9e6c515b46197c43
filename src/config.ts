/** Configuration from the environment, read when the server starts (never at import time). */
import { z } from 'zod'

export interface Config {
  port: number
  host: string
  /** postgres://… or a SQLite file path */
  databaseUrl: string
  /** base of the links printed and given to participants, e.g. https://rencontres.example.org */
  publicUrl: string
  /** load data/events/ into an empty database (default true) */
  loadExamples: boolean
  /** server secret of the personal links (null: made once and kept in a file, src/domain/links.ts) */
  linkSecret: string | null
  /** smtp(s)://user:password@host:port; null: messages are written as .eml files to var/outbox/ */
  smtpUrl: string | null
  mailFrom: string
}

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().min(1).default('var/speeddating.sqlite'),
  PUBLIC_URL: z.url().optional(),
  LOAD_EXAMPLES: z.enum(['0', '1', 'true', 'false']).default('1'),
  LINK_SECRET: z.string().min(16).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Rencontres associations-entreprises <rencontres@localhost>'),
})

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')))
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`configuration invalide / invalid configuration: ${problems}`)
  }
  const e = parsed.data
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/+$/, ''),
    loadExamples: e.LOAD_EXAMPLES === '1' || e.LOAD_EXAMPLES === 'true',
    linkSecret: e.LINK_SECRET ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
  }
}
