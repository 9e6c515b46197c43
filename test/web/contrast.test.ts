/**
 * WCAG AA contrast of the colour pairs the stylesheets use for text (4.5:1 for
 * body text, 3:1 for large text and focus rings), read from the CSS itself so
 * that a palette change that breaks contrast fails here.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'

const css = readFileSync(new URL('../../src/web/static/style.css', import.meta.url), 'utf8')
const room = readFileSync(new URL('../../src/web/static/room.css', import.meta.url), 'utf8')

function variable(name: string): string {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(css)
  if (!m?.[1]) throw new Error(`--${name} not found in style.css`)
  return m[1]
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

describe('contrast of the page colours (WCAG AA)', () => {
  test('the formula gives the known extremes', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })

  const ink = variable('ink')
  const pairs: [string, string, string, number][] = [
    ['text on paper', ink, variable('paper'), 4.5],
    ['muted text on paper', variable('muted'), variable('paper'), 4.5],
    ['muted text on soft grey', variable('muted'), variable('soft'), 4.5],
    ['text on table headers', ink, variable('soft'), 4.5],
    ['links and outlined buttons', variable('brand'), '#ffffff', 4.5],
    ['button text on brand', variable('brand-ink'), variable('brand'), 4.5],
    ['success badge', variable('ok'), '#e7f4ea', 4.5],
    ['error badge', variable('bad'), '#fbeaea', 4.5],
    ['text on the success notice', ink, '#e7f4ea', 4.5],
    ['text on the warning notice', ink, '#fdf3e3', 4.5],
    ['current meeting highlight', ink, '#fff4cc', 4.5],
    ['focus ring against paper', variable('ink'), variable('paper'), 3],
    ['room: text on dark', '#f5f7fa', '#101418', 4.5],
    ['room: secondary text on dark', '#c8d0da', '#101418', 4.5],
    ['room: headings and low-time clock', '#ffbf47', '#101418', 4.5],
    ['room: overtime clock', '#ff8a80', '#101418', 4.5],
  ]
  test.for(pairs)('%s', ([, fg, bg, min]) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(min)
  })

  test('the room stylesheet uses the colours checked above', () => {
    for (const colour of ['#f5f7fa', '#101418', '#c8d0da', '#ffbf47', '#ff8a80']) expect(room).toContain(colour)
  })
})
