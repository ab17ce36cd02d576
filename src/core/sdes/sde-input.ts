import { invalid } from '../errors.ts'
import type {
  EngagementAttribute,
  EngagementAttributeType,
  SdeAddress,
  SdeCartItem,
  SdeContact,
  SdeDate,
  SdeGender,
  SdeProduct,
} from './sde.types.ts'

/** Longest text value an attribute may carry (engagement-history.md §6.1). */
export const MAX_SDE_TEXT = 50_000
/** Most list items (products, contacts, keywords) one attribute may carry. */
export const MAX_SDE_LIST = 1_000

export const SDE_INPUT_TYPES: readonly EngagementAttributeType[] = [
  'cart',
  'purchase',
  'prodView',
  'ctmrinfo',
  'mrktInfo',
  'personal',
  'lead',
  'service',
  'error',
  'searchInfo',
]

type Fields = Record<string, unknown>

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `null` and absent are the same: the attribute did not report the field. */
const absent = (value: unknown): value is null | undefined => value === undefined || value === null

/**
 * Reads one attribute's fields; every failure names the field by its path
 * (`body[2].lead.value`) so a client can find it.
 */
class Reader {
  readonly path: string

  constructor(path: string) {
    this.path = path
  }

  at(key: string | number): Reader {
    return new Reader(typeof key === 'number' ? `${this.path}[${key}]` : `${this.path}.${key}`)
  }

  fail(problem: string): never {
    throw invalid(this.path, problem)
  }

  /** Text: strings as given, numbers and booleans as their text (clients send ids as numbers). */
  text(value: unknown): string | undefined {
    if (absent(value)) return undefined
    let result: string
    if (typeof value === 'string') result = value
    else if (typeof value === 'number' && Number.isFinite(value)) result = String(value)
    else if (typeof value === 'boolean') result = String(value)
    else this.fail('must be a string')
    if (result.length > MAX_SDE_TEXT) this.fail(`must be at most ${MAX_SDE_TEXT} characters`)
    return result
  }

  /** A decimal: a finite number, or a string holding one (wire-conventions.md §9). */
  decimal(value: unknown): number | undefined {
    if (absent(value)) return undefined
    if (typeof value === 'number' && Number.isFinite(value)) return value
    if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) {
      const parsed = Number(value)
      if (Number.isFinite(parsed)) return parsed
    }
    return this.fail('must be a number')
  }

  /** An integer, or a string holding one. */
  integer(value: unknown): number | undefined {
    if (absent(value)) return undefined
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value
    if (typeof value === 'string' && /^\s*[-+]?\d{1,15}\s*$/.test(value)) return Number(value)
    return this.fail('must be an integer')
  }

  boolean(value: unknown): boolean | undefined {
    if (absent(value)) return undefined
    if (typeof value === 'boolean') return value
    if (value === 'true' || value === 'false') return value === 'true'
    return this.fail('must be a boolean')
  }

  object(value: unknown, required: boolean): Fields | undefined {
    if (absent(value)) return required ? this.fail('is required') : undefined
    return isObject(value) ? value : this.fail('must be an object')
  }

  /** A list; a single item is accepted as a one-element list, as LivePerson's clients send them. */
  list(value: unknown, required: boolean): unknown[] {
    if (absent(value)) return required ? this.fail('is required') : []
    const items = Array.isArray(value) ? value : [value]
    if (items.length > MAX_SDE_LIST) this.fail(`must have at most ${MAX_SDE_LIST} items`)
    return items
  }
}

/** Drops absent fields so stored attributes carry only what was reported. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T
}

function product(reader: Reader, value: unknown): SdeProduct {
  const fields = reader.object(value, true) as Fields
  return defined({
    name: reader.at('name').text(fields.name),
    category: reader.at('category').text(fields.category),
    sku: reader.at('sku').text(fields.sku),
    price: reader.at('price').decimal(fields.price),
    statusInStock: reader.at('statusInStock').text(fields.statusInStock),
    quantityInStock: reader.at('quantityInStock').integer(fields.quantityInStock),
  })
}

function cartItems(reader: Reader, value: unknown, required: boolean): SdeCartItem[] {
  return reader.list(value, required).map((item, index) => {
    const itemReader = reader.at(index)
    const fields = itemReader.object(item, true) as Fields
    return defined({
      quantity: itemReader.at('quantity').integer(fields.quantity),
      product: product(itemReader.at('product'), fields.product),
    })
  })
}

function date(reader: Reader, value: unknown): SdeDate | undefined {
  const fields = reader.object(value, false)
  if (!fields) return undefined
  return defined({
    year: reader.at('year').integer(fields.year),
    month: reader.at('month').integer(fields.month),
    day: reader.at('day').integer(fields.day),
  })
}

const GENDERS: Readonly<Record<string, SdeGender>> = {
  '0': 'MALE',
  '1': 'FEMALE',
  '2': 'OTHER',
  MALE: 'MALE',
  FEMALE: 'FEMALE',
  OTHER: 'OTHER',
}

function gender(reader: Reader, value: unknown): SdeGender | undefined {
  if (absent(value)) return undefined
  const key = typeof value === 'number' || typeof value === 'string' ? String(value).trim().toUpperCase() : ''
  return GENDERS[key] ?? reader.fail('must be 0, 1, 2, MALE, FEMALE or OTHER')
}

function address(reader: Reader, value: unknown): SdeAddress | undefined {
  const fields = reader.object(value, false)
  if (!fields) return undefined
  return defined({
    country: reader.at('country').text(fields.country),
    region: reader.at('region').text(fields.region),
  })
}

function contacts(reader: Reader, value: unknown): SdeContact[] | undefined {
  if (absent(value)) return undefined
  return reader.list(value, false).map((item, index) => {
    const itemReader = reader.at(index)
    const fields = itemReader.object(item, true) as Fields
    return defined({
      email: itemReader.at('email').text(fields.email),
      phone: itemReader.at('phone').text(fields.phone),
      address: address(itemReader.at('address'), fields.address),
    })
  })
}

type Parser = (reader: Reader, fields: Fields) => EngagementAttribute

const PARSERS: { [K in EngagementAttributeType]: Parser } = {
  cart: (r, f) => ({
    type: 'cart',
    ...defined({
      total: r.at('total').decimal(f.total),
      currency: r.at('currency').text(f.currency),
      numItems: r.at('numItems').integer(f.numItems),
    }),
    products: cartItems(r.at('products'), f.products, false),
  }),
  purchase: (r, f) => {
    const cartReader = r.at('cart')
    const cart = cartReader.object(f.cart, false)
    return {
      type: 'purchase',
      ...defined({
        total: r.at('total').decimal(f.total),
        currency: r.at('currency').text(f.currency),
        orderId: r.at('orderId').text(f.orderId),
        cart: cart && {
          ...defined({
            total: cartReader.at('total').decimal(cart.total),
            currency: cartReader.at('currency').text(cart.currency),
            numItems: cartReader.at('numItems').integer(cart.numItems),
          }),
          products: cartItems(cartReader.at('products'), cart.products, false),
        },
      }),
    }
  },
  prodView: (r, f) => ({
    type: 'prodView',
    ...defined({ currency: r.at('currency').text(f.currency) }),
    products: r
      .at('products')
      .list(f.products, true)
      .map((item, index) => {
        const itemReader = r.at('products').at(index)
        const fields = itemReader.object(item, true) as Fields
        return { product: product(itemReader.at('product'), fields.product) }
      }),
  }),
  ctmrinfo: (r, f) => {
    const reader = r.at('info')
    const info = reader.object(f.info, true) as Fields
    const text = (key: string) => reader.at(key).text(info[key])
    return {
      type: 'ctmrinfo',
      info: defined({
        cstatus: text('cstatus'),
        ctype: text('ctype'),
        customerId: text('customerId'),
        balance: reader.at('balance').decimal(info.balance),
        currency: text('currency'),
        socialId: text('socialId'),
        imei: text('imei'),
        userName: text('userName'),
        companySize: reader.at('companySize').integer(info.companySize),
        companyBranch: text('companyBranch'),
        accountName: text('accountName'),
        role: text('role'),
        storeNumber: text('storeNumber'),
        storeZipCode: text('storeZipCode'),
        lastPaymentDate: date(reader.at('lastPaymentDate'), info.lastPaymentDate),
        registrationDate: date(reader.at('registrationDate'), info.registrationDate),
      }),
    }
  },
  mrktInfo: (r, f) => {
    const reader = r.at('info')
    const info = reader.object(f.info, true) as Fields
    return {
      type: 'mrktInfo',
      info: defined({
        channel: reader.at('channel').integer(info.channel),
        affiliate: reader.at('affiliate').text(info.affiliate),
        campaignId: reader.at('campaignId').text(info.campaignId),
      }),
    }
  },
  personal: (r, f) => {
    const reader = r.at('personal')
    const personal = reader.object(f.personal, true) as Fields
    const ageReader = reader.at('age')
    const age = ageReader.object(personal.age, false)
    return {
      type: 'personal',
      personal: defined({
        firstname: reader.at('firstname').text(personal.firstname),
        lastname: reader.at('lastname').text(personal.lastname),
        age:
          age &&
          defined({
            age: ageReader.at('age').decimal(age.age),
            year: ageReader.at('year').integer(age.year),
            month: ageReader.at('month').integer(age.month),
            day: ageReader.at('day').integer(age.day),
          }),
        contacts: contacts(reader.at('contacts'), personal.contacts),
        gender: gender(reader.at('gender'), personal.gender),
        company: reader.at('company').text(personal.company),
        language: reader.at('language').text(personal.language),
      }),
    }
  },
  lead: (r, f) => {
    const reader = r.at('lead')
    const lead = reader.object(f.lead, true) as Fields
    return {
      type: 'lead',
      lead: defined({
        topic: reader.at('topic').text(lead.topic),
        value: reader.at('value').decimal(lead.value),
        currency: reader.at('currency').text(lead.currency),
        leadId: reader.at('leadId').text(lead.leadId),
      }),
    }
  },
  service: (r, f) => {
    const reader = r.at('service')
    const service = reader.object(f.service, true) as Fields
    return {
      type: 'service',
      service: defined({
        topic: reader.at('topic').text(service.topic),
        status: reader.at('status').integer(service.status),
        category: reader.at('category').text(service.category),
        serviceId: reader.at('serviceId').text(service.serviceId),
      }),
    }
  },
  error: (r, f) => {
    const reader = r.at('error')
    const error = reader.object(f.error, true) as Fields
    return {
      type: 'error',
      error: defined({
        contextId: reader.at('contextId').text(error.contextId),
        message: reader.at('message').text(error.message),
        code: reader.at('code').text(error.code),
        level: reader.at('level').integer(error.level),
        resolved: reader.at('resolved').boolean(error.resolved),
      }),
    }
  },
  searchInfo: (r, f) => ({
    type: 'searchInfo',
    keywords: r
      .at('keywords')
      .list(f.keywords, true)
      .map((keyword, index) => r.at('keywords').at(index).text(keyword))
      .filter((keyword): keyword is string => keyword !== undefined),
  }),
}

const isInputType = (value: unknown): value is EngagementAttributeType =>
  typeof value === 'string' && (SDE_INPUT_TYPES as readonly string[]).includes(value)

/**
 * Validates a monitoring request body (engagement-history.md §10.1, §10.3): a JSON array of
 * engagement attributes, a single object being a one-element array. All or nothing: the first bad
 * attribute is VALIDATION_FAILED naming it and its field (`body[1].lead.value: must be a number`).
 * Unknown fields are ignored.
 */
export function parseEngagementAttributes(body: unknown): EngagementAttribute[] {
  if (absent(body) || body === '') throw invalid('body', 'must be a JSON array of engagement attributes')
  if (!Array.isArray(body) && !isObject(body)) throw invalid('body', 'must be a JSON array of engagement attributes')
  const items: unknown[] = Array.isArray(body) ? body : [body]
  return items.map((item, index) => {
    const reader = new Reader(`body[${index}]`)
    const fields = reader.object(item, true) as Fields
    const type = fields.type
    if (!isInputType(type)) return reader.at('type').fail(`must be one of ${SDE_INPUT_TYPES.join(', ')}`)
    return PARSERS[type](reader, fields)
  })
}
