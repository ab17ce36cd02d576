/** Why a co-browse session ended (engagement-history.md §5.7; `UNKOWN` is LivePerson's spelling). */
export type CoBrowseEndReason = 'UNKOWN' | 'SERVER' | 'VISITOR' | 'AGENT' | 'TIMEOUT'

export const CO_BROWSE_END_REASONS: readonly CoBrowseEndReason[] = ['UNKOWN', 'SERVER', 'VISITOR', 'AGENT', 'TIMEOUT']

/** One co-browse session of a live chat (docs/cobrowse.md); times are epoch ms. */
export interface CoBrowseSessionState {
  sessionId: string
  accountId: string
  chatKey: string
  /** The engagement (segment) active when the session started; its record lists the session. */
  sequence: number
  agentUserId: number
  startedAt: number
  /** When it became interactive; null while view-only. */
  interactiveAt: number | null
  endedAt: number | null
  endReason: CoBrowseEndReason | null
}
