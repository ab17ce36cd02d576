import type { Campaign, CampaignBody, Engagement, EngagementBody, Reference } from '../api/campaigns.ts'
import { ApiError } from '../api/http.ts'

/**
 * The campaign and engagement forms' values, apart from their views. Dates travel as the API's
 * `yyyy-MM-dd HH:mm:ss`; the form edits them in a `datetime-local` input.
 */

export const NO_SKILL = -1
export const NO_LOB = -1

export function newCampaign(goalId: number, defaultProfiles: number[]): CampaignBody {
  return {
    name: '',
    description: '',
    goalId,
    lobId: NO_LOB,
    status: 1,
    visitorProfiles: defaultProfiles,
    startDate: null,
    expirationDate: null,
  }
}

export function campaignBody(campaign: Campaign): CampaignBody {
  const { name, description, goalId, lobId, status, visitorProfiles, startDate, expirationDate } = campaign
  return { name, description, goalId, lobId, status, visitorProfiles, startDate, expirationDate }
}

export function newEngagement(defaultBehaviors: number[]): EngagementBody {
  return {
    name: '',
    description: '',
    enabled: true,
    channel: 1,
    skillId: NO_SKILL,
    visitorBehaviors: defaultBehaviors,
    agentNote: '',
  }
}

export function engagementBody(engagement: Engagement): EngagementBody {
  const { name, description, enabled, channel, skillId, visitorBehaviors, agentNote } = engagement
  return { name, description, enabled, channel, skillId, visitorBehaviors, agentNote }
}

/** `2026-12-24 18:00:00` → `2026-12-24T18:00:00` for a datetime-local input. */
export const toLocalInput = (date: string | null): string => (date ? date.replace(' ', 'T') : '')

/** A datetime-local value (seconds optional) → the API's format; empty → null. */
export function fromLocalInput(value: string): string | null {
  if (value === '') return null
  const withSeconds = /T\d{2}:\d{2}$/.test(value) ? `${value}:00` : value
  return withSeconds.replace('T', ' ')
}

/** A validation failure: the field it names (body prefix and indexes dropped) and the rest of the message. */
export function fieldError(message: string): { field: string; text: string } | undefined {
  const match = /^(?:body\.)?([A-Za-z]\w*)[\w.[\]]*:\s*(.*)$/s.exec(message)
  return match?.[1] ? { field: match[1], text: match[2] ?? message } : undefined
}

/** The references the campaign and engagement forms choose from. */
export interface CampaignReferences {
  goals: Reference[]
  lobs: Reference[]
  visitorProfiles: Reference[]
  visitorBehaviors: Reference[]
  skills: Reference[]
}

/** Messages of a form: beside a field, or for the form as a whole. */
export interface FormMessages {
  fields: Record<string, string>
  form: string
}
export const NO_MESSAGES: FormMessages = { fields: {}, form: '' }

/** A failed write as form messages; a 412 is left to the caller (it reloads). */
export function messagesOf(failure: unknown): FormMessages {
  const message = failure instanceof Error ? failure.message : String(failure)
  const named = failure instanceof ApiError && failure.kind === 'invalid' ? fieldError(message) : undefined
  return named ? { fields: { [named.field]: named.text }, form: '' } : { fields: {}, form: message }
}
