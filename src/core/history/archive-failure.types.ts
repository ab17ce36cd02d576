/** An ended engagement whose Engagement History record could not be archived (docs/live-chat.md). */
export interface ArchiveFailure {
  chatKey: string
  sequence: number
  accountId: string
  /** `accountId` + rtSessionId, as Engagement History shows it. */
  engagementId: string
  attempts: number
  /** The last attempt's error message (never line text: messages come from code, not data). */
  lastError: string
  firstFailedAt: number
  lastFailedAt: number
  /** When the timers try again; `null` once set aside. */
  nextAttemptAt: number | null
  /** When it was set aside (dead-lettered); `null` while it is still retried. */
  deadAt: number | null
}
