import { describe, expect, test } from 'vitest'
import { loadConfig } from '../../src/config.ts'

describe('loadConfig', () => {
  test('defaults: port 3000, SQLite file in var/, links on localhost', () => {
    expect(loadConfig({})).toEqual({
      port: 3000, host: '0.0.0.0', databaseUrl: 'var/speeddating.sqlite', publicUrl: 'http://localhost:3000', loadExamples: true,
      linkSecret: null, smtpUrl: null, mailFrom: 'Rencontres associations-entreprises <rencontres@localhost>',
    })
  })
  test('from the environment', () => {
    const config = loadConfig({ PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgres://u:p@db/x', PUBLIC_URL: 'https://rencontres.example.org/', LOAD_EXAMPLES: '0' })
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', databaseUrl: 'postgres://u:p@db/x', publicUrl: 'https://rencontres.example.org', loadExamples: false })
  })
  test('e-mail and link secret from the environment', () => {
    const config = loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.org:587', MAIL_FROM: 'Réseau <r@example.org>', LINK_SECRET: 'a-long-enough-secret' })
    expect(config).toMatchObject({ smtpUrl: 'smtp://u:p@mail.example.org:587', mailFrom: 'Réseau <r@example.org>', linkSecret: 'a-long-enough-secret' })
    expect(() => loadConfig({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/)
  })
  test('a bad port is refused with its name', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
  })
})
