import { describe, expect, test } from 'vitest'
import { decodeCsv, detectDelimiter, parseParticipantsCsv } from '../../src/domain/csv-import.ts'
import { resolveTerm } from '../../src/domain/vocabularies.ts'

const bytes = (text: string) => new TextEncoder().encode(text)
const latin1 = (text: string) => Uint8Array.from([...text].map((c) => c.charCodeAt(0)))

describe('decodeCsv', () => {
  test('UTF-8 with and without BOM', () => {
    expect(decodeCsv(bytes('\uFEFFnom\nCafé'))).toEqual({ text: 'nom\nCafé', encoding: 'utf-8' })
    expect(decodeCsv(bytes('nom\nCafé'))).toEqual({ text: 'nom\nCafé', encoding: 'utf-8' })
  })
  test('Windows-1252, including the euro sign and œ that Latin-1 lacks', () => {
    const raw = Uint8Array.from([0x43, 0x9c, 0x75, 0x72, 0x20, 0x80, 0x20, 0xe9])
    expect(decodeCsv(raw)).toEqual({ text: 'Cœur € é', encoding: 'windows-1252' })
    expect(decodeCsv(latin1('Sélestat')).text).toBe('Sélestat')
  })
})

describe('detectDelimiter', () => {
  test.for([
    ['type;nom;participant\n', ';'],
    ['type,nom,participant\n', ','],
    ['"a;b",c,d\n', ','],
    ['type;nom\na,b,c,d,e,f\n', ';'],
  ] as const)('%j -> %s', ([text, delimiter]) => {
    expect(detectDelimiter(text)).toBe(delimiter)
  })
})

describe('resolveTerm', () => {
  test('codes, French and English labels, any case or accent', () => {
    expect(resolveTerm('themes', 'handicap')).toBe('handicap')
    expect(resolveTerm('themes', 'Lutte contre la précarité')).toBe('precarite')
    expect(resolveTerm('themes', 'LUTTE CONTRE LA PRECARITE')).toBe('precarite')
    expect(resolveTerm('themes', 'Fighting poverty')).toBe('precarite')
    expect(resolveTerm('sizes', 'micro')).toBe('micro')
    expect(resolveTerm('themes', 'astrologie')).toBeNull()
  })
})

describe('parseParticipantsCsv', () => {
  const event = { rounds: 6 }
  test('a full row with every column, French decimals and labels holding commas', () => {
    const text = [
      'type;nom;siren/rna;secteur;taille;ville;code postal;latitude;longitude;thèmes;offres;besoins;description;contact;email;participant;arrivée;départ;rencontres min;rencontres max',
      'entreprise;Imprimerie Graff;412 345 678;industrie;Moins de 10 salariés;Saverne;7700;48,74;7,36;Emploi, insertion et formation, handicap;dons-materiel|locaux;visibilite;Imprimerie;Anne Graff;anne@graff.example.com;Anne Graff;2;5;1;4',
    ].join('\n')
    const parsed = parseParticipantsCsv(latin1(text), event)
    expect(parsed.issues).toEqual([])
    expect(parsed.preview[0]).toEqual({
      row: 2,
      organisation: {
        kind: 'company', name: 'Imprimerie Graff', siren: '412345678', rna: null, sector: 'industrie', size: 'micro', town: 'Saverne',
        postcode: '07700', latitude: 48.74, longitude: 7.36, themes: ['emploi-insertion-formation', 'handicap'], territories: [],
        offers: ['dons-materiel', 'locaux'], needs: ['visibilite'], description: 'Imprimerie', contactName: 'Anne Graff',
        contactEmail: 'anne@graff.example.com', groupName: null,
      },
      registration: { personName: 'Anne Graff', personEmail: 'anne@graff.example.com', arriveRound: 2, leaveRound: 5, minMeetings: 1, maxMeetings: 4 },
    })
  })

  test('a SIRET gives its SIREN; an RNA is recognised', () => {
    const parsed = parseParticipantsCsv(bytes('type,nom,siren,participant\nentreprise,A,41234567800012,X\nassociation,B,w672000001,Y\n'), event)
    expect(parsed.preview.map((p) => [p.organisation.siren, p.organisation.rna])).toEqual([
      ['412345678', null],
      [null, 'W672000001'],
    ])
  })

  test('unknown columns are ignored and listed', () => {
    const parsed = parseParticipantsCsv(bytes('Horodateur,type,nom,participant\n2026-11-01,association,A,X\n'), event)
    expect(parsed.ignoredColumns).toEqual(['Horodateur'])
    expect(parsed.preview).toHaveLength(1)
  })

  test('an unterminated quote is reported, not thrown as a 500', () => {
    expect(() => parseParticipantsCsv(bytes('type,nom,participant\nassociation,"A,X\n'), event)).toThrow(/CSV/)
  })
})

describe('parseParticipantsCsv on a large file', () => {
  const event = { rounds: 6 }
  // cells with line breaks, commas and escaped quotes, over several of the pieces the file is tokenised in
  const rows = 6000
  const description = (i: number) => `Ligne un\nligne "deux", n° ${i}`
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`
  const lines = ['type,nom,description,participant']
  for (let i = 0; i < rows; i++) lines.push(`association,Asso ${i},${quoted(description(i))},Personne ${i}`)
  const text = `${lines.join('\r\n')}\r\n`

  test('every record is read whole, with the row numbers of the sheet', () => {
    expect(text.length).toBeGreaterThan(256 * 1024)
    const parsed = parseParticipantsCsv(bytes(text), event)
    expect(parsed.issues).toEqual([])
    expect(parsed.preview).toHaveLength(rows)
    parsed.preview.forEach((p, i) => {
      expect(p.row).toBe(i + 2)
      expect(p.organisation.description).toBe(description(i))
      expect(p.registration.personName).toBe(`Personne ${i}`)
    })
  })

  test('a bad last row and an unterminated quote far into the file are found', () => {
    const bad = parseParticipantsCsv(bytes(`${text}ong,X,,Y\r\n`), event)
    expect(bad.issues).toEqual([expect.objectContaining({ row: rows + 2, column: 'type' })])
    expect(() => parseParticipantsCsv(bytes(`${text}association,"X,,Y\r\n`), event)).toThrow(/CSV/)
  })
})

describe('parseParticipantsCsv on hostile files', () => {
  test('a line of thousands of cells is refused with its line number, before it is parsed', () => {
    const text = `type,nom,participant\nassociation,A,X\n${','.repeat(600_000)}\n`
    // refused while scanning, before csv-parse goes through 600,000 cells
    expect(() => parseParticipantsCsv(bytes(text), { rounds: 6 })).toThrow(expect.objectContaining({
      code: 'csv_invalid', issues: [expect.objectContaining({ row: 3, message: expect.objectContaining({ fr: expect.stringContaining('1000'), en: expect.stringContaining('1000') }) })],
    }))
  })
})
