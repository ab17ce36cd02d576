import { SDE_TYPES, type SdeEvent, type SdeKey } from '../history/record.types.ts'
import type {
  CustomerInfoAttribute,
  EngagementAttribute,
  EngagementAttributeType,
  PersonalInfoAttribute,
  SdeCartItem,
  SdeDate,
  SdeProduct,
  StoredEngagementAttribute,
} from './sde.types.ts'

/** Response key of each input type (engagement-history.md §10.3, Decision D5). */
export const SDE_RESPONSE_KEYS: { readonly [K in EngagementAttributeType]: SdeKey } = {
  cart: 'cartStatus',
  purchase: 'purchase',
  prodView: 'viewedProduct',
  ctmrinfo: 'customerInfo',
  mrktInfo: 'marketingCampaignInfo',
  personal: 'personalInfo',
  lead: 'lead',
  service: 'serviceActivity',
  error: 'visitorError',
  searchInfo: 'searchContent',
}

/**
 * A decimal as Java's `Double.toString` renders it (§6.1): at least one decimal (`77` → `"77.0"`),
 * and scientific notation outside 10^-3..10^7 (`12345678.9` → `"1.23456789E7"`).
 */
export function javaDouble(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const plain = String(value)
    return plain.includes('.') ? plain : `${plain}.0`
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e')
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`
}

const double = (value: number | undefined): string | null => (value === undefined ? null : javaDouble(value))
/** An integer as plain digits. */
const digits = (value: number | undefined): string | null => (value === undefined ? null : String(value))
const text = (value: string | undefined): string | null => value ?? null

type Stamps = { serverTimeStamp: string | null; originalTimeStamp: string | null }

function product(item: SdeProduct): Record<string, unknown> {
  return { name: text(item.name), category: text(item.category), sku: text(item.sku), price: double(item.price) }
}

const cartProducts = (items: readonly SdeCartItem[]) =>
  items.map((item) => ({ quantity: digits(item.quantity), product: product(item.product) }))

const dateParts = (date: SdeDate | undefined) =>
  date === undefined ? null : { year: digits(date.year), month: digits(date.month), day: digits(date.day) }

/** The attribute under its response key, all fields present, leaves as strings (§6.1). */
function responseValue(attribute: EngagementAttribute, stamps: Stamps): Record<string, unknown> {
  switch (attribute.type) {
    case 'cart':
      return {
        ...stamps,
        total: double(attribute.total),
        currency: text(attribute.currency),
        numItems: digits(attribute.numItems),
        products: cartProducts(attribute.products),
      }
    case 'purchase': {
      const cart = attribute.cart
      return {
        total: double(attribute.total),
        currency: text(attribute.currency),
        ...stamps,
        orderId: text(attribute.orderId),
        cart:
          cart === undefined
            ? null
            : {
                total: double(cart.total),
                currency: text(cart.currency),
                serverTimeStamp: null,
                originalTimeStamp: null,
                numItems: digits(cart.numItems),
                products: cartProducts(cart.products),
              },
      }
    }
    case 'prodView':
      return {
        ...stamps,
        currency: text(attribute.currency),
        products: attribute.products.map((item) => ({
          product: {
            ...product(item.product),
            statusInStock: text(item.product.statusInStock),
            quantityInStock: item.product.quantityInStock ?? null,
          },
        })),
      }
    case 'ctmrinfo': {
      const info = attribute.info
      return {
        ...stamps,
        customerInfo: {
          customerStatus: text(info.cstatus),
          customerType: text(info.ctype),
          balance: double(info.balance),
          currency: text(info.currency),
          customerId: text(info.customerId),
          socialId: text(info.socialId),
          imei: text(info.imei),
          userName: text(info.userName),
          accountName: text(info.accountName),
          role: text(info.role),
          companyBranch: text(info.companyBranch),
          storeNumber: text(info.storeNumber),
          storeZipCode: text(info.storeZipCode),
          companySize: digits(info.companySize),
          lastPaymentDate: dateParts(info.lastPaymentDate),
          registrationDate: dateParts(info.registrationDate),
        },
      }
    }
    case 'mrktInfo':
      return {
        ...stamps,
        marketingCampaignInfo: {
          originatingChannel: digits(attribute.info.channel),
          affiliate: text(attribute.info.affiliate),
          campaignId: text(attribute.info.campaignId),
        },
      }
    case 'personal': {
      const personal = attribute.personal
      const age = personal.age
      return {
        ...stamps,
        personalInfo: {
          name: text(personal.firstname),
          surname: text(personal.lastname),
          gender: personal.gender ?? null,
          company: text(personal.company),
          language: text(personal.language),
          customerAge:
            age === undefined
              ? null
              : {
                  customerAgeInYears: double(age.age),
                  customerYearOfBirth: digits(age.year),
                  customerMonthOfBirth: digits(age.month),
                  customerDateOfBirth: digits(age.day),
                },
          contacts: (personal.contacts ?? []).map((contact) => ({
            personalContact: {
              email: text(contact.email),
              phone: text(contact.phone),
              ...(contact.address === undefined
                ? {}
                : { address: { country: text(contact.address.country), region: text(contact.address.region) } }),
            },
          })),
        },
      }
    }
    case 'lead':
      return {
        lead: {
          topic: text(attribute.lead.topic),
          value: double(attribute.lead.value),
          currency: text(attribute.lead.currency),
          leadId: text(attribute.lead.leadId),
        },
        ...stamps,
      }
    case 'service':
      return {
        ...stamps,
        serviceActivity: {
          topic: text(attribute.service.topic),
          status: digits(attribute.service.status),
          category: text(attribute.service.category),
          serviceId: text(attribute.service.serviceId),
        },
      }
    case 'error':
      return {
        ...stamps,
        visitorError: {
          contextId: text(attribute.error.contextId),
          message: text(attribute.error.message),
          code: text(attribute.error.code),
          level: digits(attribute.error.level),
          resolved: attribute.error.resolved === undefined ? null : String(attribute.error.resolved),
        },
      }
    case 'searchInfo':
      return { ...stamps, keywords: [...attribute.keywords] }
  }
}

/**
 * One stored attribute as an Engagement History `sdes.events` element (engagement-history.md
 * §6.1, Decision D5): the response key holding the attribute, then `serverTimeStamp`,
 * `originalTimeStamp` (both the receive time), `sdeType` and `isAuthenticated`.
 */
export function toHistoryEvent(
  stored: Pick<StoredEngagementAttribute, 'attribute' | 'receivedAt' | 'isAuthenticated'>,
): SdeEvent {
  const stamp = String(stored.receivedAt)
  const key = SDE_RESPONSE_KEYS[stored.attribute.type]
  return {
    [key]: responseValue(stored.attribute, { serverTimeStamp: stamp, originalTimeStamp: stamp }),
    serverTimeStamp: stamp,
    originalTimeStamp: stamp,
    sdeType: SDE_TYPES[key],
    isAuthenticated: stored.isAuthenticated,
  }
}

/** A26's documents (agent-api.md §8): numbers stay numbers, unreported fields are left out. */
export interface ParticipantInfo {
  authenticatedParticipantInfo: Record<string, unknown>
  authenticatedPersonalInfo: Record<string, unknown>
}

const present = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))

/**
 * The Agent API's participant info (agent-api.md A26) from the visitor's latest customer-info
 * (`ctmrinfo`) and personal-info (`personal`) attributes: the response names of §10.3 without the
 * nesting, values as reported (numbers as numbers).
 */
export function toParticipantInfo(participantId: string, attributes: readonly EngagementAttribute[]): ParticipantInfo {
  const latest = <T extends EngagementAttribute>(type: T['type']): T | undefined =>
    attributes.findLast((attribute): attribute is T => attribute.type === type)
  const customer = latest<CustomerInfoAttribute>('ctmrinfo')?.info
  const personal = latest<PersonalInfoAttribute>('personal')?.personal
  const age = personal?.age
  return {
    authenticatedParticipantInfo: {
      isUserAuthenticated: true,
      participantId,
      ...(customer === undefined
        ? {}
        : present({
            customerId: customer.customerId,
            customerStatus: customer.cstatus,
            customerType: customer.ctype,
            balance: customer.balance,
            currency: customer.currency,
            socialId: customer.socialId,
            imei: customer.imei,
            userName: customer.userName,
            accountName: customer.accountName,
            role: customer.role,
            companyBranch: customer.companyBranch,
            storeNumber: customer.storeNumber,
            storeZipCode: customer.storeZipCode,
            companySize: customer.companySize,
            lastPaymentDate: customer.lastPaymentDate && present({ ...customer.lastPaymentDate }),
            registrationDate: customer.registrationDate && present({ ...customer.registrationDate }),
          })),
    },
    authenticatedPersonalInfo:
      personal === undefined
        ? {}
        : present({
            name: personal.firstname,
            surname: personal.lastname,
            gender: personal.gender,
            company: personal.company,
            language: personal.language,
            customerAge:
              age &&
              present({
                customerAgeInYears: age.age,
                customerYearOfBirth: age.year,
                customerMonthOfBirth: age.month,
                customerDateOfBirth: age.day,
              }),
            contacts: personal.contacts?.map((contact) =>
              present({
                email: contact.email,
                phone: contact.phone,
                address: contact.address && present({ ...contact.address }),
              }),
            ),
          }),
  }
}
