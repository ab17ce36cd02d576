import { describe, expect, it } from 'vitest'
import { containsPhrase, searchWords } from './text-areas.ts'

describe('searchWords', () => {
  it('folds case and accents and splits on everything that is not a letter or digit', () => {
    expect(searchWords("Café, iPAD! o'neil NEAR(ipad) ip*")).toEqual([
      'cafe',
      'ipad',
      'o',
      'neil',
      'near',
      'ipad',
      'ip',
    ])
  })
  it('returns no words for punctuation only', () => {
    expect(searchWords('"*: & ( \' ')).toEqual([])
  })
  it('keeps digits and non-Latin letters', () => {
    expect(searchWords('Order #A-1234 für Ångström 東京')).toEqual(['order', 'a', '1234', 'fur', 'angstrom', '東京'])
  })
})

describe('containsPhrase', () => {
  it('matches whole consecutive words only', () => {
    expect(containsPhrase(['my', 'order', 'number', 'is'], ['order', 'number'])).toBe(true)
    expect(containsPhrase(['order', 'the', 'number'], ['order', 'number'])).toBe(false)
    expect(containsPhrase(['ipads'], ['ipad'])).toBe(false)
    expect(containsPhrase([], ['x'])).toBe(false)
  })
})
