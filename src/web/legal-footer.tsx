/**
 * The footer of every page: the personal data notice (on a participant's
 * pages, its own network's, through its personal link) and the accessibility
 * statement with its conformance level.
 */
import type { Lang } from './i18n.ts'
import { rgaaSummary } from './rgaa.ts'

const levels: Record<Lang, Record<'full' | 'partial' | 'none', string>> = {
  fr: { full: 'Accessibilité\u00a0: totalement conforme', partial: 'Accessibilité\u00a0: partiellement conforme', none: 'Accessibilité\u00a0: non conforme' },
  en: { full: 'Accessibility: fully compliant', partial: 'Accessibility: partially compliant', none: 'Accessibility: not compliant' },
}
const labels: Record<Lang, { footer: string; privacy: string }> = {
  fr: { footer: 'Informations légales', privacy: 'Données personnelles' },
  en: { footer: 'Legal information', privacy: 'Personal data' },
}

export function LegalFooter({ lang, url }: { lang: Lang; url: string }) {
  const secret = /^\/p\/([^/?#]+)/.exec(url)?.[1]
  return (
    <footer class="legal" aria-label={labels[lang].footer}>
      <p class="muted">
        <a href={secret ? `/p/${secret}/confidentialite` : '/confidentialite'}>{labels[lang].privacy}</a>
        {' · '}
        <a href="/accessibilite">{levels[lang][rgaaSummary().level]}</a>
      </p>
    </footer>
  )
}
