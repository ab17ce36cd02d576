import { FIRST_NAMES, PRODUCTS, SURNAMES } from './generator-content.ts'
import { SDE_TYPES, type SdeEvent, type SdeKey } from './record.types.ts'
import type { SeededRandom } from './seeded-random.ts'

/** A decimal as Java renders a double: at least one decimal (`77` → `"77.0"`), engagement-history.md §6.1. */
export const javaDouble = (value: number): string => (Number.isInteger(value) ? value.toFixed(1) : String(value))

const CATEGORIES = ['tablets', 'phones', 'smart home', 'networking', 'audio', 'wearables', 'kitchen', 'mobility']
const PRICES = [7.8, 77, 129.99, 349, 19.5, 899, 249.9, 45, 1299, 59.95, 399, 11.7]
const ITEMS = PRODUCTS.map((name, i) => ({
  name,
  category: CATEGORIES[i % CATEGORIES.length] ?? 'other',
  sku: `sku${1000 + i}`,
  price: PRICES[i % PRICES.length] ?? 10,
}))
const STOCK = ['In stock', 'Out of stock', 'Low stock']
const CUSTOMER_STATUS = ['active', 'cancelled', 'suspended']
const CUSTOMER_TYPE = ['vip', 'regular', 'business']
const AFFILIATES = ['Yahoo', 'Google', 'Facebook', 'Newsletter', 'Partner café']
const MARKETING = ['US coupon campaign', 'Spring sale', 'Black Friday', 'Zürich launch']
const LANGUAGES = ['English', 'German', 'French', 'Spanish', 'Hebrew']
const GENDERS = ['MALE', 'FEMALE', 'OTHER']
const ERRORS = [
  { message: 'Expiration date missing', code: 'er100004' },
  { message: 'Invalid postal code', code: 'er100017' },
  { message: 'Card number is not valid', code: 'er100001' },
]
const LEADS = ['luxury car test drive 2015', 'inquiry about upgrade and iPhone 6s pricing', 'business plan quote']
const SEARCHES = ['refund', 'order number', 'iPad', 'café', 'return label', 'password reset', 'shipping']

/** What the SDE builders may mention, chosen per chat. */
export interface SdeContext {
  orderId: string
  topic: { topic: string; category: string }
  email: string
}

type Stamps = { serverTimeStamp: string; originalTimeStamp: string }

function cartProducts(random: SeededRandom) {
  const products = []
  let total = 0
  let numItems = 0
  for (let i = random.between(1, 3); i > 0; i--) {
    const item = random.pick(ITEMS)
    const quantity = random.between(1, 3)
    total += item.price * quantity
    numItems += quantity
    products.push({
      quantity: String(quantity),
      product: { name: item.name, category: item.category, sku: item.sku, price: javaDouble(item.price) },
    })
  }
  return { products, total: javaDouble(Math.round(total * 100) / 100), numItems: String(numItems) }
}

const date = (random: SeededRandom, fromYear: number) => ({
  year: String(random.between(fromYear, 2025)),
  month: String(random.between(1, 12)),
  day: String(random.between(1, 28)),
})

const BUILDERS: { [K in SdeKey]: (random: SeededRandom, stamps: Stamps, context: SdeContext) => unknown } = {
  cartStatus(random, stamps) {
    const cart = cartProducts(random)
    return { ...stamps, total: cart.total, currency: 'USD', numItems: cart.numItems, products: cart.products }
  },
  purchase(random, stamps, context) {
    const cart = cartProducts(random)
    return {
      total: cart.total,
      currency: random.chance(0.8) ? 'USD' : null,
      ...stamps,
      orderId: context.orderId,
      cart: {
        total: cart.total,
        currency: 'USD',
        serverTimeStamp: null,
        originalTimeStamp: null,
        numItems: cart.numItems,
        products: cart.products,
      },
    }
  },
  viewedProduct(random, stamps) {
    const item = random.pick(ITEMS)
    const status = random.pick(STOCK)
    return {
      ...stamps,
      currency: 'USD',
      products: [
        {
          product: {
            name: item.name,
            category: item.category,
            sku: item.sku,
            price: javaDouble(item.price),
            statusInStock: status,
            quantityInStock: status === 'Out of stock' ? 0 : random.between(1, 40),
          },
        },
      ],
    }
  },
  customerInfo(random, stamps, context) {
    return {
      ...stamps,
      customerInfo: {
        customerStatus: random.pick(CUSTOMER_STATUS),
        customerType: random.pick(CUSTOMER_TYPE),
        balance: javaDouble(Math.round((random.next() * 2000 - 1000) * 100) / 100),
        currency: 'USD',
        customerId: `C${random.between(100000, 999999)}`,
        socialId: String(random.between(10000000, 99999999)),
        imei: null,
        userName: context.email,
        accountName: null,
        role: null,
        companyBranch: null,
        storeNumber: null,
        storeZipCode: null,
        companySize: random.chance(0.3) ? String(random.between(5, 5000)) : null,
        lastPaymentDate: date(random, 2023),
        registrationDate: date(random, 2012),
      },
    }
  },
  marketingCampaignInfo(random, stamps) {
    return {
      ...stamps,
      marketingCampaignInfo: {
        originatingChannel: String(random.int(7)),
        affiliate: random.pick(AFFILIATES),
        campaignId: random.pick(MARKETING),
      },
    }
  },
  personalInfo(random, stamps, context) {
    const age = random.between(18, 80)
    const name = random.pick(FIRST_NAMES)
    return {
      ...stamps,
      personalInfo: {
        name,
        surname: random.pick(SURNAMES),
        gender: random.pick(GENDERS),
        company: random.chance(0.4) ? 'Acme Café GmbH' : null,
        language: random.pick(LANGUAGES),
        customerAge: {
          customerAgeInYears: javaDouble(age),
          customerYearOfBirth: String(2025 - age),
          customerMonthOfBirth: String(random.between(1, 12)),
          customerDateOfBirth: String(random.between(1, 28)),
        },
        contacts: [{ personalContact: { email: context.email, phone: `+41 44 ${random.between(100, 999)} 12 34` } }],
      },
    }
  },
  lead(random, stamps) {
    return {
      lead: {
        topic: random.pick(LEADS),
        value: javaDouble(random.between(10, 5000)),
        currency: 'USD',
        leadId: `lead${random.between(1000, 9999)}`,
      },
      ...stamps,
    }
  },
  serviceActivity(random, stamps, context) {
    return {
      ...stamps,
      serviceActivity: {
        topic: context.topic.topic,
        status: String(random.int(14)),
        category: context.topic.category,
        serviceId: `service${random.between(1, 99)}`,
      },
    }
  },
  visitorError(random, stamps) {
    const error = random.pick(ERRORS)
    return {
      ...stamps,
      visitorError: {
        contextId: random.chance(0.5) ? 'checkout.payment' : null,
        message: error.message,
        code: error.code,
        level: random.chance(0.5) ? String(random.between(1, 3)) : null,
        resolved: random.chance(0.5) ? String(random.chance(0.5)) : null,
      },
    }
  },
  searchContent(random, stamps) {
    return { ...stamps, keywords: [random.pick(SEARCHES), random.pick(SEARCHES)] }
  },
}

const KEYS = Object.keys(SDE_TYPES) as SdeKey[]

/** One SDE event of a random type in Engagement History's response shape (Decision D5), at `timeMs`. */
export function randomSdeEvent(random: SeededRandom, timeMs: number, context: SdeContext): SdeEvent {
  const key = random.pick(KEYS)
  const stamp = String(timeMs)
  const stamps = { serverTimeStamp: stamp, originalTimeStamp: stamp }
  return {
    [key]: BUILDERS[key](random, stamps, context),
    serverTimeStamp: stamp,
    originalTimeStamp: stamp,
    sdeType: SDE_TYPES[key],
    isAuthenticated: false,
  }
}
