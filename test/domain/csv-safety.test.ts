import { describe, expect, test as plain } from 'vitest'
import { csvCell, csvRow, neutraliseText } from '../../src/domain/csv-safety.ts'
import { apiTest } from '../helpers/api.ts'
import { addParticipant, createEvent } from '../helpers/builders.ts'
import { dialects } from '../helpers/db.ts'

describe('CSV cells a spreadsheet cannot run', () => {
  plain.for([
    ['=HYPERLINK("http://evil.example","clic")', `'=HYPERLINK("http://evil.example","clic")`],
    ['+33 6 12 34 56 78', "'+33 6 12 34 56 78"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['Entraide Neudorf', 'Entraide Neudorf'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j -> %j', ([input, output]) => {
    expect(neutraliseText(input!)).toBe(output)
  })

  plain('numbers stay numbers, negative ones included; text that looks like a number does not', () => {
    expect(csvCell(-3.5, { delimiter: ';', decimalComma: true })).toBe('-3,5')
    expect(csvCell(-3.5, { delimiter: ',' })).toBe('-3.5')
    expect(csvCell('-3.5', { delimiter: ',' })).toBe("'-3.5")
    expect(csvCell(true, { delimiter: ',' })).toBe('1')
    expect(csvCell(null, { delimiter: ',' })).toBe('')
  })

  plain('quoting after neutralising: the quote goes inside the quoted cell', () => {
    expect(csvRow(['=1;2', 'a"b', 'x\ny'], { delimiter: ';' })).toBe(`"'=1;2";"a""b";"x\ny"`)
    expect(csvRow(['a;b'], { delimiter: ',' })).toBe('a;b')
  })
})

describe.each(dialects)('schedule.csv on %s', (dialect) => {
  const test = apiTest(dialect)

  test('names that start like a formula are written as text', async ({ api }) => {
    const eventId = await createEvent(api, api.org, { title: 'Soirée', date: '2026-12-03', rounds: 1, tables: 1 })
    await addParticipant(api, eventId, 'association', '=HYPERLINK("http://evil.example")', { personName: '@Odile' })
    await addParticipant(api, eventId, 'company', '+Graff', { personName: '-Anne' })
    const solved = await api.call('POST', `/api/events/${eventId}/schedule?publish=1`, { token: api.org })
    expect(solved.status, solved.text).toBe(201)
    const csv = await api.call('GET', `/api/events/${eventId}/schedule.csv`, { token: api.org })
    const row = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n')[1]!
    expect(row).toMatch(/^1;18:00|^1;;/)
    expect(row).toContain(`'=HYPERLINK(""http://evil.example"")`)
    expect(row).toContain(";'@Odile;'+Graff;'-Anne;")
    for (const cell of row.split(';')) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })
})
