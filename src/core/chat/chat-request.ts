import { ParleyError } from '../errors.ts'
import { checkPreChatAnswers, rememberVisitorAnswers } from '../surveys/surveys.service.ts'
import { nameKey } from '../text/name-key.ts'
import { accountsRepository } from '../../storage/repositories/accounts.repository.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import { allocateEvents, preChatLine, stateEvent, systemLine } from './chat-events.ts'
import type { ChatEngineParts } from './chat-engine-parts.ts'
import { newChatKey, newVisitorId } from './chat-keys.ts'
import { startedEngagement } from './chat-transitions.ts'
import type { ChatService } from './chat-service.types.ts'
import type { Chat } from './chat.types.ts'
import { START_REASON } from './engagement-reasons.ts'
import { idempotencyScopes } from './idempotency.ts'
import { parseChatRequest } from './request-fields.ts'
import { resolveSkillId } from './skill-lookup.ts'
import { answeredSurvey } from './survey-items.ts'
import { SYSTEM_MESSAGE } from './system-messages.ts'

/** V7 (ChatService.requestChat): a new waiting chat with events 0..n, then routing. */
export function createChatRequest(parts: ChatEngineParts): ChatService['requestChat'] {
  const { db, uow, clock, ids, reads, transitions, sections, routing } = parts
  return async (accountId, body, context, idempotency) => {
    const parsed = parseChatRequest(body, context)
    const keyId = idempotency && {
      accountId,
      scope: idempotencyScopes.chatRequest(idempotency.credential),
      key: idempotency.key,
    }
    const replay = async (ref: string): Promise<Chat> =>
      (await chatsRepository.findChat(db, ref)) ?? reads.loadChat(accountId, ref)
    if (!(await accountsRepository.findById(db, accountId)))
      throw new ParleyError('ACCOUNT_NOT_FOUND', `Account ${accountId} not found`)
    // A pre-chat answer's skill (runWithRules, docs/surveys.md) wins over the requested skill.
    const preChat = await checkPreChatAnswers(db, accountId, parsed.fields.survey, parsed.runWithRules)
    const skillId = preChat?.skillId ?? (await resolveSkillId(db, accountId, parsed.skillName, parsed.skillId))
    const requestedAgentId =
      parsed.agentLogin === undefined
        ? null
        : ((await usersRepository.findActiveIdByLogin(db, accountId, nameKey(parsed.agentLogin))) ?? null)
    return transitions.idempotent(
      keyId,
      (claim) =>
        sections.mutate(accountId, async () => {
          const now = clock.now()
          const key = newChatKey(ids)
          const specs = [
            stateEvent('waiting'),
            systemLine({ language: parsed.language }, SYSTEM_MESSAGE.welcome),
            ...parsed.fields.preChatLines.map(preChatLine),
          ]
          const chat: Chat = await uow.withTransaction(async (tx) => {
            const rtSessionId = await chatsRepository.nextRtSessionId(tx, accountId)
            const draft: Chat = {
              key,
              accountId,
              state: 'waiting',
              skillId,
              requestedAgentId,
              targetAgentId: null,
              language: parsed.language,
              visitorId: parsed.visitorId ?? newVisitorId(ids),
              campaignId: parsed.campaignId,
              campaignEngagementId: parsed.campaignEngagementId,
              maxWaitTime: parsed.maxWaitTime,
              chatTimeout: parsed.chatTimeout,
              request: parsed.fields,
              customVariables: parsed.customVariables,
              visitorName: null,
              visitorTyping: false,
              agentTyping: false,
              agentUserId: null,
              agentNickname: null,
              ringingUserId: null,
              ringStartedAt: null,
              ringSkipped: [],
              sequence: 0,
              rtSessionId,
              waitingSince: now,
              requestedAt: now,
              lastUpdate: now,
              nextEventId: 0,
              endedAt: null,
              endEventId: null,
            }
            const { events, nextEventId } = allocateEvents(draft, specs, now)
            const created = { ...draft, nextEventId }
            await chatsRepository.insertChat(tx, created)
            await chatsRepository.insertEvents(tx, key, events)
            await chatsRepository.insertEngagement(tx, startedEngagement(created, START_REASON.visitorRequest, now))
            if (parsed.fields.survey)
              await rememberVisitorAnswers(tx, accountId, created.visitorId, parsed.fields.survey, now)
            // Archived from this snapshot: a later edit of the survey changes no answer given (issue 11).
            if (preChat)
              await chatsRepository.replaceSurveyAnswers(
                tx,
                key,
                answeredSurvey('preChat', 0, preChat.survey, preChat.answers, null, now),
              )
            await claim?.(tx, key)
            transitions.announce(tx, created)
            return created
          })
          await routing.routeSafely(accountId)
          return (await chatsRepository.findChat(db, chat.key)) ?? chat
        }),
      replay,
    )
  }
}
