import { TEXT_AREAS, type TextArea } from './history-query.types.ts'
import type { EngagementRecord } from './record.types.ts'

const COMBINING_MARKS = /\p{M}+/gu
const NON_WORD = /[^\p{L}\p{N}]+/u

/**
 * Splits text into search words (engagement-history.md §3): Unicode NFD, combining marks
 * dropped, lower-cased, split on every run of characters that are not letters or digits.
 * `"Café, iPAD!"` → `["cafe", "ipad"]`. Operators and punctuation are just separators.
 */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .split(NON_WORD)
    .filter((word) => word !== '')
}

/** SDE response key searched by each `ea.*` area. */
const SDE_AREA_KEYS: Readonly<Record<string, string>> = {
  'ea.purchase': 'purchase',
  'ea.viewedProduct': 'viewedProduct',
  'ea.cartStatus': 'cartStatus',
  'ea.serviceActivity': 'serviceActivity',
  'ea.visitorError': 'visitorError',
  'ea.lead': 'lead',
  'ea.customerInfo': 'customerInfo',
  'ea.marketingCampaignInfo': 'marketingCampaignInfo',
  'ea.personalInfo': 'personalInfo',
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    if (value !== '') out.push(value)
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out)
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, out)
  }
}

/**
 * The text fields of each keyword area of a record. Each string is one field: a phrase must
 * match inside one field (one line, one answer, one attribute value), never across two.
 * `searchContent` SDEs belong to no area (§3 lists none for them).
 */
export function areaTexts(record: EngagementRecord): Record<TextArea, string[]> {
  const texts = Object.fromEntries(TEXT_AREAS.map((area) => [area, [] as string[]])) as Record<TextArea, string[]>
  for (const line of record.transcript.lines) {
    if (typeof line.text === 'string' && line.text !== '') texts.chatLine.push(line.text)
  }
  for (const item of [...record.surveys.preChat, ...record.surveys.postChat, ...record.surveys.operator]) {
    collectStrings(item.value, texts.surveyAnswer)
    collectStrings(item.values, texts.surveyAnswer)
    collectStrings(item.displayName, texts.surveyQuestion)
  }
  collectStrings(record.visitorInfo, texts.visitorInfo)
  for (const event of record.sdes.events) {
    for (const [area, key] of Object.entries(SDE_AREA_KEYS)) {
      if (key in event) collectStrings(event[key], texts[area as TextArea])
    }
  }
  return texts
}

/** True when `words` appear consecutively in `fieldWords`. */
export function containsPhrase(fieldWords: readonly string[], words: readonly string[]): boolean {
  if (words.length === 0 || words.length > fieldWords.length) return false
  outer: for (let i = 0; i + words.length <= fieldWords.length; i++) {
    for (let j = 0; j < words.length; j++) {
      if (fieldWords[i + j] !== words[j]) continue outer
    }
    return true
  }
  return false
}
