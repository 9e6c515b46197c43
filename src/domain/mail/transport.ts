/**
 * Where e-mails go. With `SMTP_URL`, an SMTP server through nodemailer;
 * without it (the embedded default), each message is written as an .eml file
 * to a folder (`var/outbox/`), so a fresh install shows exactly what would be
 * sent. nodemailer does not leak past this file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer/index.js'

export interface OutgoingMail {
  /** the outbox id: names the .eml file and the Message-ID */
  id: string
  from: string
  to: { name: string | null; address: string }
  subject: string
  text: string
  html: string | null
  ics: { filename: string; content: string } | null
}

export interface MailTransport {
  /** 'smtp' or 'folder', for logs */
  kind: 'smtp' | 'folder'
  /** resolves once the message is accepted (by the SMTP server, or written); rejects otherwise */
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

function options(mail: OutgoingMail): Mail.Options {
  const domain = /@([^>\s]+)>?\s*$/.exec(mail.from)?.[1] ?? 'localhost'
  return {
    from: mail.from,
    to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: `<${mail.id}@${domain}>`,
    ...(mail.ics
      ? { attachments: [{ filename: mail.ics.filename, content: mail.ics.content, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] }
      : {}),
  }
}

/** `smtp://user:password@host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url)
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail(options(mail))
    },
    close: () => transporter.close(),
  }
}

/** Each message as `<folder>/<outbox id>.eml` (written then renamed: a reader never sees half a file). */
export function folderTransport(folder: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
  return {
    kind: 'folder',
    async send(mail) {
      const info = await composer.sendMail(options(mail))
      mkdirSync(folder, { recursive: true })
      const file = join(folder, `${mail.id}.eml`)
      writeFileSync(`${file}.part`, info.message as Buffer)
      renameSync(`${file}.part`, file)
    },
    close: () => composer.close(),
  }
}
