import type { CampaignInfo } from './record.types.ts'

/** Campaign section of an engagement without (known) campaign data (engagement-history.md §5.5). */
export const NO_CAMPAIGN: Readonly<CampaignInfo> = Object.freeze({
  campaignEngagementId: '-1',
  campaignEngagementName: 'NA',
  campaignId: '-1',
  campaignName: 'NA',
  goalId: '-1',
  goalName: 'NA',
  visitorBehaviorId: '-1',
  visitorBehaviorName: 'NA',
  visitorProfileId: '-1',
  visitorProfileName: 'NA',
  lobId: -1,
  lobName: 'NA',
  engagementAgentNote: '',
  behaviorSystemDefault: false,
  profileSystemDefault: false,
})
