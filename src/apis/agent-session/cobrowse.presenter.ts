import type { CoBrowseSessionState } from '../../core/cobrowse/cobrowse.types.ts'
import { formatHistoryTime } from '../../core/time.ts'
import type { WireNode } from '../../http/wire/codec.ts'
import { COLLAPSE, link, type Presented } from '../chat/chat-links.ts'

/** `{agent chat URL}/coBrowseSessions`. */
export const coBrowseSessionsUrl = (chatUrl: string): string => `${chatUrl}/coBrowseSessions`

/**
 * One session: its `self` link, `sessionId`, `state` (`active` or `ended`), `interactive`, and the
 * Engagement History item's times (`yyyy-MM-dd HH:mm:ss.SSS+0000` and epoch ms twins); the end
 * fields and `duration` (milliseconds) once ended, `interactiveTime` once interactive.
 */
function sessionNode(session: CoBrowseSessionState, chatUrl: string): WireNode {
  return {
    link: link(`${coBrowseSessionsUrl(chatUrl)}/${session.sessionId}`, 'self', 'attribute'),
    sessionId: session.sessionId,
    state: session.endedAt === null ? 'active' : 'ended',
    interactive: session.interactiveAt !== null,
    startTime: formatHistoryTime(session.startedAt),
    startTimeL: session.startedAt,
    ...(session.interactiveAt === null
      ? {}
      : { interactiveTime: formatHistoryTime(session.interactiveAt), interactiveTimeL: session.interactiveAt }),
    ...(session.endedAt === null
      ? {}
      : {
          endTime: formatHistoryTime(session.endedAt),
          endTimeL: session.endedAt,
          endReason: session.endReason ?? 'UNKOWN',
          duration: Math.max(0, session.endedAt - session.startedAt),
        }),
  }
}

/** `{"coBrowseSession": {...}}`: the answer to start, GET one and change. */
export const presentCoBrowseSession = (session: CoBrowseSessionState, chatUrl: string): Presented => ({
  document: { coBrowseSession: sessionNode(session, chatUrl) },
  render: COLLAPSE,
})

/**
 * `{"coBrowseSessions": {"link": {self}, "coBrowseSession": [...]}}`, oldest first; as in every
 * `@`-style LivePerson document one session is a bare object and none leaves the list absent.
 */
export const presentCoBrowseSessions = (sessions: readonly CoBrowseSessionState[], chatUrl: string): Presented => ({
  document: {
    coBrowseSessions: {
      link: link(coBrowseSessionsUrl(chatUrl), 'self', 'attribute'),
      coBrowseSession: sessions.length === 0 ? undefined : sessions.map((session) => sessionNode(session, chatUrl)),
    },
  },
  render: COLLAPSE,
})
