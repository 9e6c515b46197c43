/**
 * Writes the example instances of data/instances/ (deterministic; run `npx tsx bench/make-examples.ts`).
 * Profiles use the codes of data/vocabularies so that scoring and its reasons are exercised.
 */
import { writeFileSync } from 'node:fs'
import { createRng } from '../solver/rounds/rng.ts'
import type { Instance, Participant, Profile } from '../solver/types.ts'

const themes = ['handicap', 'insertion-jeunes', 'emploi-jeunes', 'precarite', 'numerique-rural', 'vieillissement', 'education-orientation', 'emploi-insertion-formation', 'environnement', 'sante', 'culture-sport']
const territories = ['qpv', 'rural-fragile', 'periurbain', 'urbain']
const companyOffers = ['competences-communication', 'competences-numerique', 'competences-juridique', 'competences-gestion', 'competences-rh', 'temps-salaries', 'dons-materiel', 'dons-informatique', 'locaux', 'transport-logistique', 'stages-emplois', 'achats-solidaires', 'financement-projet']
const associationOffers = ['visibilite', 'missions-benevolat', 'expertise-public', 'recrutement-inclusif', 'sensibilisation', 'prestations-solidaires', 'ancrage-local', 'innovation-sociale']
const sectors = ['industrie', 'btp', 'commerce', 'transport', 'numerique', 'banque-assurance', 'conseil', 'energie-environnement', 'sante-social']
const sizes = ['micro', 'petite', 'moyenne', 'grande']
const associationNames = ['Les Jardins de Cronenbourg', 'Insertion Plus', 'Numérique pour Tous', 'Sport et Quartiers', 'Aide aux Aînés', 'Horizon Jeunes', 'Tremplin Emploi', 'Culture en Partage', 'Handi-Cap Avenir', 'Repair Café', 'Les Petits Débrouillards', 'Solidarité Logement', 'Alpha Langues', 'Épicerie Solidaire', 'Vélo-École']
const companyNames = ['Brasserie du Rhin', 'Alsace Numérique', 'Banque Populaire Locale', 'Transports Kléber', 'Cabinet Vauban', 'Énergies de l\'Ill', 'BTP Meinau', 'Clinique des Vosges', 'Imprimerie Gutenberg', 'Supermarché Esplanade', 'Logistique Port du Rhin', 'Conseil & Co']

function pick<T>(rng: ReturnType<typeof createRng>, list: readonly T[], n: number): T[] {
  const copy = [...list]
  const out: T[] = []
  while (out.length < n && copy.length > 0) out.push(copy.splice(rng.int(copy.length), 1)[0]!)
  return out
}

function lat(rng: ReturnType<typeof createRng>): { latitude: number; longitude: number } {
  return { latitude: Math.round((48.5 + rng.next() * 0.2) * 1e4) / 1e4, longitude: Math.round((7.65 + rng.next() * 0.2) * 1e4) / 1e4 }
}

function association(rng: ReturnType<typeof createRng>, i: number): Participant {
  const profile: Profile = {
    name: associationNames[i % associationNames.length]! + (i >= associationNames.length ? ` ${Math.floor(i / associationNames.length) + 1}` : ''),
    themes: pick(rng, themes, 2),
    territories: pick(rng, territories, 1),
    offers: pick(rng, associationOffers, 2),
    needs: pick(rng, companyOffers, 2),
    size: pick(rng, ['micro', 'petite'], 1)[0]!,
    ...lat(rng),
  }
  return { id: `asso-${i + 1}`, profile }
}

function company(rng: ReturnType<typeof createRng>, i: number): Participant {
  const profile: Profile = {
    name: companyNames[i % companyNames.length]! + (i >= companyNames.length ? ` ${Math.floor(i / companyNames.length) + 1}` : ''),
    themes: pick(rng, themes, 2),
    territories: pick(rng, territories, 2),
    offers: pick(rng, companyOffers, 3),
    needs: pick(rng, associationOffers, 2),
    sector: pick(rng, sectors, 1)[0]!,
    size: pick(rng, sizes, 1)[0]!,
    ...lat(rng),
  }
  return { id: `ent-${i + 1}`, profile }
}

function write(name: string, instance: Instance): void {
  writeFileSync(new URL(`../data/instances/${name}`, import.meta.url), `${JSON.stringify(instance, null, 2)}\n`)
}

{
  const rng = createRng(10)
  write('alsace-10x10.json', {
    rounds: 10,
    tables: 10,
    seated: 'company',
    associations: Array.from({ length: 10 }, (_, i) => association(rng, i)),
    companies: Array.from({ length: 10 }, (_, i) => company(rng, i)),
    options: { seed: 1, locale: 'fr' },
  })
}
{
  const rng = createRng(12)
  write('12x10-8-rounds.json', {
    rounds: 8,
    tables: 10,
    associations: Array.from({ length: 12 }, (_, i) => association(rng, i)),
    companies: Array.from({ length: 10 }, (_, i) => company(rng, i)),
    options: { seed: 1 },
  })
}
{
  const rng = createRng(30)
  const associations = Array.from({ length: 30 }, (_, i) => association(rng, i))
  const companies = Array.from({ length: 30 }, (_, i) => company(rng, i))
  // late arrivals and early departures
  for (const p of [...associations, ...companies]) {
    const x = rng.next()
    if (x < 0.15) p.arrive = 2 + rng.int(3)
    else if (x < 0.3) p.leave = 6 + rng.int(3)
  }
  // wishes: must, like and avoid, on both sides
  for (const a of associations) {
    const wishes: Record<string, 'must' | 'like' | 'avoid'> = {}
    for (const c of pick(rng, companies, 3)) wishes[c.id] = rng.next() < 0.2 ? 'must' : rng.next() < 0.9 ? 'like' : 'avoid'
    a.profile = { ...a.profile, wishes }
  }
  for (const c of companies) {
    const wishes: Record<string, 'must' | 'like' | 'avoid'> = {}
    for (const a of pick(rng, associations, 2)) wishes[a.id] = rng.next() < 0.3 ? 'must' : 'like'
    c.profile = { ...c.profile, wishes }
  }
  write('30x30-windows.json', {
    rounds: 10,
    tables: 30,
    associations,
    companies,
    forbidden: [
      ['asso-1', 'ent-1'],
      ['asso-2', 'ent-5'],
      ['asso-7', 'ent-12'],
    ],
    required: [
      ['asso-3', 'ent-4'],
      ['asso-10', 'ent-20'],
    ],
    options: { seed: 1 },
  })
}
{
  const rng = createRng(4)
  write('infeasible-required-forbidden.json', {
    rounds: 4,
    tables: 4,
    associations: Array.from({ length: 4 }, (_, i) => association(rng, i)),
    companies: Array.from({ length: 4 }, (_, i) => company(rng, i)),
    forbidden: [['asso-1', 'ent-2']],
    required: [['asso-1', 'ent-2']],
  })
}
{
  const rng = createRng(5)
  write('infeasible-too-few-rounds.json', {
    rounds: 2,
    tables: 4,
    associations: Array.from({ length: 3 }, (_, i) => association(rng, i)),
    companies: Array.from({ length: 3 }, (_, i) => company(rng, i)),
    required: [
      ['asso-1', 'ent-1'],
      ['asso-1', 'ent-2'],
      ['asso-1', 'ent-3'],
    ],
  })
}
