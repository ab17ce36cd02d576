import { describe, expect, it } from 'vitest'
import { specExampleRecord } from '../../../test/support/history-fixtures.ts'
import { inSectionOrder, parseDocuments } from './record-sections.ts'
import type { EngagementRecord } from './record.types.ts'

const SECTIONS = ['info', 'transcript', 'lineScores', 'surveys', 'campaign', 'visitorInfo', 'coBrowseSessions', 'sdes']

describe('inSectionOrder', () => {
  it('leaves a record in the documented order unchanged', () => {
    expect(JSON.stringify(inSectionOrder(specExampleRecord()))).toBe(JSON.stringify(specExampleRecord()))
  })

  it('reorders sections, fills missing ones with their empty form and keeps other fields after them', () => {
    const { info, sdes, transcript } = specExampleRecord()
    const scrambled = { extra: { kept: true }, sdes, transcript, info } as unknown as EngagementRecord
    const ordered = inSectionOrder(scrambled) as unknown as Record<string, unknown>
    expect(Object.keys(ordered)).toEqual([...SECTIONS, 'extra'])
    expect(ordered).toMatchObject({
      info,
      transcript,
      lineScores: [],
      surveys: { preChat: [], postChat: [], operator: [] },
      campaign: {},
      visitorInfo: {},
      coBrowseSessions: { coBrowseSessionsList: [] },
      sdes,
      extra: { kept: true },
    })
  })

  it('parses archived documents back into records', () => {
    expect(parseDocuments([JSON.stringify(specExampleRecord())])).toEqual([specExampleRecord()])
  })
})
