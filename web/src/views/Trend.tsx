/** MCS running values as a small line chart (inline SVG, no script, no style attribute). */
export function Trend({ values: scores }: { values: number[] }) {
  if (scores.length === 0) return null
  const values = scores.length === 1 ? [scores[0] ?? 0, scores[0] ?? 0] : scores
  const width = 200
  const height = 48
  const step = values.length > 1 ? width / (values.length - 1) : 0
  const points = values.map(
    (value, index) => `${(index * step).toFixed(1)},${(((100 - value) / 200) * height).toFixed(1)}`,
  )
  return (
    <svg class="trend" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`MCS trend: ${scores.join(', ')}`}>
      <line x1="0" y1={height / 2} x2={width} y2={height / 2} class="trend-zero" />
      <polyline points={points.join(' ')} class="trend-line" />
    </svg>
  )
}
