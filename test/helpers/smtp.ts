/**
 * A real SMTP server in the test process (smtp-server), keeping every message
 * it accepts, parsed by mailparser. `stop()` then `start()` again on the same
 * port plays a mail server that is down for a while.
 */
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface TestSmtp {
  url: string
  received: ParsedMail[]
  start: () => Promise<void>
  stop: () => Promise<void>
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = []
  let server: SMTPServer | null = null
  let port = 0
  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            received.push(mail)
            callback()
          },
          (err: Error) => callback(err),
        )
      },
    })
    const listening = server.listen(port, '127.0.0.1')
    await new Promise<void>((done) => listening.once('listening', () => done()))
    port = (listening.address() as AddressInfo).port
  }
  const stop = async () => {
    const s = server
    server = null
    if (s) await new Promise<void>((done) => s.close(() => done()))
  }
  await start()
  return { url: `smtp://127.0.0.1:${port}`, received, start, stop }
}
