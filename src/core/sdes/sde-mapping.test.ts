import { describe, expect, it } from 'vitest'
import { expectedEvent, SDE_CASES } from '../../../test/support/engagement-attributes.ts'
import { SDE_TYPES } from '../history/record.types.ts'
import type { EngagementRecord } from '../history/record.types.ts'
import { areaTexts } from '../history/text-areas.ts'
import { parseEngagementAttributes } from './sde-input.ts'
import { javaDouble, SDE_RESPONSE_KEYS, toHistoryEvent, toParticipantInfo } from './sde-mapping.ts'

const event = (input: unknown, receivedAt = 1440412721832) =>
  toHistoryEvent({ attribute: parseEngagementAttributes(input)[0]!, receivedAt, isAuthenticated: false })

describe('toHistoryEvent (engagement-history.md §6.1, D5)', () => {
  it.each(SDE_CASES)('maps $type to $key with every field of the shape', (entry) => {
    const mapped = event(entry.input)
    expect(mapped).toEqual(expectedEvent(entry, '1440412721832'))
    expect(Object.keys(mapped)).toEqual([
      entry.key,
      'serverTimeStamp',
      'originalTimeStamp',
      'sdeType',
      'isAuthenticated',
    ])
    expect(Object.keys(mapped[entry.key] as object)).toEqual(Object.keys(entry.expected('1')))
  })

  it('covers every input type and every sdeType exactly once', () => {
    expect(SDE_CASES.map((entry) => entry.type).sort()).toEqual(Object.keys(SDE_RESPONSE_KEYS).sort())
    expect(Object.values(SDE_RESPONSE_KEYS).sort()).toEqual(Object.keys(SDE_TYPES).sort())
  })

  it('renders every field null (quantityInStock included) when the attribute reported nothing', () => {
    expect(event({ type: 'ctmrinfo', info: {} }).customerInfo).toEqual({
      serverTimeStamp: '1440412721832',
      originalTimeStamp: '1440412721832',
      customerInfo: {
        customerStatus: null,
        customerType: null,
        balance: null,
        currency: null,
        customerId: null,
        socialId: null,
        imei: null,
        userName: null,
        accountName: null,
        role: null,
        companyBranch: null,
        storeNumber: null,
        storeZipCode: null,
        companySize: null,
        lastPaymentDate: null,
        registrationDate: null,
      },
    })
    expect(event({ type: 'prodView', products: { product: {} } }).viewedProduct).toMatchObject({
      currency: null,
      products: [{ product: { name: null, price: null, statusInStock: null, quantityInStock: null } }],
    })
    expect(event({ type: 'personal', personal: {} }).personalInfo).toMatchObject({
      personalInfo: { name: null, gender: null, customerAge: null, contacts: [] },
    })
    expect(event({ type: 'purchase' }).purchase).toMatchObject({ total: null, orderId: null, cart: null })
  })

  it('renders integers as digits, decimals as Java doubles, gender codes as names, booleans as text', () => {
    expect(event({ type: 'lead', lead: { value: 200 } }).lead).toMatchObject({ lead: { value: '200.0' } })
    expect(event({ type: 'cart', total: '77', numItems: '6', products: [] }).cartStatus).toMatchObject({
      total: '77.0',
      numItems: '6',
    })
    expect(event({ type: 'personal', personal: { gender: 1 } }).personalInfo).toMatchObject({
      personalInfo: { gender: 'FEMALE' },
    })
    expect(event({ type: 'personal', personal: { gender: '2' } }).personalInfo).toMatchObject({
      personalInfo: { gender: 'OTHER' },
    })
    expect(event({ type: 'error', error: { level: 2, resolved: true } }).visitorError).toMatchObject({
      visitorError: { level: '2', resolved: 'true' },
    })
    expect(event({ type: 'ctmrinfo', info: { customerId: 1234, companySize: 50 } }).customerInfo).toMatchObject({
      customerInfo: { customerId: '1234', companySize: '50' },
    })
  })

  it('keeps an optional contact address', () => {
    const mapped = event({
      type: 'personal',
      personal: { contacts: [{ email: 'a@example.com', address: { country: 'CH', region: 'ZH' } }] },
    })
    expect(mapped.personalInfo).toMatchObject({
      personalInfo: {
        contacts: [
          { personalContact: { email: 'a@example.com', phone: null, address: { country: 'CH', region: 'ZH' } } },
        ],
      },
    })
  })

  it('puts each attribute in its ea.* keyword area', () => {
    for (const entry of SDE_CASES.filter((candidate) => candidate.area)) {
      const record = {
        transcript: { lines: [] },
        surveys: { preChat: [], postChat: [], operator: [] },
        visitorInfo: {},
        sdes: { events: [event(entry.input)] },
      } as unknown as EngagementRecord
      const texts = areaTexts(record)[entry.area!.name as keyof ReturnType<typeof areaTexts>]
      expect(texts.join(' ').toLowerCase(), entry.type).toContain(entry.area!.word.toLowerCase())
    }
  })
})

describe('javaDouble', () => {
  it.each([
    [77, '77.0'],
    [11.7, '11.7'],
    [-400.99, '-400.99'],
    [0, '0.0'],
    [12345678.9, '1.23456789E7'],
    [1e21, '1.0E21'],
    [0.0001, '1.0E-4'],
  ])('%d → %s', (value, rendered) => expect(javaDouble(value)).toBe(rendered))
})

describe('toParticipantInfo (agent-api.md A26)', () => {
  it('builds the documented document from the latest customer and personal info', () => {
    const attributes = parseEngagementAttributes([
      { type: 'ctmrinfo', info: { customerId: 'old', cstatus: 'active' } },
      {
        type: 'ctmrinfo',
        info: {
          cstatus: 'cancelled',
          ctype: 'vip',
          customerId: '57ac-072a-5d10-4506-721f-9ebf',
          balance: -400.99,
          registrationDate: { year: 2013, month: 5, day: 23 },
        },
      },
      { type: 'lead', lead: { topic: 'x' } },
      {
        type: 'personal',
        personal: {
          firstname: 'Test',
          lastname: 'User',
          contacts: [{ email: 'testuser@example.com', phone: '+1-10-344-3765333' }],
        },
      },
    ])
    expect(toParticipantInfo('55fc1779-83b0-4e8b-8eea-503a8eaf8822', attributes)).toEqual({
      authenticatedParticipantInfo: {
        isUserAuthenticated: true,
        participantId: '55fc1779-83b0-4e8b-8eea-503a8eaf8822',
        customerId: '57ac-072a-5d10-4506-721f-9ebf',
        customerStatus: 'cancelled',
        customerType: 'vip',
        balance: -400.99,
        registrationDate: { year: 2013, month: 5, day: 23 },
      },
      authenticatedPersonalInfo: {
        name: 'Test',
        surname: 'User',
        contacts: [{ email: 'testuser@example.com', phone: '+1-10-344-3765333' }],
      },
    })
  })

  it('has only the participant id without attributes', () => {
    expect(toParticipantInfo('p-1', [])).toEqual({
      authenticatedParticipantInfo: { isUserAuthenticated: true, participantId: 'p-1' },
      authenticatedPersonalInfo: {},
    })
  })
})
