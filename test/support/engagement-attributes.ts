import type { LightMyRequestResponse } from 'fastify'
import type { ParleyApp } from '../../src/http/app.ts'

/**
 * One engagement attribute of each input type (engagement-history.md §10.3, LivePerson's examples)
 * and the Engagement History event value it must become (§6.1), with `stamp` as both timestamps.
 */
export interface SdeCase {
  type: string
  input: Record<string, unknown>
  key: string
  sdeType: string
  /** The searchable `ea.*` area of the key (none for `searchContent`) and a word found there. */
  area?: { name: string; word: string }
  expected(stamp: string): Record<string, unknown>
}

const products = [{ product: { name: 'prod1', category: 'category', sku: 'sku', price: 7.8 }, quantity: 1 }]
const renderedProducts = [{ quantity: '1', product: { name: 'prod1', category: 'category', sku: 'sku', price: '7.8' } }]

export const SDE_CASES: SdeCase[] = [
  {
    type: 'cart',
    input: { type: 'cart', total: 11.7, currency: 'USD', numItems: 6, products },
    key: 'cartStatus',
    sdeType: 'CART_STATUS',
    area: { name: 'ea.cartStatus', word: 'prod1' },
    expected: (stamp) => ({
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      total: '11.7',
      currency: 'USD',
      numItems: '6',
      products: renderedProducts,
    }),
  },
  {
    type: 'purchase',
    input: {
      type: 'purchase',
      total: 11.7,
      orderId: 'DRV1534XC',
      cart: {
        total: 17.8,
        currency: 'USD',
        numItems: 13,
        products: [
          { product: { name: 'antivirus pro plan', category: 'software', sku: 'xyz001', price: 7.8 }, quantity: 3 },
        ],
      },
    },
    key: 'purchase',
    sdeType: 'PURCHASE',
    area: { name: 'ea.purchase', word: 'DRV1534XC' },
    expected: (stamp) => ({
      total: '11.7',
      currency: null,
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      orderId: 'DRV1534XC',
      cart: {
        total: '17.8',
        currency: 'USD',
        serverTimeStamp: null,
        originalTimeStamp: null,
        numItems: '13',
        products: [
          {
            quantity: '3',
            product: { name: 'antivirus pro plan', category: 'software', sku: 'xyz001', price: '7.8' },
          },
        ],
      },
    }),
  },
  {
    type: 'prodView',
    input: {
      type: 'prodView',
      currency: 'USD',
      products: [
        {
          product: {
            name: 'red high heel shoe',
            category: 'women shoes',
            sku: 'xyz567',
            price: 77.8,
            statusInStock: 'Out of stock',
            quantityInStock: 0,
          },
        },
      ],
    },
    key: 'viewedProduct',
    sdeType: 'VIEWED_PRODUCT',
    area: { name: 'ea.viewedProduct', word: 'heel' },
    expected: (stamp) => ({
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      currency: 'USD',
      products: [
        {
          product: {
            name: 'red high heel shoe',
            category: 'women shoes',
            sku: 'xyz567',
            price: '77.8',
            statusInStock: 'Out of stock',
            quantityInStock: 0,
          },
        },
      ],
    }),
  },
  {
    type: 'ctmrinfo',
    input: {
      type: 'ctmrinfo',
      info: {
        cstatus: 'cancelled',
        ctype: 'vip',
        customerId: '138766AC',
        balance: -400.99,
        currency: 'USD',
        socialId: '11256324780',
        lastPaymentDate: { day: 15, month: 10, year: 2014 },
        registrationDate: { day: 23, month: 5, year: 2013 },
      },
    },
    key: 'customerInfo',
    sdeType: 'CUSTOMER_INFO',
    area: { name: 'ea.customerInfo', word: '138766AC' },
    expected: (stamp) => ({
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      customerInfo: {
        customerStatus: 'cancelled',
        customerType: 'vip',
        balance: '-400.99',
        currency: 'USD',
        customerId: '138766AC',
        socialId: '11256324780',
        imei: null,
        userName: null,
        accountName: null,
        role: null,
        companyBranch: null,
        storeNumber: null,
        storeZipCode: null,
        companySize: null,
        lastPaymentDate: { year: '2014', month: '10', day: '15' },
        registrationDate: { year: '2013', month: '5', day: '23' },
      },
    }),
  },
  {
    type: 'mrktInfo',
    input: { type: 'mrktInfo', info: { channel: '1', affiliate: 'Yahoo', campaignId: 'US coupon campaign' } },
    key: 'marketingCampaignInfo',
    sdeType: 'MARKETING_CAMPAIGN_INFO',
    area: { name: 'ea.marketingCampaignInfo', word: 'coupon' },
    expected: (stamp) => ({
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      marketingCampaignInfo: { originatingChannel: '1', affiliate: 'Yahoo', campaignId: 'US coupon campaign' },
    }),
  },
  {
    type: 'personal',
    input: {
      type: 'personal',
      personal: {
        firstname: 'John',
        lastname: 'Doe',
        age: { age: 34, year: 1980, month: 4, day: 15 },
        contacts: [{ email: 'myname@example.com', phone: '+1 212-788-8877' }],
        gender: 'MALE',
        company: 'company',
        language: 'English',
      },
    },
    key: 'personalInfo',
    sdeType: 'PERSONAL_INFO',
    area: { name: 'ea.personalInfo', word: 'Doe' },
    expected: (stamp) => ({
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      personalInfo: {
        name: 'John',
        surname: 'Doe',
        gender: 'MALE',
        company: 'company',
        language: 'English',
        customerAge: {
          customerAgeInYears: '34.0',
          customerYearOfBirth: '1980',
          customerMonthOfBirth: '4',
          customerDateOfBirth: '15',
        },
        contacts: [{ personalContact: { email: 'myname@example.com', phone: '+1 212-788-8877' } }],
      },
    }),
  },
  {
    type: 'lead',
    input: {
      type: 'lead',
      lead: { topic: 'luxury car test drive 2015', value: 22.22, currency: 'USD', leadId: 'xyz123' },
    },
    key: 'lead',
    sdeType: 'LEAD',
    area: { name: 'ea.lead', word: 'luxury' },
    expected: (stamp) => ({
      lead: { topic: 'luxury car test drive 2015', value: '22.22', currency: 'USD', leadId: 'xyz123' },
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
    }),
  },
  {
    type: 'service',
    input: {
      type: 'service',
      service: { topic: 'order checkbook', status: 0, category: 'finance', serviceId: 'service12' },
    },
    key: 'serviceActivity',
    sdeType: 'SERVICE_ACTIVITY',
    area: { name: 'ea.serviceActivity', word: 'checkbook' },
    expected: (stamp) => ({
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      serviceActivity: { topic: 'order checkbook', status: '0', category: 'finance', serviceId: 'service12' },
    }),
  },
  {
    type: 'error',
    input: { type: 'error', error: { message: 'Expiration date missing', code: 'er100004' } },
    key: 'visitorError',
    sdeType: 'VISITOR_ERROR',
    area: { name: 'ea.visitorError', word: 'expiration' },
    expected: (stamp) => ({
      serverTimeStamp: stamp,
      originalTimeStamp: stamp,
      visitorError: {
        contextId: null,
        message: 'Expiration date missing',
        code: 'er100004',
        level: null,
        resolved: null,
      },
    }),
  },
  {
    type: 'searchInfo',
    input: { type: 'searchInfo', keywords: ['apple', 'banana'] },
    key: 'searchContent',
    sdeType: 'SEARCH_CONTENT',
    expected: (stamp) => ({ serverTimeStamp: stamp, originalTimeStamp: stamp, keywords: ['apple', 'banana'] }),
  },
]

/** The whole Engagement History event of a case (§6.1): key, then the four siblings. */
export function expectedEvent(entry: SdeCase, stamp: string): Record<string, unknown> {
  return {
    [entry.key]: entry.expected(stamp),
    serverTimeStamp: stamp,
    originalTimeStamp: stamp,
    sdeType: entry.sdeType,
    isAuthenticated: false,
  }
}

export const monitoringPath = (accountId: string, visitorId: string, query = 'v=1&sid=sess-1'): string =>
  `/api/account/${accountId}/monitoring/visitors/${encodeURIComponent(visitorId)}/visits/current/events?${query}`

/** POST + `X-HTTP-Method-Override: PUT` of a monitoring body with `authorization`. */
export function reportAttributes(
  app: ParleyApp,
  options: { accountId: string; visitorId: string; authorization: string; body: unknown; query?: string },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: monitoringPath(options.accountId, options.visitorId, options.query),
    headers: {
      authorization: options.authorization,
      'content-type': 'application/json',
      'x-http-method-override': 'PUT',
    },
    payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  })
}
