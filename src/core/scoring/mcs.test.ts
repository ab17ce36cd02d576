import { describe, expect, it } from 'vitest'
import {
  alertedMcsOf,
  lineRawScore,
  roundHalfAwayFromZero,
  runningMcs,
  scoreTranscript,
  type ScoredLine,
} from './mcs.ts'

const visitor = (lineSeq: string, text?: string): ScoredLine => ({ lineSeq, source: 'visitor', text })
const agent = (lineSeq: string, text: string): ScoredLine => ({ lineSeq, source: 'agent', text })
const system = (lineSeq: string, text: string): ScoredLine => ({ lineSeq, source: 'system', text })

describe('roundHalfAwayFromZero', () => {
  it.for<[number, number]>([
    [2.5, 3],
    [-2.5, -3],
    [2.4999, 2],
    [-14.2857, -14],
    [0.5, 1],
    [-0.5, -1],
    [-0.4, 0],
  ])('rounds %d to %d', ([value, expected]) => {
    expect(roundHalfAwayFromZero(value)).toBe(expected)
  })
})

describe('runningMcs', () => {
  it('reproduces the spec example: 50 then -40 give 50 then -14', () => {
    expect(runningMcs([50, -40])).toEqual([50, -14])
  })

  it('weighs recent lines more (0.8 decay) and negative lines twice', () => {
    // k=2: (0.8*10 + 2*(-20)) / 2.8 = -11.4; k=3: (0.64*10 + 0.8*2*(-20) + 30) / 3.24 = 1.36
    expect(runningMcs([10, -20, 30])).toEqual([10, -11, 1])
  })

  it('keeps a constant score constant', () => {
    expect(runningMcs([40, 40, 40, 40])).toEqual([40, 40, 40, 40])
  })

  it('is empty without visitor lines', () => {
    expect(runningMcs([])).toEqual([])
  })
})

describe('alertedMcsOf', () => {
  it.for<[number | null, number | null]>([
    [null, null],
    [-100, -1],
    [-34, -1],
    [-33, 0],
    [0, 0],
    [33, 0],
    [34, 1],
    [100, 1],
  ])('maps chatMCS %s to %s', ([chatMcs, expected]) => {
    expect(alertedMcsOf(chatMcs)).toBe(expected)
  })
})

describe('lineRawScore', () => {
  it('scores the spec example line "I love your service" 60', () => {
    expect(lineRawScore('I love your service')).toBe(60)
  })

  it('scores neutral and empty text 0', () => {
    expect(lineRawScore('')).toBe(0)
    expect(lineRawScore('my order number is 12345')).toBe(0)
  })

  it('scores negative text below zero and clamps to -100..100', () => {
    expect(lineRawScore('This is terrible, the worst service ever')).toBeLessThan(-33)
    expect(lineRawScore('awful')).toBe(-100)
    expect(lineRawScore('superb')).toBe(100)
  })

  it('is deterministic', () => {
    const text = 'Thanks, that was really helpful but the delivery was late'
    expect(lineRawScore(text)).toBe(lineRawScore(text))
  })
})

describe('scoreTranscript', () => {
  it('scores visitor lines only and carries the running MCS across other lines', () => {
    const scores = new Map([
      ['good', 50],
      ['bad', -40],
    ])
    const result = scoreTranscript(
      [
        system('1', 'Thank you for choosing to chat with us.'),
        agent('3', 'hello, I love helping'),
        visitor('4', 'good'),
        agent('5', 'anything else?'),
        visitor('6', 'bad'),
        system('7', 'Thank you for chatting with us.'),
      ],
      (text) => scores.get(text) ?? 0,
    )
    expect(result.lineScores).toEqual([
      { lineSeq: '1', lineRawScore: 0, mcs: 0 },
      { lineSeq: '3', lineRawScore: 0, mcs: 0 },
      { lineSeq: '4', lineRawScore: 50, mcs: 50 },
      { lineSeq: '5', lineRawScore: 0, mcs: 50 },
      { lineSeq: '6', lineRawScore: -40, mcs: -14 },
      { lineSeq: '7', lineRawScore: 0, mcs: -14 },
    ])
    expect(result.chatMCS).toBe(-14)
    expect(result.alertedMCS).toBe(0)
  })

  it('gives null chatMCS and alertedMCS without visitor lines', () => {
    const result = scoreTranscript([system('1', 'routing'), agent('2', 'hi')])
    expect(result).toEqual({
      lineScores: [
        { lineSeq: '1', lineRawScore: 0, mcs: 0 },
        { lineSeq: '2', lineRawScore: 0, mcs: 0 },
      ],
      chatMCS: null,
      alertedMCS: null,
    })
  })

  it('counts a visitor line without text (rich content) as a neutral visitor line', () => {
    const result = scoreTranscript([visitor('1', 'I love your service'), visitor('2')])
    expect(result.lineScores.map((s) => s.lineRawScore)).toEqual([60, 0])
    expect(result.chatMCS).toBe(roundHalfAwayFromZero((0.8 * 60) / 1.8))
    expect(result.alertedMCS).toBe(0)
  })

  it('uses the sentiment analyser by default, matching the spec record example', () => {
    const result = scoreTranscript([agent('4', 'hello'), visitor('5', 'I love your service')])
    expect(result.chatMCS).toBe(60)
    expect(result.alertedMCS).toBe(1)
  })
})

describe('example conversations (default analyser, docs/mcs.md)', () => {
  /** Visitor lines at odd lineSeqs, each answered by an agent line that never counts. */
  const conversation = (...visitorLines: string[]): ScoredLine[] =>
    visitorLines.flatMap((text, index) => [
      visitor(String(2 * index + 1), text),
      agent(String(2 * index + 2), 'I am sorry, terrible news: we are happy to help!'),
    ])
  const raws = (result: ReturnType<typeof scoreTranscript>): number[] =>
    result.lineScores.filter((_, index) => index % 2 === 0).map((score) => score.lineRawScore)

  it('a clearly positive chat alerts 1', () => {
    const result = scoreTranscript(
      conversation('Hi, I love your new collection', 'Thanks, that was really helpful', 'Great, you are awesome!'),
    )
    expect(raws(result)).toEqual([40, 64, 100])
    expect(result.lineScores.map((score) => score.mcs)).toEqual([40, 40, 53, 53, 72, 72])
    expect([result.chatMCS, result.alertedMCS]).toEqual([72, 1])
  })

  it('a clearly negative chat alerts -1', () => {
    const result = scoreTranscript(
      conversation('My order is late again', 'This is terrible, the worst service ever', 'I am angry and disappointed'),
    )
    expect(raws(result)).toEqual([0, -69, -80])
    expect([result.chatMCS, result.alertedMCS]).toEqual([-64, -1])
  })

  it('a mixed chat weighs the negative line twice and settles near 0', () => {
    const result = scoreTranscript(
      conversation('The product is great', 'but the delivery was awful', 'thanks for fixing it'),
    )
    expect(raws(result)).toEqual([60, -48, 40])
    // mcs_2 = (0.8*60 + 2*(-48)) / 2.8 = -17.1; mcs_3 = (0.64*60 + 1.6*(-48) + 40) / 3.24 = 0.49 → 0
    expect(result.lineScores.map((score) => score.mcs)).toEqual([60, 60, -17, -17, 0, 0])
    expect([result.chatMCS, result.alertedMCS]).toEqual([0, 0])
  })

  it('negation: "not good" and "not happy" score negative, "not bad" positive', () => {
    expect(lineRawScore('This is not good')).toBe(-60)
    expect(lineRawScore('I am not happy with the refund')).toBe(-34)
    expect(lineRawScore('not bad')).toBe(100)
    expect(lineRawScore("I don't like it")).toBe(-40)
    const result = scoreTranscript(conversation('This is not good', 'I am not happy with the refund'))
    expect([result.chatMCS, result.alertedMCS]).toEqual([-46, -1])
  })

  it('negation reaches only the word right after the negator (documented limit)', () => {
    expect(lineRawScore('not very good')).toBe(80)
  })

  it('no visitor lines → null chatMCS and alertedMCS, every line mcs 0', () => {
    const result = scoreTranscript([agent('1', 'Hello, how can I help?'), system('2', 'Chat ended')])
    expect(result.chatMCS).toBeNull()
    expect(result.alertedMCS).toBeNull()
    expect(result.lineScores.map((score) => [score.lineRawScore, score.mcs])).toEqual([
      [0, 0],
      [0, 0],
    ])
  })

  it('French is scored with the English lexicon: only words AFINN knows count', () => {
    expect(lineRawScore('Bonjour, le service est nul')).toBe(0)
    expect(lineRawScore('merci beaucoup, super')).toBe(80)
  })

  it('gives the same scores on every run', () => {
    const lines = conversation('The product is great', 'but the delivery was awful')
    expect(scoreTranscript(lines)).toEqual(scoreTranscript(lines))
  })
})
