/**
 * The network's memory in headless Chromium: duplicate the example evening from
 * its management page, edit the copy while it is a draft, open an organisation's
 * record from the participants list, import next year's updated file into the
 * copy (dry run, then apply), archive the copy, then delete it.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hasChromium, launchChromium, logIn, startSite, type Site } from './site.ts'

describe.skipIf(!hasChromium)('duplicate, edit, archive and delete an event in Chromium', () => {
  let site: Site
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    site = await startSite()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.setDefaultTimeout(8000)
    await logIn(site, page, site.org)
    await page.waitForURL(`${site.url}/evenements`)
  })

  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  test('duplicate the example evening, then edit the copy', async () => {
    await page.goto(`${site.url}/evenements/${site.eventId}`)
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Réglages, dupliquer, archiver, supprimer' }).click()])
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Gestion de l’événement')
    await page.getByLabel('Date de la nouvelle soirée').fill('2027-12-02')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Dupliquer', exact: true }).click()])
    await expect(page.locator('.notice.ok').textContent()).resolves.toBe('Copie créée\u00a0: 20 participants réinscrits.')
    const copyId = /\/evenements\/([^/]+)\/gestion/.exec(page.url())?.[1]
    expect(copyId).toBeTruthy()
    expect(copyId).not.toBe(site.eventId)
    await expect(page.getByLabel('Date', { exact: true }).inputValue()).resolves.toBe('2027-12-02')

    // edit while a draft: title, rounds, and what to do with pairs who met at the first evening
    await page.getByLabel('Titre', { exact: true }).fill('Speed-dating de décembre, deuxième édition')
    await page.getByLabel('Nombre de tours').fill('8')
    await page.getByLabel('Paires déjà rencontrées dans le réseau').selectOption('penalise')
    await page.getByLabel('Réduction du score').fill('3')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Enregistrer' }).click()])
    await expect(page.locator('.notice.ok').textContent()).resolves.toBe('Événement enregistré.')
    const { event } = await site.call('GET', `/api/events/${copyId}`, site.org)
    expect(event).toMatchObject({ title: 'Speed-dating de décembre, deuxième édition', rounds: 8, status: 'draft', metBefore: 'penalise', metBeforePenalty: 3 })

    // the first evening's rotation is published: in the copy, every pair has met, each with a lower score
    await site.call('POST', `/api/events/${site.eventId}/schedule?publish=1`, site.org)
    await page.goto(`${site.url}/evenements/${copyId}/rotation`)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Générer la rotation' }).click()])
    await expect(page.locator('[data-met-before]').textContent()).resolves.toContain('0 écartée, 100 au score réduit, 0 permise')

    // the copy's participants, each linked to its organisation's record
    await page.goto(`${site.url}/evenements/${copyId}`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Speed-dating de décembre, deuxième édition')
    await expect(page.locator('table[data-participants] tbody tr').count()).resolves.toBe(20)
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Entraide Neudorf', exact: true }).click()])
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Entraide Neudorf')
    await expect(page.locator('[data-evening]').count()).resolves.toBe(2)
    await expect(page.locator('[data-evening] table[data-meetings] tbody tr').count()).resolves.toBe(10)

    // next year's file, updated: one association sends someone else, a new one joins; dry run first, then apply
    const updated = ['type,nom,participant', 'association,Entraide Neudorf,Marie Graff', 'association,Les Jardins de la Montagne Verte,Vincent Dubois', 'association,Cœur de Quartier,Anne Roth'].join('\n')
    await page.goto(`${site.url}/evenements/${copyId}`)
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'inscriptions-2027.csv', mimeType: 'text/csv', buffer: Buffer.from(updated) })
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Prévisualiser' }).click()])
    const preview = page.locator('table[data-import-preview] tbody tr')
    await expect(preview.count()).resolves.toBe(3)
    await expect(page.locator('td[data-action]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-action')))).resolves.toEqual(['update', 'unchanged', 'create'])
    await expect(preview.nth(0).textContent()).resolves.toContain('Marie Graff')
    // the dry run wrote nothing
    const before = (await site.call('GET', `/api/events/${copyId}/participants`, site.org)).participants as { personName: string; organisation: { name: string } }[]
    expect(before).toHaveLength(20)
    expect(before.find((r) => r.organisation.name === 'Entraide Neudorf')?.personName).toBe('Inès Meyer')
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Confirmer l’import' }).click()])
    const after = (await site.call('GET', `/api/events/${copyId}/participants`, site.org)).participants as { personName: string; organisation: { name: string } }[]
    expect(after).toHaveLength(21)
    expect(after.find((r) => r.organisation.name === 'Entraide Neudorf')?.personName).toBe('Marie Graff')
    expect(after.some((r) => r.organisation.name === 'Cœur de Quartier')).toBe(true)

    // archive the copy: it leaves the events list; then delete it (still a draft)
    await page.goto(`${site.url}/evenements/${copyId}/gestion`)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Archiver' }).click()])
    await expect(page.locator('.notice.ok').textContent()).resolves.toContain('Événement archivé le')
    await page.goto(`${site.url}/evenements`)
    await expect(page.getByRole('link', { name: 'Speed-dating de décembre, deuxième édition' }).count()).resolves.toBe(0)
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Événements archivés' }).click()])
    await expect(page.locator('[data-archived] li').count()).resolves.toBe(1)
    await expect(page.getByRole('link', { name: 'Speed-dating de décembre, deuxième édition' }).count()).resolves.toBe(1)
    await page.goto(`${site.url}/evenements/${copyId}/gestion`)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Supprimer le brouillon' }).click()])
    expect(page.url()).toBe(`${site.url}/evenements`)
    await expect(site.call('GET', `/api/events/${copyId}`, site.org)).rejects.toThrow(/404/)
  })
})
