import { coBrowseSessionsRepository } from '../../storage/repositories/cobrowse-sessions.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { CoBrowseSession } from '../history/record.types.ts'
import { formatHistoryTime } from '../time.ts'
import type { CoBrowseSessionState } from './cobrowse.types.ts'

/** One ended session as an Engagement History `coBrowseSessionsList` item (engagement-history.md §5.7). */
export function coBrowseRecordItem(session: CoBrowseSessionState & { endedAt: number }): CoBrowseSession {
  const interactive = session.interactiveAt !== null
  return {
    sessionId: session.sessionId,
    startTime: formatHistoryTime(session.startedAt),
    startTimeL: session.startedAt,
    endTime: formatHistoryTime(session.endedAt),
    endTimeL: session.endedAt,
    ...(session.interactiveAt === null
      ? {}
      : { interactiveTime: formatHistoryTime(session.interactiveAt), interactiveTimeL: session.interactiveAt }),
    endReason: session.endReason ?? 'UNKOWN',
    duration: Math.max(0, session.endedAt - session.startedAt),
    interactive,
  }
}

/**
 * The `coBrowseSessionsList` of an ended engagement: first ends its sessions still open, at the
 * engagement's end with reason `SERVER`, then lists them all in start order.
 */
export async function coBrowseRecordSessions(
  db: Executor,
  engagement: { chatKey: string; sequence: number; endedAt: number },
): Promise<CoBrowseSession[]> {
  await coBrowseSessionsRepository.endOpen(db, engagement.chatKey, engagement.sequence, engagement.endedAt, 'SERVER')
  const sessions = await coBrowseSessionsRepository.list(db, engagement.chatKey, engagement.sequence)
  return sessions.flatMap((session) =>
    session.endedAt === null ? [] : [coBrowseRecordItem({ ...session, endedAt: session.endedAt })],
  )
}
