/**
 * The network admin's page in headless Chromium: invite a door volunteer for
 * one evening (the token shown once), who then signs in and lands on the
 * check-in page; revoke the account after confirming; the token stops working.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, startSite, type Site } from './site.ts'

if (!hasChromium) console.warn(`Browser tests skipped: no chromium binary at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (set CHROMIUM_PATH)`)

describe.skipIf(!hasChromium)('network accounts in Chromium', () => {
  let site: Site
  let browser: Browser

  beforeAll(async () => {
    site = await startSite()
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  test('an admin invites a door volunteer for one evening, who lands on its check-in page; the admin revokes the account', async () => {
    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    admin.setDefaultTimeout(8000)
    await admin.goto(`${site.url}/connexion`)
    await admin.getByLabel('Jeton d’accès').fill(site.admin)
    await Promise.all([admin.waitForURL(`${site.url}/evenements`), admin.getByRole('button', { name: 'Se connecter' }).click()])
    await Promise.all([admin.waitForURL(`${site.url}/reseau`), admin.getByRole('link', { name: 'Réseau et comptes' }).click()])
    await expect(admin.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Réseau «\u00a0Réseau Alsace Partenariats\u00a0»')

    await admin.getByLabel('Nom ou rôle de la personne').fill('Martine, bénévole à l’accueil')
    await admin.getByLabel('Rôle', { exact: true }).selectOption('accueil')
    await admin.getByLabel('Événement').selectOption(site.eventId)
    await Promise.all([admin.waitForEvent('load'), admin.getByRole('button', { name: 'Créer le jeton' }).click()])
    const token = (await admin.locator('[data-token]').textContent())!.trim()
    expect(token).toMatch(/^acc_/)
    await expect(admin.locator('table').textContent()).resolves.toContain('Martine, bénévole à l’accueil')
    await admin.screenshot({ path: 'test-results/network-accounts.png', fullPage: true })
    // shown once: a reload does not show it again
    await admin.goto(`${site.url}/reseau`)
    await expect(admin.locator('[data-token]').count()).resolves.toBe(0)

    const door = await browser.newPage({ viewport: { width: 360, height: 740 } })
    door.setDefaultTimeout(8000)
    await door.goto(`${site.url}/connexion`)
    await door.getByLabel('Jeton d’accès').fill(token)
    await Promise.all([door.waitForURL(/\/accueil$/), door.getByRole('button', { name: 'Se connecter' }).click()])
    expect(door.url()).toContain(`/evenements/${site.eventId}/accueil`)
    const rotation = await door.goto(`${site.url}/evenements/${site.eventId}/rotation`)
    expect(rotation?.status()).toBe(404)

    // revoking asks for a confirmation first
    const row = admin.locator('tr', { hasText: 'Martine, bénévole à l’accueil' })
    await row.getByRole('checkbox').check()
    await Promise.all([admin.waitForEvent('load'), row.getByRole('button', { name: 'Révoquer' }).click()])
    await expect(admin.locator('.notice.ok').textContent()).resolves.toBe('C’est fait.')
    await expect(admin.locator('tr', { hasText: 'Martine, bénévole à l’accueil' }).textContent()).resolves.toContain('Révoqué le')
    const after = await door.goto(`${site.url}/evenements/${site.eventId}/accueil`)
    expect(after?.url()).toContain('/connexion')
  })
})
