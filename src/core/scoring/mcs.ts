import Sentiment from 'sentiment'
import type { LineScore, TranscriptLine } from '../history/record.types.ts'

/** Recency decay of earlier visitor lines (engagement-history.md §7, Decision D3). */
const DECAY = 0.8
/** Negative lines weigh this much more than positive ones (D3). */
const NEGATIVE_WEIGHT = 2
/** Maps AFINN's comparative score (mean word score per token, roughly -5..5) onto -100..100. */
const COMPARATIVE_SCALE = 80
const ALERT_THRESHOLD = 33

// English AFINN-165 for every chat language: npm has no maintained, widely used French AFINN-style
// lexicon to register, so French lines are scored as English (docs/mcs.md, Languages).
const analyser = new Sentiment()

/** Rounds half away from zero (`2.5` → 3, `-2.5` → -3), as D3 asks; `Math.round` rounds -2.5 to -2. Never -0. */
export function roundHalfAwayFromZero(value: number): number {
  const rounded = Math.round(Math.abs(value))
  return value < 0 && rounded !== 0 ? -rounded : rounded
}

/**
 * Deterministic raw sentiment of one visitor line, an integer in -100..100: the `sentiment`
 * package's AFINN-165 comparative score times 80, rounded half away from zero and clamped.
 * `"I love your service"` (comparative 0.75) scores 60; text without scored words scores 0.
 */
export function lineRawScore(text: string): number {
  if (text === '') return 0
  const scaled = roundHalfAwayFromZero(analyser.analyze(text).comparative * COMPARATIVE_SCALE)
  return Math.max(-100, Math.min(100, scaled))
}

/** Folds visitor-line raw scores into the running MCS, one `add` per visitor line (D3). */
function mcsAccumulator(): (raw: number) => number {
  let weightedSum = 0
  let weightSum = 0
  return (raw) => {
    const weight = raw < 0 ? NEGATIVE_WEIGHT : 1
    // Multiplying both sums by 0.8 per new line applies 0.8^(k-i) to every earlier line.
    weightedSum = weightedSum * DECAY + weight * raw
    weightSum = weightSum * DECAY + weight
    return roundHalfAwayFromZero(weightedSum / weightSum)
  }
}

/**
 * Running MCS after each visitor line (D3): `mcs_k = round(Σ w_i·r_i / Σ w_i)` with
 * `w_i = 0.8^(k-i) · (2 if r_i < 0 else 1)`. Returns one value per raw score, same order.
 * `[50, -40]` → `[50, -14]`.
 */
export function runningMcs(rawScores: readonly number[]): number[] {
  const add = mcsAccumulator()
  return rawScores.map(add)
}

/** `-1` below -33, `1` above 33, else `0`; `null` when there is no chat MCS (D3). */
export function alertedMcsOf(chatMcs: number | null): number | null {
  if (chatMcs === null) return null
  if (chatMcs < -ALERT_THRESHOLD) return -1
  if (chatMcs > ALERT_THRESHOLD) return 1
  return 0
}

export interface TranscriptScores {
  /** One entry per line, same order; `mcs` is 0 before the first visitor line. */
  lineScores: LineScore[]
  /** MCS after the last visitor line; `null` without visitor lines. */
  chatMCS: number | null
  alertedMCS: number | null
}

/** The line fields scoring reads. */
export type ScoredLine = Pick<TranscriptLine, 'lineSeq' | 'source' | 'text'>

/**
 * Scores a transcript (engagement-history.md §5.3, §7): visitor lines get `score(text)` (0
 * without text, e.g. rich content), other lines 0; every line carries the running MCS.
 */
export function scoreTranscript(
  lines: readonly ScoredLine[],
  score: (text: string) => number = lineRawScore,
): TranscriptScores {
  const add = mcsAccumulator()
  const lineScores: LineScore[] = []
  let mcs = 0
  let chatMCS: number | null = null
  for (const line of lines) {
    let raw = 0
    if (line.source === 'visitor') {
      raw = line.text === undefined ? 0 : score(line.text)
      mcs = add(raw)
      chatMCS = mcs
    }
    lineScores.push({ lineSeq: line.lineSeq, lineRawScore: raw, mcs })
  }
  return { lineScores, chatMCS, alertedMCS: alertedMcsOf(chatMCS) }
}
