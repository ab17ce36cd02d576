import { describe, expect, it } from 'vitest'
import { encodeLinkValue, presentMetadata, searchHref } from './engagement-history.presenter.ts'

const base = { origin: 'https://eh.example.com', accountId: 'acme' }
const result = (count: number, offset: number, limit: number) => ({
  count,
  offset,
  limit,
  documents: [],
  linkParams: { sort: 'start:asc' },
})

describe('Engagement History links', () => {
  it('encodes like encodeURIComponent but keeps : and , literal', () => {
    expect(encodeLinkValue('start:desc,duration:asc')).toBe('start:desc,duration:asc')
    expect(encodeLinkValue("a b&c=d/é?'*")).toBe("a%20b%26c%3Dd%2F%C3%A9%3F'*")
    expect(encodeLinkValue('x\uD800y')).toBe('x%EF%BF%BDy')
  })

  it('orders parameters limit, offset, sort, source', () => {
    expect(searchHref(base, 10, 20, { source: 'S', sort: 'end' })).toBe(
      'https://eh.example.com/interaction_history/api/account/acme/interactions/search?limit=10&offset=20&sort=end&source=S',
    )
  })

  it.each([
    [0, 0, 50, ['count', 'self', 'shardsStatusResult']],
    [50, 0, 50, ['count', 'self', 'shardsStatusResult']],
    [51, 0, 50, ['count', 'next', 'last', 'self', 'shardsStatusResult']],
    [250, 100, 100, ['count', 'next', 'prev', 'last', 'self', 'shardsStatusResult']],
    [250, 200, 100, ['count', 'prev', 'last', 'self', 'shardsStatusResult']],
    [3, 10, 5, ['count', 'prev', 'self', 'shardsStatusResult']],
  ])('count %i, offset %i, limit %i has %j', (count, offset, limit, keys) => {
    expect(Object.keys(presentMetadata(base, result(count, offset, limit)))).toEqual(keys)
  })

  it('points prev at max(0, offset - limit) and last at the last full multiple of limit', () => {
    const metadata = presentMetadata(base, result(101, 30, 50)) as Record<string, { href: string }>
    expect(metadata.prev?.href).toMatch(/offset=0&/)
    expect(metadata.next?.href).toMatch(/offset=80&/)
    expect(metadata.last?.href).toMatch(/offset=100&/)
  })
})
