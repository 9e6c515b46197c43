/**
 * HTML to PDF with Chromium (playwright-core), for the print page's PDF.
 *
 * One browser at a time (a print job of a large event takes a few hundred MB
 * and both cores for a few seconds; two at once would starve the service),
 * launched for the job and closed after it, with a launch timeout and a job
 * timeout. The page is served to Chromium from memory: the document is the
 * HTML given, `/static/…` files come from `asset` (the app itself, in
 * process), and every other request is refused, so nothing leaves the machine
 * and no cookie is involved. Scripts are off: the print layout is CSS only.
 *
 * Chromium missing, or not starting: `PdfUnavailable` (the route answers 503).
 */
import { existsSync } from 'node:fs'

export class PdfUnavailable extends Error {}

export interface PdfJob {
  /** the document's address (its origin resolves the page's links and `/static/` files) */
  url: string
  html: string
  /** answers GET requests for `/static/…` */
  asset: (url: URL) => Promise<Response>
}

export interface PdfOptions {
  executablePath?: string
  launchTimeoutMs?: number
  jobTimeoutMs?: number
}

let queue: Promise<unknown> = Promise.resolve()

/** Renders `job` to an A4 PDF (sizes from the page's CSS `@page`), one job at a time. */
export function renderPdf(job: PdfJob, options: PdfOptions = {}): Promise<Uint8Array> {
  const run = queue.then(() => render(job, options))
  queue = run.catch(() => undefined)
  return run
}

async function render(job: PdfJob, options: PdfOptions): Promise<Uint8Array> {
  const executablePath = options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executablePath)) {
    throw new PdfUnavailable(`Chromium est introuvable (${executablePath}) : le PDF ne peut pas être produit ; imprimez la page depuis le navigateur / Chromium not found: the PDF cannot be made; print the page from the browser`)
  }
  let chromium: typeof import('playwright-core').chromium
  try {
    ;({ chromium } = await import('playwright-core'))
  } catch {
    throw new PdfUnavailable('Le module playwright-core n’est pas installé : le PDF ne peut pas être produit / playwright-core is not installed: the PDF cannot be made')
  }
  let browser: import('playwright-core').Browser
  try {
    browser = await chromium.launch({
      executablePath,
      timeout: options.launchTimeoutMs ?? 20_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  } catch (err) {
    throw new PdfUnavailable(`Chromium n’a pas démarré : le PDF ne peut pas être produit / Chromium did not start: the PDF cannot be made (${(err as Error).message.split('\n')[0]})`)
  }
  const timeout = options.jobTimeoutMs ?? 60_000
  let timer: NodeJS.Timeout | undefined
  // page.pdf() has no timeout of its own: past the job's time the browser is closed, which ends any step
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void browser.close().catch(() => undefined)
      reject(new PdfUnavailable(`Le PDF a pris plus de ${Math.round(timeout / 1000)} s : abandonné / The PDF took more than ${Math.round(timeout / 1000)} s: given up`))
    }, timeout)
  })
  try {
    return await Promise.race([print(browser, job, timeout), expired])
  } finally {
    clearTimeout(timer)
    await browser.close().catch(() => undefined)
  }
}

async function print(browser: import('playwright-core').Browser, job: PdfJob, timeout: number): Promise<Uint8Array> {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  page.setDefaultTimeout(timeout)
  const origin = new URL(job.url).origin
  await page.route('**/*', async (route) => {
    const request = route.request()
    const url = new URL(request.url())
    if (request.method() !== 'GET' || url.origin !== origin) return route.abort()
    if (url.href === new URL(job.url).href) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: job.html })
    if (!url.pathname.startsWith('/static/')) return route.abort()
    const res = await job.asset(url)
    return route.fulfill({ status: res.status, contentType: res.headers.get('content-type') ?? 'application/octet-stream', body: Buffer.from(await res.arrayBuffer()) })
  })
  await page.goto(job.url, { waitUntil: 'load' })
  await page.emulateMedia({ media: 'print' })
  return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
}
