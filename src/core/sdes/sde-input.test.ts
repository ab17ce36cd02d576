import { describe, expect, it } from 'vitest'
import { SDE_CASES } from '../../../test/support/engagement-attributes.ts'
import { parseEngagementAttributes, MAX_SDE_TEXT } from './sde-input.ts'

const failure = (body: unknown): string => {
  try {
    parseEngagementAttributes(body)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected a validation failure')
}

describe('parseEngagementAttributes (engagement-history.md §10.1, §10.3)', () => {
  it('accepts every input type, in order, and a single object as a one-element array', () => {
    const parsed = parseEngagementAttributes(SDE_CASES.map((entry) => entry.input))
    expect(parsed.map((attribute) => attribute.type)).toEqual(SDE_CASES.map((entry) => entry.type))
    expect(parseEngagementAttributes({ type: 'searchInfo', keywords: 'apple' })).toEqual([
      { type: 'searchInfo', keywords: ['apple'] },
    ])
    expect(parseEngagementAttributes([])).toEqual([])
  })

  it('ignores unknown fields and keeps only what was reported', () => {
    expect(parseEngagementAttributes([{ type: 'lead', lead: { topic: 't', extra: 1 }, other: true }])).toEqual([
      { type: 'lead', lead: { topic: 't' } },
    ])
  })

  it.each([
    [null, 'body: must be a JSON array of engagement attributes'],
    ['text', 'body: must be a JSON array of engagement attributes'],
    [[1], 'body[0]: must be an object'],
    [
      [{}],
      'body[0].type: must be one of cart, purchase, prodView, ctmrinfo, mrktInfo, personal, lead, service, error, searchInfo',
    ],
    [[{ type: 'lead', lead: {} }, { type: 'visit' }], 'body[1].type: must be one of'],
    [[{ type: 'lead' }], 'body[0].lead: is required'],
    [[{ type: 'lead', lead: 'x' }], 'body[0].lead: must be an object'],
    [[{ type: 'lead', lead: { value: 'lots' } }], 'body[0].lead.value: must be a number'],
    [[{ type: 'service', service: { status: 1.5 } }], 'body[0].service.status: must be an integer'],
    [[{ type: 'ctmrinfo' }], 'body[0].info: is required'],
    [[{ type: 'ctmrinfo', info: { customerId: { id: 1 } } }], 'body[0].info.customerId: must be a string'],
    [
      [{ type: 'ctmrinfo', info: { lastPaymentDate: { day: 'x' } } }],
      'body[0].info.lastPaymentDate.day: must be an integer',
    ],
    [[{ type: 'mrktInfo', info: { channel: 'web' } }], 'body[0].info.channel: must be an integer'],
    [
      [{ type: 'personal', personal: { gender: 'X' } }],
      'body[0].personal.gender: must be 0, 1, 2, MALE, FEMALE or OTHER',
    ],
    [
      [{ type: 'personal', personal: { contacts: [{ email: [] }] } }],
      'body[0].personal.contacts[0].email: must be a string',
    ],
    [[{ type: 'personal', personal: { age: { age: 'old' } } }], 'body[0].personal.age.age: must be a number'],
    [[{ type: 'cart', products: [{ quantity: 1 }] }], 'body[0].products[0].product: is required'],
    [
      [{ type: 'cart', products: [{ product: { price: 'free' } }] }],
      'body[0].products[0].product.price: must be a number',
    ],
    [
      [{ type: 'purchase', cart: { products: [{ product: {}, quantity: 'x' }] } }],
      'body[0].cart.products[0].quantity: must be an integer',
    ],
    [[{ type: 'prodView' }], 'body[0].products: is required'],
    [
      [{ type: 'prodView', products: [{ product: { quantityInStock: 'n' } }] }],
      'body[0].products[0].product.quantityInStock: must be an integer',
    ],
    [[{ type: 'error', error: { resolved: 'maybe' } }], 'body[0].error.resolved: must be a boolean'],
    [[{ type: 'searchInfo' }], 'body[0].keywords: is required'],
    [[{ type: 'searchInfo', keywords: [{}] }], 'body[0].keywords[0]: must be a string'],
  ])('rejects %j naming the field', (body, message) => {
    expect(failure(body)).toContain(message)
  })

  it('limits text values to 50,000 characters', () => {
    const ok = 'a'.repeat(MAX_SDE_TEXT)
    expect(parseEngagementAttributes([{ type: 'lead', lead: { topic: ok } }])).toHaveLength(1)
    expect(failure([{ type: 'lead', lead: { topic: `${ok}a` } }])).toBe(
      'body[0].lead.topic: must be at most 50000 characters',
    )
  })
})
