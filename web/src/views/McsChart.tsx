import type { HistoryRecord } from '../api/history.ts'

export interface McsPoint {
  /** 1-based number of the visitor line. */
  line: number
  time: number
  raw: number
  mcs: number
}

/** The running MCS after each visitor line (lineScores are matched to lines by `lineSeq`). */
export function mcsPoints(record: HistoryRecord): McsPoint[] {
  const scores = new Map(record.lineScores.map((score) => [String(score.lineSeq), score]))
  const points: McsPoint[] = []
  record.transcript.lines.forEach((line, index) => {
    if (line.source !== 'visitor') return
    const score = scores.get(String(line.lineSeq ?? '')) ?? record.lineScores[index]
    points.push({ line: points.length + 1, time: line.timeL, raw: score?.lineRawScore ?? 0, mcs: score?.mcs ?? 0 })
  })
  return points
}

const WIDTH = 360
const HEIGHT = 140
const LEFT = 34
const RIGHT = 8
const TOP = 8
const BOTTOM = 22

/**
 * The per-line MCS as an SVG chart (−100…100, a point per visitor line) with a text alternative:
 * the image's name summarises it and a table under it lists every value. No script, no style attribute.
 */
export function McsChart({ record }: { record: HistoryRecord }) {
  const points = mcsPoints(record)
  if (points.length === 0) return <p class="muted">No visitor line, so no MCS.</p>
  const plotWidth = WIDTH - LEFT - RIGHT
  const plotHeight = HEIGHT - TOP - BOTTOM
  const x = (index: number) => LEFT + (points.length === 1 ? plotWidth / 2 : (index / (points.length - 1)) * plotWidth)
  const y = (value: number) => TOP + ((100 - value) / 200) * plotHeight
  const values = points.map((point) => point.mcs)
  const summary =
    `MCS per visitor line, ${points.length} line${points.length === 1 ? '' : 's'}: ` +
    `from ${values[0]} to ${values[values.length - 1]}, lowest ${Math.min(...values)}, highest ${Math.max(...values)}.`
  return (
    <figure class="mcs-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        {[100, 33, 0, -33, -100].map((tick) => (
          <g key={tick}>
            <line
              x1={LEFT}
              x2={WIDTH - RIGHT}
              y1={y(tick)}
              y2={y(tick)}
              class={tick === 0 ? 'chart-zero' : 'chart-grid'}
            />
            <text x={LEFT - 4} y={y(tick) + 4} class="chart-label" text-anchor="end">
              {tick}
            </text>
          </g>
        ))}
        <polyline class="chart-line" points={points.map((point, index) => `${x(index)},${y(point.mcs)}`).join(' ')} />
        {points.map((point, index) => (
          <circle
            key={point.line}
            cx={x(index)}
            cy={y(point.mcs)}
            r="3.5"
            class={point.mcs > 33 ? 'chart-dot positive' : point.mcs < -33 ? 'chart-dot negative' : 'chart-dot'}
          />
        ))}
        <text x={LEFT} y={HEIGHT - 4} class="chart-label">
          line 1
        </text>
        <text x={WIDTH - RIGHT} y={HEIGHT - 4} class="chart-label" text-anchor="end">
          line {points.length}
        </text>
      </svg>
      <figcaption>
        <details>
          <summary>MCS values per visitor line</summary>
          <table class="table compact">
            <caption class="visually-hidden">MCS per visitor line</caption>
            <thead>
              <tr>
                <th scope="col">Visitor line</th>
                <th scope="col">Time</th>
                <th scope="col">Line score</th>
                <th scope="col">MCS</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={point.line}>
                  <td>{point.line}</td>
                  <td>{new Date(point.time).toLocaleTimeString()}</td>
                  <td class="num">{point.raw}</td>
                  <td class="num">{point.mcs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  )
}
