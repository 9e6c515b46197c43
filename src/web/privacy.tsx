/**
 * Personal data in the pages (issue 12):
 * - /confidentialite?reseau=<network id> and /p/<secret>/confidentialite: the
 *   privacy notice of a network, written from its settings (public);
 * - /accessibilite: the accessibility statement (RGAA form), generated from
 *   the self-audit checklist data/accessibility/rgaa-audit.json (public);
 * - on the participant's page: the first-visit notice (how contacts are
 *   revealed, double opt-in) with the research-use choice, and "my data":
 *   download, change the choice, erase me. Writes go through /api/me/….
 * Strings are kept here, French first then English, to leave the shared
 * dictionary (i18n.ts) to the pages that use it.
 */
import { withParticipant } from './participant.tsx'
import { readForm } from '../http/body.ts'
import { Hono, type Context } from 'hono'
import type { Kysely } from 'kysely'
import { listGrants } from '../db/repositories/tokens.repository.ts'
import type { Database } from '../db/schema.ts'
import type { StaffAuth } from '../auth/tokens.ts'
import { researchConsentOf } from '../domain/privacy/consent.ts'
import { purgePlan } from '../domain/privacy/retention.ts'
import { privacySettings, type PrivacySettings } from '../domain/privacy/settings.ts'
import { callApi } from './api.ts'
import { field, viewOf, withQuery, type WebDeps } from './context.ts'
import { formatDate, type Lang } from './i18n.ts'
import { Layout, Notice, type View } from './layout.tsx'
import { rgaaAudit, rgaaSummary, type Status } from './rgaa.ts'

const words = {
  fr: {
    footer: 'Informations légales',
    privacy: 'Données personnelles',
    'notice.title': 'Vos données personnelles — {network}',
    'notice.generic': 'Chaque réseau qui organise des rencontres sur ce service publie sa propre notice : suivez le lien en bas de votre page personnelle.',
    'notice.controller': 'Responsable du traitement',
    'notice.controllerText': '{network} organise les rencontres et décide de l’usage des données.',
    'notice.dpo': 'Délégué·e à la protection des données : {name}.',
    'notice.contact': 'Écrire à : {email}',
    'notice.noContact': 'Adressez-vous aux organisateurs de votre soirée.',
    'notice.data': 'Données traitées',
    'notice.dataText': 'Votre nom et votre adresse électronique ; le profil de votre organisation (nom, description, thèmes, ressources, ville, contact) ; vos vœux ; le planning de vos rencontres ; vos appréciations et notes sur chaque rencontre ; les partenariats qui en naissent et vos réponses aux points de suivi ; votre choix sur l’usage pour la recherche.',
    'notice.purposes': 'Finalités et bases légales',
    'notice.p1': 'Organiser la soirée (inscription, rotation des tables, cartes imprimées, accueil) — intérêt légitime du réseau et exécution de votre demande de participation.',
    'notice.p2': 'Le suivi après la soirée (appréciations, propositions de suite, partenariats, points de suivi à 2 semaines, 3, 6 et 12 mois) — intérêt légitime du réseau à accompagner les partenariats.',
    'notice.p3': 'Les chiffres de l’événement (nombre de rencontres, d’intérêts réciproques, de partenariats) — intérêt légitime ; ces chiffres ne nomment personne.',
    'notice.p4': 'La recherche : des laboratoires reçoivent des données pseudonymisées, rencontre par rencontre, sans nom ni adresse — uniquement avec votre consentement, que vous pouvez retirer à tout moment.',
    'notice.reveal': 'Comment vos coordonnées sont transmises',
    'notice.revealText': 'Après chaque rencontre, chacun dit s’il souhaite une suite. Votre nom et votre adresse ne sont montrés à l’autre personne que si vous le souhaitez tous les deux (double accord) ; sinon, elle ne voit que le nom de votre organisation.',
    'notice.recipients': 'Destinataires',
    'notice.r1': 'Les organisateurs et bénévoles d’accueil de {network}.',
    'notice.r2': 'Les autres participants : le profil public de votre organisation, et vos coordonnées seulement après un double accord.',
    'notice.r3': 'Les laboratoires autorisés par le réseau, avec votre consentement et sans nom : {labs}.',
    'notice.r3none': 'aucun à ce jour',
    'notice.r4': 'L’hébergeur du service, qui ne les utilise pas.',
    'notice.retention': 'Durée de conservation',
    'notice.retentionText': 'Vos nom, adresse, notes et commentaires sont effacés {months} mois après le dernier point de suivi de l’événement (ou après sa date s’il n’y en a pas). Les organisations qui ne participent plus à aucun événement conservé sont anonymisées. Restent les chiffres et les paires pseudonymisées. Le journal des actions sur les données est gardé {months} mois.',
    'notice.rights': 'Vos droits et comment les exercer',
    'notice.access': 'Accès et portabilité : « Télécharger mes données » sur votre page personnelle (fichier JSON).',
    'notice.rectification': 'Rectification : le formulaire de profil de votre page personnelle jusqu’au début de la soirée, ensuite en écrivant au réseau.',
    'notice.erasure': 'Effacement : « Effacer mes données » sur votre page personnelle, ou sur demande au réseau. Vos rencontres restent comptées, sans votre nom.',
    'notice.objection': 'Opposition à la recherche : votre choix sur votre page personnelle, modifiable à tout moment.',
    'notice.complaint': 'Vous pouvez aussi adresser une réclamation à la CNIL (www.cnil.fr).',
    'notice.updated': 'Notice établie à partir des paramètres du réseau.',
    'a11y.title': 'Déclaration d’accessibilité',
    'a11y.intro': 'Les réseaux qui utilisent le service « Rencontres associations–entreprises » s’engagent à rendre leurs pages accessibles conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s’applique à ce service.',
    'a11y.state': 'État de conformité',
    'a11y.full': 'Ce service est totalement conforme au référentiel général d’amélioration de l’accessibilité ({reference}).',
    'a11y.partial': 'Ce service est partiellement conforme au référentiel général d’amélioration de l’accessibilité ({reference}) en raison des non-conformités énumérées ci-dessous.',
    'a11y.none': 'Ce service n’est pas conforme au référentiel général d’amélioration de l’accessibilité ({reference}).',
    'a11y.results': 'Résultats des tests',
    'a11y.rate': 'L’audit ({auditor}, le {date}) révèle que {rate} % des critères applicables sont respectés : {c} conformes, {nc} non conformes, {na} non applicables.',
    'a11y.nonCompliant': 'Contenus non accessibles',
    'a11y.derogations': 'Dérogations pour charge disproportionnée',
    'a11y.noDerogation': 'Aucune.',
    'a11y.establishment': 'Établissement de cette déclaration',
    'a11y.tech': 'Technologies utilisées',
    'a11y.tools': 'Outils et environnement de test',
    'a11y.pages': 'Pages ayant fait l’objet de la vérification',
    'a11y.criteria': 'Liste des critères évalués',
    'a11y.criterion': 'Critère',
    'a11y.status': 'Statut',
    'a11y.C': 'conforme',
    'a11y.NC': 'non conforme',
    'a11y.NA': 'non applicable',
    'a11y.feedback': 'Retour d’information et contact',
    'a11y.feedbackText': 'Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez aux organisateurs de votre soirée (leur adresse figure dans la notice de données personnelles) pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.',
    'a11y.remedies': 'Voies de recours',
    'a11y.remediesText': 'Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu et n’avez pas obtenu de réponse satisfaisante, vous pouvez : écrire au Défenseur des droits (formulaire sur www.defenseurdesdroits.fr) ; contacter le délégué du Défenseur des droits de votre région ; envoyer un courrier (gratuit, sans affranchissement) à : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.',
    'consent.title': 'Avant de commencer',
    'consent.reveal': 'Après chaque rencontre, vous direz si vous souhaitez une suite. Votre nom et votre adresse ne sont montrés à l’autre personne que si vous le souhaitez tous les deux ; sinon, elle ne voit que le nom de votre organisation.',
    'consent.question': 'Acceptez-vous que vos rencontres, sans votre nom ni votre adresse, servent à la recherche sur les partenariats associations–entreprises ?',
    'consent.yes': 'Oui, j’accepte',
    'consent.no': 'Non, je refuse',
    'consent.save': 'Enregistrer mon choix',
    'consent.saved': 'Votre choix est enregistré. Vous pouvez le modifier à tout moment en bas de cette page.',
    'consent.notice': 'Lire la notice de données personnelles',
    'mine.title': 'Mes données',
    'mine.accepted': 'Vous avez accepté l’usage de vos rencontres pour la recherche (le {date}).',
    'mine.refused': 'Vous avez refusé l’usage de vos rencontres pour la recherche (le {date}).',
    'mine.change': 'Changer mon choix',
    'mine.download': 'Télécharger mes données (JSON)',
    'mine.erase': 'Effacer mes données',
    'mine.eraseHelp': 'Votre nom, votre adresse, vos notes et vos commentaires seront effacés et ce lien cessera de fonctionner. Vos rencontres resteront comptées, sans votre nom. C’est définitif.',
    'mine.eraseConfirm': 'Je comprends, effacer mes données',
    'mine.erased': 'Vos données ont été effacées',
    'mine.erasedText': 'Votre nom, votre adresse, vos notes et vos commentaires ont été effacés. Ce lien ne fonctionne plus.',
    'purge.soon': 'Conservation des données : les noms, adresses, notes et commentaires des participants de « {title} » seront effacés le {date}.',
    'purge.due': 'Conservation des données : les noms, adresses, notes et commentaires des participants de « {title} » sont effacés cette nuit.',
  },
  en: {
    footer: 'Legal information',
    privacy: 'Personal data',
    'notice.title': 'Your personal data — {network}',
    'notice.generic': 'Each network that runs meetings on this service publishes its own notice: follow the link at the bottom of your personal page.',
    'notice.controller': 'Data controller',
    'notice.controllerText': '{network} runs the meetings and decides how the data are used.',
    'notice.dpo': 'Data protection officer: {name}.',
    'notice.contact': 'Write to: {email}',
    'notice.noContact': 'Ask the organisers of your evening.',
    'notice.data': 'Data processed',
    'notice.dataText': 'Your name and e-mail address; your organisation’s profile (name, description, themes, resources, town, contact); your wishes; your meeting schedule; your ratings and notes on each meeting; the partnerships that follow and your answers to follow-up check-ins; your choice on research use.',
    'notice.purposes': 'Purposes and legal bases',
    'notice.p1': 'Running the evening (registration, table rotation, printed cards, welcome desk) — the network’s legitimate interest and your request to take part.',
    'notice.p2': 'Following up after the evening (ratings, follow-up proposals, partnerships, check-ins at 2 weeks, 3, 6 and 12 months) — the network’s legitimate interest in supporting partnerships.',
    'notice.p3': 'The event’s figures (meetings, mutual interests, partnerships) — legitimate interest; the figures name nobody.',
    'notice.p4': 'Research: labs receive pseudonymised, meeting-level data without names or addresses — only with your consent, which you can withdraw at any time.',
    'notice.reveal': 'How your contact details are shared',
    'notice.revealText': 'After each meeting, each side says whether it wants a follow-up. Your name and address are shown to the other person only if you both want it (double opt-in); otherwise they only see your organisation’s name.',
    'notice.recipients': 'Recipients',
    'notice.r1': 'The organisers and welcome-desk volunteers of {network}.',
    'notice.r2': 'Other participants: your organisation’s public profile, and your contact details only after a double opt-in.',
    'notice.r3': 'Labs the network authorised, with your consent and without names: {labs}.',
    'notice.r3none': 'none so far',
    'notice.r4': 'The service’s host, which does not use them.',
    'notice.retention': 'Retention',
    'notice.retentionText': 'Your name, address, notes and comments are erased {months} months after the event’s last follow-up check-in (or its date if there is none). Organisations no longer in any kept event are anonymised. Figures and pseudonymised pairs remain. The log of actions on personal data is kept {months} months.',
    'notice.rights': 'Your rights and how to exercise them',
    'notice.access': 'Access and portability: “Download my data” on your personal page (a JSON file).',
    'notice.rectification': 'Rectification: the profile form on your personal page until the evening starts, then by writing to the network.',
    'notice.erasure': 'Erasure: “Erase my data” on your personal page, or on request to the network. Your meetings are still counted, without your name.',
    'notice.objection': 'Objection to research: your choice on your personal page, which you can change at any time.',
    'notice.complaint': 'You may also lodge a complaint with the CNIL (www.cnil.fr).',
    'notice.updated': 'Notice written from the network’s settings.',
    'a11y.title': 'Accessibility statement',
    'a11y.intro': 'The networks using the “Association–company meetings” service are committed to making their pages accessible under article 47 of French law no. 2005-102 of 11 February 2005. This statement applies to this service.',
    'a11y.state': 'Compliance status',
    'a11y.full': 'This service is fully compliant with the French accessibility framework ({reference}).',
    'a11y.partial': 'This service is partially compliant with the French accessibility framework ({reference}) because of the non-compliances listed below.',
    'a11y.none': 'This service is not compliant with the French accessibility framework ({reference}).',
    'a11y.results': 'Test results',
    'a11y.rate': 'The audit ({auditor}, {date}) shows that {rate} % of applicable criteria are met: {c} compliant, {nc} non-compliant, {na} not applicable.',
    'a11y.nonCompliant': 'Non-accessible content',
    'a11y.derogations': 'Exemptions for disproportionate burden',
    'a11y.noDerogation': 'None.',
    'a11y.establishment': 'How this statement was made',
    'a11y.tech': 'Technologies used',
    'a11y.tools': 'Test tools and environment',
    'a11y.pages': 'Pages checked',
    'a11y.criteria': 'Criteria assessed',
    'a11y.criterion': 'Criterion',
    'a11y.status': 'Status',
    'a11y.C': 'compliant',
    'a11y.NC': 'non-compliant',
    'a11y.NA': 'not applicable',
    'a11y.feedback': 'Feedback and contact',
    'a11y.feedbackText': 'If you cannot access some content or service, write to the organisers of your evening (their address is in the personal data notice) to be directed to an accessible alternative or get the content in another form.',
    'a11y.remedies': 'Remedies',
    'a11y.remediesText': 'If you reported an accessibility issue that prevents you from accessing content and did not get a satisfactory answer, you can: write to the Défenseur des droits (form on www.defenseurdesdroits.fr); contact the Défenseur des droits delegate in your region; send a letter (free, no stamp needed) to: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07, France.',
    'consent.title': 'Before you start',
    'consent.reveal': 'After each meeting you will say whether you want a follow-up. Your name and address are shown to the other person only if you both want it; otherwise they only see your organisation’s name.',
    'consent.question': 'Do you agree that your meetings, without your name or address, may be used for research on association–company partnerships?',
    'consent.yes': 'Yes, I agree',
    'consent.no': 'No, I refuse',
    'consent.save': 'Save my choice',
    'consent.saved': 'Your choice is saved. You can change it at any time at the bottom of this page.',
    'consent.notice': 'Read the personal data notice',
    'mine.title': 'My data',
    'mine.accepted': 'You agreed to research use of your meetings ({date}).',
    'mine.refused': 'You refused research use of your meetings ({date}).',
    'mine.change': 'Change my choice',
    'mine.download': 'Download my data (JSON)',
    'mine.erase': 'Erase my data',
    'mine.eraseHelp': 'Your name, address, notes and comments will be erased and this link will stop working. Your meetings will still be counted, without your name. This cannot be undone.',
    'mine.eraseConfirm': 'I understand, erase my data',
    'mine.erased': 'Your data were erased',
    'mine.erasedText': 'Your name, address, notes and comments were erased. This link no longer works.',
    'purge.soon': 'Data retention: the names, addresses, notes and comments of the participants of “{title}” will be erased on {date}.',
    'purge.due': 'Data retention: the names, addresses, notes and comments of the participants of “{title}” are erased tonight.',
  },
} as const satisfies Record<Lang, Record<string, string>>

type Key = keyof (typeof words)['fr']

function say(lang: Lang, key: Key, values: Record<string, string | number> = {}): string {
  return (words[lang][key] as string).replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? `{${k}}`))
}

/**
 * On the participant's page: at first visit, how contacts are revealed and the
 * research-use question; afterwards, "my data" (the choice, download, erase).
 */
export async function PrivacyPanel({ db, view, registrationId, secret, place }: { db: Kysely<Database>; view: View; registrationId: string; secret: string; place: 'top' | 'bottom' }) {
  const lang = view.lang
  const consent = await researchConsentOf(db, registrationId)
  // the first-visit notice at the top of the page; once answered, "my data" at the bottom
  if ((place === 'top') !== (consent.research === null)) return null
  const base = `/p/${secret}`
  const choice = (
    <form method="post" action={`${base}/consentement`}>
      <fieldset>
        <legend>{say(lang, 'consent.question')}</legend>
        <label>
          <input type="radio" name="research" value="yes" checked={consent.research === true} required /> {say(lang, 'consent.yes')}
        </label>
        <label>
          <input type="radio" name="research" value="no" checked={consent.research === false} /> {say(lang, 'consent.no')}
        </label>
      </fieldset>
      <p>
        <button type="submit">{say(lang, 'consent.save')}</button>
      </p>
    </form>
  )
  if (consent.research === null) {
    return (
      <section id="consentement" class="sheet" aria-labelledby="consent-title">
        <h2 id="consent-title">{say(lang, 'consent.title')}</h2>
        <p>{say(lang, 'consent.reveal')}</p>
        {choice}
        <p>
          <a href={`${base}/confidentialite`}>{say(lang, 'consent.notice')}</a>
        </p>
      </section>
    )
  }
  const date = consent.at ? formatDate(lang, consent.at) : ''
  return (
    <section id="mes-donnees" aria-labelledby="mine-title">
      <h2 id="mine-title">{say(lang, 'mine.title')}</h2>
      {/[?&]saved=consent\b/.test(view.url) && <Notice kind="ok">{say(lang, 'consent.saved')}</Notice>}
      <p>{say(lang, consent.research ? 'mine.accepted' : 'mine.refused', { date })}</p>
      <details>
        <summary>{say(lang, 'mine.change')}</summary>
        {choice}
      </details>
      <p>
        <a href={`${base}/mes-donnees`} download="mes-donnees.json">
          {say(lang, 'mine.download')}
        </a>
      </p>
      <details>
        <summary>{say(lang, 'mine.erase')}</summary>
        <p>{say(lang, 'mine.eraseHelp')}</p>
        <form method="post" action={`${base}/effacer`}>
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="danger">
            {say(lang, 'mine.eraseConfirm')}
          </button>
        </form>
      </details>
    </section>
  )
}

/** On each printed card: where the network's privacy notice and the accessibility statement are. */
export function CardPrivacyLine({ lang, origin, networkId }: { lang: Lang; origin: string; networkId: string }) {
  const notice = `${origin}/confidentialite?reseau=${encodeURIComponent(networkId)}`
  return (
    <p class="muted small" data-card-privacy>
      {lang === 'fr' ? `Vos données personnelles\u00a0: ${notice} · Accessibilité\u00a0: ${origin}/accessibilite` : `Your personal data: ${notice} · Accessibility: ${origin}/accessibilite`}
    </p>
  )
}

/** On the organisers' events page: the events whose participants' data go within a month. */
export async function RetentionNotice({ db, auth, view, now }: { db: Kysely<Database>; auth: StaffAuth; view: View; now: Date }) {
  if (auth.role !== 'admin' && auth.role !== 'organiser') return null
  const soon = (await purgePlan(db, now, auth.networkId)).filter((p) => p.state === 'soon' || p.state === 'due')
  if (soon.length === 0) return null
  return (
    <Notice kind="warn">
      {soon.map((p) => (
        <p style="margin:0" data-purge={p.eventId}>
          {say(view.lang, p.state === 'due' ? 'purge.due' : 'purge.soon', { title: p.title, date: formatDate(view.lang, p.purgeOn) })}
        </p>
      ))}
    </Notice>
  )
}

// ---- pages ----------------------------------------------------------------------

export function privacyPages(deps: WebDeps) {
  const { db, api } = deps

  const withSecret = (c: Context, page: Parameters<typeof withParticipant>[2]) => withParticipant(c, db, page)

  async function networkOfEvent(eventId: string): Promise<string> {
    const row = await db.selectFrom('events').select('network_id').where('id', '=', eventId).executeTakeFirstOrThrow()
    return row.network_id
  }

  async function noticePage(c: Context, view: View, settings: PrivacySettings) {
    const labs = (await listGrants(db, { networkId: settings.networkId })).filter((g) => g.withdrawnAt === null).map((g) => g.labName)
    return c.html(<NoticePage view={view} settings={settings} labs={labs} />)
  }

  return new Hono()
    .get('/confidentialite', async (c) => {
      const view = viewOf(c)
      const networkId = c.req.query('reseau')
      const settings = networkId ? await privacySettings(db, networkId) : null
      if (!settings) {
        return c.html(
          <Layout view={view} title={say(view.lang, 'privacy')} area="public">
            <h1>{say(view.lang, 'privacy')}</h1>
            <p>{say(view.lang, 'notice.generic')}</p>
          </Layout>,
          networkId ? 404 : 200,
        )
      }
      return noticePage(c, view, settings)
    })
    .get('/p/:secret/confidentialite', (c) =>
      withSecret(c, async (view, me) => {
        const settings = await privacySettings(db, await networkOfEvent(me.eventId))
        return noticePage(c, view, settings!)
      }),
    )
    .get('/p/:secret/mes-donnees', (c) =>
      withSecret(c, async (view, _me, secret) => {
        const result = await callApi<{ data: unknown }>(api, secret, '/api/me/data', { lang: view.lang })
        if (!result.ok) return c.html(<Layout view={view} title={say(view.lang, 'mine.title')} area="participant"><Notice kind="bad">{result.message}</Notice></Layout>, 500)
        return c.body(JSON.stringify(result.data.data, null, 2), 200, {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': 'attachment; filename="mes-donnees.json"',
        })
      }),
    )
    .post('/p/:secret/consentement', (c) =>
      withSecret(c, async (view, _me, secret) => {
        const answer = field(await readForm(c), 'research')
        if (answer !== 'yes' && answer !== 'no') return c.redirect(`/p/${secret}#consentement`, 303)
        const result = await callApi(api, secret, '/api/me/consent', { method: 'PUT', body: { research: answer === 'yes' }, lang: view.lang })
        if (!result.ok) return c.html(<Layout view={view} title={say(view.lang, 'mine.title')} area="participant"><Notice kind="bad">{result.message}</Notice></Layout>, 422)
        return c.redirect(withQuery(`/p/${secret}`, { saved: 'consent' }) + '#mes-donnees', 303)
      }),
    )
    .post('/p/:secret/effacer', (c) =>
      withSecret(c, async (view, _me, secret) => {
        if (field(await readForm(c), 'confirm') !== 'yes') return c.redirect(`/p/${secret}#mes-donnees`, 303)
        const result = await callApi(api, secret, '/api/me', { method: 'DELETE', lang: view.lang })
        const lang = view.lang
        if (!result.ok) return c.html(<Layout view={view} title={say(lang, 'mine.title')} area="participant"><Notice kind="bad">{result.message}</Notice></Layout>, 500)
        // the page no longer carries the dead link: the footer points to the generic notice
        const after: View = { ...view, url: '/' }
        return c.html(
          <Layout view={after} title={say(lang, 'mine.erased')} area="public">
            <h1>{say(lang, 'mine.erased')}</h1>
            <Notice kind="ok">{say(lang, 'mine.erasedText')}</Notice>
          </Layout>,
        )
      }),
    )
    .get('/accessibilite', (c) => c.html(<AccessibilityPage view={viewOf(c)} />))
}

const NoticePage = ({ view, settings, labs }: { view: View; settings: PrivacySettings; labs: string[] }) => {
  const lang = view.lang
  const network = settings.name
  return (
    <Layout view={view} title={say(lang, 'privacy')} area="public">
      <h1>{say(lang, 'notice.title', { network })}</h1>
      <h2>{say(lang, 'notice.controller')}</h2>
      <p>{say(lang, 'notice.controllerText', { network })}</p>
      {settings.dpoName && <p>{say(lang, 'notice.dpo', { name: settings.dpoName })}</p>}
      <p>
        {settings.contactEmail ? (
          <>
            {say(lang, 'notice.contact', { email: '' })}
            <a href={`mailto:${settings.contactEmail}`}>{settings.contactEmail}</a>
          </>
        ) : (
          say(lang, 'notice.noContact')
        )}
      </p>
      <h2>{say(lang, 'notice.data')}</h2>
      <p>{say(lang, 'notice.dataText')}</p>
      <h2>{say(lang, 'notice.purposes')}</h2>
      <ul>
        <li>{say(lang, 'notice.p1')}</li>
        <li>{say(lang, 'notice.p2')}</li>
        <li>{say(lang, 'notice.p3')}</li>
        <li>{say(lang, 'notice.p4')}</li>
      </ul>
      <h2>{say(lang, 'notice.reveal')}</h2>
      <p>{say(lang, 'notice.revealText')}</p>
      <h2>{say(lang, 'notice.recipients')}</h2>
      <ul>
        <li>{say(lang, 'notice.r1', { network })}</li>
        <li>{say(lang, 'notice.r2')}</li>
        <li>{say(lang, 'notice.r3', { labs: labs.length > 0 ? labs.join(', ') : say(lang, 'notice.r3none') })}</li>
        <li>{say(lang, 'notice.r4')}</li>
      </ul>
      <h2>{say(lang, 'notice.retention')}</h2>
      <p>{say(lang, 'notice.retentionText', { months: settings.retentionMonths })}</p>
      <h2>{say(lang, 'notice.rights')}</h2>
      <ul>
        <li>{say(lang, 'notice.access')}</li>
        <li>{say(lang, 'notice.rectification')}</li>
        <li>{say(lang, 'notice.erasure')}</li>
        <li>{say(lang, 'notice.objection')}</li>
      </ul>
      <p>{say(lang, 'notice.complaint')}</p>
      <p class="muted">{say(lang, 'notice.updated')}</p>
    </Layout>
  )
}

const AccessibilityPage = ({ view }: { view: View }) => {
  const lang = view.lang
  const audit = rgaaAudit
  const s = rgaaSummary(audit)
  const statusWord = (st: Status) => say(lang, `a11y.${st}`)
  const rate = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(s.rate)
  return (
    <Layout view={view} title={say(lang, 'a11y.title')} area="public">
      <h1>{say(lang, 'a11y.title')}</h1>
      <p>{say(lang, 'a11y.intro')}</p>
      <h2>{say(lang, 'a11y.state')}</h2>
      <p>{say(lang, s.level === 'full' ? 'a11y.full' : s.level === 'partial' ? 'a11y.partial' : 'a11y.none', { reference: audit.reference })}</p>
      <h2>{say(lang, 'a11y.results')}</h2>
      <p>{say(lang, 'a11y.rate', { auditor: audit.auditor[lang], date: formatDate(lang, audit.auditDate), rate, c: s.c, nc: s.nc, na: s.na })}</p>
      <p class="muted">{audit.scope[lang]}</p>
      <h2>{say(lang, 'a11y.nonCompliant')}</h2>
      <ul>
        {audit.criteria
          .filter((c) => c.status === 'NC')
          .map((c) => (
            <li>
              {`${c.id} ${c[lang]}`}
              {c.note && ` — ${c.note[lang]}`}
            </li>
          ))}
      </ul>
      <h2>{say(lang, 'a11y.derogations')}</h2>
      {audit.derogations.length === 0 ? <p>{say(lang, 'a11y.noDerogation')}</p> : <ul>{audit.derogations.map((d) => <li>{d[lang]}</li>)}</ul>}
      <h2>{say(lang, 'a11y.establishment')}</h2>
      <h3>{say(lang, 'a11y.tech')}</h3>
      <ul>{audit.technologies.map((t) => <li>{t}</li>)}</ul>
      <h3>{say(lang, 'a11y.tools')}</h3>
      <ul>{audit.tools.map((t) => <li>{t}</li>)}</ul>
      <h3>{say(lang, 'a11y.pages')}</h3>
      <ul>{audit.pages.map((p) => <li><code>{p}</code></li>)}</ul>
      <h2>{say(lang, 'a11y.feedback')}</h2>
      <p>{say(lang, 'a11y.feedbackText')}</p>
      <h2>{say(lang, 'a11y.remedies')}</h2>
      <p>{say(lang, 'a11y.remediesText')}</p>
      <h2 id="criteres">{say(lang, 'a11y.criteria')}</h2>
      <table>
        <caption class="visually-hidden">{say(lang, 'a11y.criteria')}</caption>
        <thead>
          <tr>
            <th scope="col">{say(lang, 'a11y.criterion')}</th>
            <th scope="col">{say(lang, 'a11y.status')}</th>
          </tr>
        </thead>
        <tbody>
          {audit.criteria.map((c) => (
            <tr>
              <td>{`${c.id} (${c.theme}) ${c[lang]}`}</td>
              <td>{statusWord(c.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}
