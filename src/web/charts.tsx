/**
 * Bar charts as inline SVG (no chart library): one horizontal bar per row,
 * with an optional 95 % interval drawn as a whisker. Each chart carries a
 * title for screen readers and its figures in a table under a disclosure.
 */
import type { FC } from 'hono/jsx'
import { DataTable } from './components.tsx'

export interface Bar {
  label: string
  /** length of the bar, in the chart's unit */
  value: number
  low?: number | undefined
  high?: number | undefined
  /** the figure written at the end of the bar */
  text: string
}

const WIDTH = 720
const LABEL = 250
const TEXT = 170
const ROW = 30

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

export const BarChart: FC<{ id: string; title: string; bars: Bar[]; max?: number; columns: [string, string] }> = ({ id, title, bars, max, columns }) => {
  const top = Math.max(max ?? 0, ...bars.map((b) => Math.max(b.value, b.high ?? 0)), 1e-9)
  const plot = WIDTH - LABEL - TEXT
  const height = bars.length * ROW + 10
  const x = (v: number) => LABEL + (plot * Math.max(0, v)) / top
  return (
    <figure class="chart" data-chart={id}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title`} xmlns="http://www.w3.org/2000/svg">
        <line x1={LABEL} y1="0" x2={LABEL} y2={height} stroke="#4a4a55" stroke-width="1" />
        {bars.map((b, i) => {
          const y = 5 + i * ROW
          return (
            <g>
              <title>{`${b.label} : ${b.text}`}</title>
              <text x={LABEL - 8} y={y + 19} text-anchor="end" font-size="14" fill="#1b1b1f">
                {truncate(b.label, 32)}
              </text>
              <rect x={LABEL} y={y + 4} width={Math.max(x(b.value) - LABEL, b.value > 0 ? 2 : 0)} height={ROW - 10} fill="#0a4f96" rx="3" />
              {b.low !== undefined && b.high !== undefined && (
                <g stroke="#1b1b1f" stroke-width="2">
                  <line x1={x(b.low)} y1={y + 14} x2={x(b.high)} y2={y + 14} />
                  <line x1={x(b.low)} y1={y + 8} x2={x(b.low)} y2={y + 20} />
                  <line x1={x(b.high)} y1={y + 8} x2={x(b.high)} y2={y + 20} />
                </g>
              )}
              <text x={WIDTH - TEXT + 8} y={y + 19} font-size="14" fill="#1b1b1f">
                {b.text}
              </text>
            </g>
          )
        })}
      </svg>
      <details>
        <summary>{columns[0]} / {columns[1]}</summary>
        <DataTable wrap={false} columns={[columns[0], columns[1]]}>
          {bars.map((b) => (
            <tr>
              <td>{b.label}</td>
              <td>{b.text}</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  )
}
