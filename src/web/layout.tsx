/** The page shell and small shared pieces of the pages. */
import type { Child, FC } from 'hono/jsx'
import { raw } from 'hono/html'
import type { Lang, Translate } from './i18n.ts'
import { LegalFooter } from './legal-footer.tsx'

export interface View {
  lang: Lang
  t: Translate
  /** the request path with its query, for the language switch */
  url: string
}

export type Area = 'organiser' | 'lab' | 'participant' | 'public'

/** The same URL with `lang` set to the other language. */
export function otherLangUrl(view: View): string {
  const url = new URL(view.url, 'http://x')
  url.searchParams.set('lang', view.t('lang.switchCode'))
  return `${url.pathname}?${url.searchParams.toString()}`
}

export const Layout: FC<{ view: View; title: string; area: Area; children?: Child; head?: Child }> = ({ view, title, area, children, head }) => {
  const { t, lang } = view
  // the doctype keeps browsers in standards mode (without it, quirks mode)
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('app.title')}`}</title>
        <link rel="stylesheet" href="/static/style.css" />
        {head}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('app.skip')}
        </a>
        <header class="top">
          <a class="brand" href={area === 'organiser' ? '/evenements' : area === 'lab' ? '/labo' : '#main'}>
            {t('app.title')}
          </a>
          {area === 'organiser' && <a href="/evenements">{t('nav.events')}</a>}
          {area === 'organiser' && <a href="/reseau">{t('nav.network')}</a>}
          <a href={otherLangUrl(view)} lang={t('lang.switchCode')} hreflang={t('lang.switchCode')}>
            {t('lang.switch')}
          </a>
          {(area === 'organiser' || area === 'lab') && (
            <form method="post" action="/deconnexion">
              <button type="submit" class="link">
                {t('nav.logout')}
              </button>
            </form>
          )}
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
        <LegalFooter lang={lang} url={view.url} />
      </body>
      </html>
    </>
  )
}

export type NoticeKind = 'info' | 'ok' | 'bad' | 'warn'

export const Notice: FC<{ kind?: NoticeKind; children?: Child }> = ({ kind = 'info', children }) => (
  <div class={`notice ${kind}`} role={kind === 'bad' ? 'alert' : 'status'}>
    {children}
  </div>
)
