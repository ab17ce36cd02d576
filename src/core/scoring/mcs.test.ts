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
