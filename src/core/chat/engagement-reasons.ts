/**
 * The engagement `endReason` codes the engine writes (engagement-history.md §5.9; descriptions in
 * core/history/reasons.ts), by name.
 */
export const END_REASON = {
  /** An agent-targeted transfer ended the engagement. */
  transferToAgent: '101',
  /** A skill transfer ended the engagement. */
  transferToSkill: '106',
  /** The agent ended the chat. */
  agentEnded: '201',
  /** The agent's last session ended: the chat went back to the queue. */
  agentDisconnected: '202',
  /** Inactivity or maxWaitTime ended the chat. */
  visitorGone: '208',
  /** The visitor ended the chat. */
  visitorEnded: '210',
} as const

/** The engagement `startReason` codes the engine writes, by name. */
export const START_REASON = {
  visitorRequest: '0',
  transfer: '1',
  acdAttempt: '3',
  skillReassign: '6',
} as const

export type EndReason = (typeof END_REASON)[keyof typeof END_REASON]
export type StartReason = (typeof START_REASON)[keyof typeof START_REASON]
