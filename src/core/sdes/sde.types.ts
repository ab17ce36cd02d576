/**
 * Engagement attributes (SDEs) as Parley keeps them: LivePerson's input types
 * (engagement-history.md §10.3), validated and normalised. Numbers are numbers, text is text,
 * a field the report did not carry is absent. The Engagement History shape (§6.1) and the Agent
 * API's participant info (agent-api.md A26) are derived from these by `sde-mapping.ts`.
 */

export interface SdeProduct {
  name?: string
  category?: string
  sku?: string
  price?: number
  statusInStock?: string
  quantityInStock?: number
}

export interface SdeCartItem {
  quantity?: number
  product: SdeProduct
}

export interface SdeDate {
  year?: number
  month?: number
  day?: number
}

export interface SdeAddress {
  country?: string
  region?: string
}

export interface SdeContact {
  email?: string
  phone?: string
  address?: SdeAddress
}

export interface CartAttribute {
  type: 'cart'
  total?: number
  currency?: string
  numItems?: number
  products: SdeCartItem[]
}

export interface PurchaseAttribute {
  type: 'purchase'
  total?: number
  currency?: string
  orderId?: string
  cart?: { total?: number; currency?: string; numItems?: number; products: SdeCartItem[] }
}

export interface ProductViewAttribute {
  type: 'prodView'
  currency?: string
  products: Array<{ product: SdeProduct }>
}

export interface CustomerInfoAttribute {
  type: 'ctmrinfo'
  info: {
    cstatus?: string
    ctype?: string
    customerId?: string
    balance?: number
    currency?: string
    socialId?: string
    imei?: string
    userName?: string
    companySize?: number
    companyBranch?: string
    accountName?: string
    role?: string
    storeNumber?: string
    storeZipCode?: string
    lastPaymentDate?: SdeDate
    registrationDate?: SdeDate
  }
}

export interface MarketingInfoAttribute {
  type: 'mrktInfo'
  info: { channel?: number; affiliate?: string; campaignId?: string }
}

/** Gender as the response spells it; inputs 0/1/2 are mapped on parsing. */
export type SdeGender = 'MALE' | 'FEMALE' | 'OTHER'

export interface PersonalInfoAttribute {
  type: 'personal'
  personal: {
    firstname?: string
    lastname?: string
    age?: { age?: number; year?: number; month?: number; day?: number }
    contacts?: SdeContact[]
    gender?: SdeGender
    company?: string
    language?: string
  }
}

export interface LeadAttribute {
  type: 'lead'
  lead: { topic?: string; value?: number; currency?: string; leadId?: string }
}

export interface ServiceAttribute {
  type: 'service'
  service: { topic?: string; status?: number; category?: string; serviceId?: string }
}

export interface ErrorAttribute {
  type: 'error'
  error: { contextId?: string; message?: string; code?: string; level?: number; resolved?: boolean }
}

export interface SearchInfoAttribute {
  type: 'searchInfo'
  keywords: string[]
}

/** One engagement attribute of any input type (engagement-history.md §10.3). */
export type EngagementAttribute =
  | CartAttribute
  | PurchaseAttribute
  | ProductViewAttribute
  | CustomerInfoAttribute
  | MarketingInfoAttribute
  | PersonalInfoAttribute
  | LeadAttribute
  | ServiceAttribute
  | ErrorAttribute
  | SearchInfoAttribute

export type EngagementAttributeType = EngagementAttribute['type']

/** One stored report: the attribute and when and for whom it arrived. */
export interface StoredEngagementAttribute {
  /** Store order: events are listed in the order received (§6.2). */
  id: number
  accountId: string
  /** The path's `{visitorId}`: a monitoring id (`LETagVisitorId`) or Parley's numeric visitor id. */
  visitorId: string
  /** The `sid` query parameter (monitoring session, `LETagSessionId`). */
  sessionId: string
  attribute: EngagementAttribute
  /** Epoch ms: both `serverTimeStamp` and `originalTimeStamp` (§10.2). */
  receivedAt: number
  /** Always false: Parley has no authenticated monitoring flow (§6.1). */
  isAuthenticated: boolean
}
