/**
 * The server's mail timer: `runDueMessages` every minute, and at once when
 * woken (messages just queued by an organiser). Runs never overlap.
 */
import { runDueMessages, type SendDeps } from './outbox.ts'
import { folderTransport, smtpTransport, type MailTransport } from './transport.ts'

/** SMTP when `smtpUrl` is set, else .eml files in `folder`. */
export function mailTransport(smtpUrl: string | null, folder: string): MailTransport {
  return smtpUrl ? smtpTransport(smtpUrl) : folderTransport(folder)
}

export function startMailer(deps: SendDeps, intervalMs = 60_000, log: (line: string) => void = console.log): { wake: () => void; stop: () => void } {
  let running: Promise<void> | null = null
  let again = false
  const run = () => {
    if (running) {
      again = true
      return
    }
    running = runDueMessages(deps, new Date())
      .then((r) => {
        if (r.queued + r.sent + r.retried + r.failed > 0) {
          log(`courriels / e-mails (${deps.transport.kind}): ${r.queued} en file / queued, ${r.sent} envoyés / sent, ${r.retried} à réessayer / to retry, ${r.failed} en échec / failed`)
        }
      })
      .catch((err: unknown) => log(`courriels / e-mails: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        running = null
        if (again) {
          again = false
          run()
        }
      })
  }
  const timer = setInterval(run, intervalMs)
  timer.unref()
  setTimeout(run, 1000).unref()
  return {
    wake: run,
    stop: () => {
      clearInterval(timer)
      deps.transport.close()
    },
  }
}
