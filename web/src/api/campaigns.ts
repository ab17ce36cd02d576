import type { HttpClient } from './http.ts'
import { configBase, readRevised, writeRevised, type Revised } from './config-revision.ts'

/**
 * Campaigns and their engagements (`le-campaigns`), with the goals, lines of business, visitor
 * profiles and behaviors they reference, through the account configuration API
 * (docs/account-config.md).
 */

export interface Campaign {
  id: number
  name: string
  description: string
  goalId: number
  /** -1: no line of business. */
  lobId: number
  /** 1 published, 0 unpublished. */
  status: number
  visitorProfiles: number[]
  /** `yyyy-MM-dd HH:mm:ss` or null. */
  startDate: string | null
  expirationDate: string | null
  engagementIds: number[]
  deleted: boolean
}
export type CampaignBody = Omit<Campaign, 'id' | 'engagementIds' | 'deleted'>

export interface Engagement {
  id: number
  campaignId: number
  name: string
  description: string
  enabled: boolean
  channel: number
  /** -1: unassigned (any agent). */
  skillId: number
  visitorBehaviors: number[]
  agentNote: string
  deleted: boolean
}
export type EngagementBody = Omit<Engagement, 'id' | 'campaignId' | 'deleted'>

export interface Reference {
  id: number
  name: string
  deleted?: boolean
  isDefault?: boolean
}

export function campaignsApi(http: HttpClient, accountId: string) {
  const config = configBase(accountId)
  const campaigns = `${config}/le-campaigns/campaigns`
  const engagements = (campaignId: number) => `${campaigns}/${campaignId}/engagements`
  const references = (path: string) => async () =>
    (await readRevised<Reference[]>(http, `${config}/${path}?select=id,name,deleted,isDefault`)).value
  return {
    list: () => readRevised<Campaign[]>(http, campaigns),
    create: (body: CampaignBody, revision: number): Promise<Revised<Campaign>> =>
      writeRevised(http, 'POST', campaigns, revision, body),
    update: (id: number, body: CampaignBody, revision: number): Promise<Revised<Campaign>> =>
      writeRevised(http, 'PUT', `${campaigns}/${id}`, revision, body),
    remove: (id: number, revision: number): Promise<Revised<unknown>> =>
      writeRevised(http, 'DELETE', `${campaigns}/${id}`, revision),
    engagements: (campaignId: number) => readRevised<Engagement[]>(http, engagements(campaignId)),
    createEngagement: (campaignId: number, body: EngagementBody, revision: number): Promise<Revised<Engagement>> =>
      writeRevised(http, 'POST', engagements(campaignId), revision, body),
    updateEngagement: (
      campaignId: number,
      id: number,
      body: EngagementBody,
      revision: number,
    ): Promise<Revised<Engagement>> => writeRevised(http, 'PUT', `${engagements(campaignId)}/${id}`, revision, body),
    removeEngagement: (campaignId: number, id: number, revision: number): Promise<Revised<unknown>> =>
      writeRevised(http, 'DELETE', `${engagements(campaignId)}/${id}`, revision),
    goals: references('le-goals/goals'),
    lobs: references('le-account/lobs'),
    visitorProfiles: references('le-targeting/visitor-profiles'),
    visitorBehaviors: references('le-targeting/visitor-behaviors'),
    skills: references('le-users/skills'),
  }
}

export type CampaignsApi = ReturnType<typeof campaignsApi>
