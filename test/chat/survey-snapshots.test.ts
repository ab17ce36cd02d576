import { beforeEach, expect, it } from 'vitest'
import { SYSTEM_CALLER, type Survey, type SurveyInput } from '../../src/core/account-config/account-config.types.ts'
import type { ChatService } from '../../src/core/chat/chat.service.ts'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import {
  archivedRecord,
  createFakeDirectory,
  createLiveAccount,
  createTestChatService,
  type LiveAccount,
} from '../support/live-chat.ts'

const context = { visitorIp: '203.0.113.9', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0' }

// Issue 11 item 9: answers are archived with the questions as they were asked, whatever the
// survey's configuration says when the record is archived (or archived again).
describeEachDialect('survey answers archived as asked', (dialect) => {
  const ctx = useTestApp(dialect)
  let chats: ChatService
  let account: LiveAccount
  let natalie: number
  const scope = () => ({ accountId: account.accountId })

  beforeEach(async () => {
    const directory = createFakeDirectory()
    chats = createTestChatService(ctx, directory)
    account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    natalie = account.agents[0]!.userId
    directory.agents = account.agents.map((agent) => ({ ...agent }))
  })

  const create = async (input: SurveyInput): Promise<Survey> =>
    (await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope(), input)).value
  /** PUT: the survey with these questions (ids given: the same questions relabelled; none: new ones). */
  const replace = async (survey: Survey, input: SurveyInput): Promise<Survey> =>
    (await ctx.services.accountConfig.surveys.update(SYSTEM_CALLER, scope(), survey.id, input)).value
  const record = async (rtSessionId: number): Promise<EngagementRecord> => {
    const [found] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${rtSessionId}`)
    expect(found).toBeDefined()
    return found!
  }
  const asked = (items: EngagementRecord['surveys']['preChat']) =>
    items.map((item) => [item.questionID, item.displayName, item.value, item.answersId])

  const preChatInput: SurveyInput = {
    name: 'Before chat',
    type: 'preChat',
    questions: [
      { type: 'Text Field', label: 'Your name?' },
      { type: 'Dropdown Box', label: 'Topic?', entries: [{ value: 'cats' }, { value: 'dogs' }] },
    ],
  }

  it('keeps the pre-chat answers of a chat whose survey had its questions replaced while it ran', async () => {
    const survey = await create(preChatInput)
    const [name, topic] = survey.questions
    const chat = await chats.requestChat(
      account.accountId,
      {
        request: {
          skill: 'Sales',
          survey: {
            id: survey.id,
            question: [
              { id: name!.id, answer: 'Jo' },
              { id: topic!.id, answer: 'dogs' },
            ],
          },
        },
      },
      context,
    )
    await chats.acceptChat(account.accountId, natalie)
    const replaced = await replace(survey, {
      ...preChatInput,
      questions: [{ type: 'Text Field', label: 'Order number?' }],
    })
    expect(replaced.questions.map((question) => question.id)).not.toContain(name!.id)
    await chats.endByVisitor(account.accountId, chat.key)

    const archived = await record(chat.rtSessionId)
    expect(asked(archived.surveys.preChat)).toEqual([
      [name!.id, 'Your name?', 'Jo', [-1]],
      [topic!.id, 'Topic?', 'dogs', [2]],
    ])
    expect(archived.surveys.preChat.every((item) => item.name === 'Before chat' && item.source === 'Pre-Chat')).toBe(
      true,
    )
    expect(archived.info.isPreChatSurvey).toBe(true)
  })

  it('re-archiving after an exit survey keeps the labels the earlier answers were given under', async () => {
    const pre = await create(preChatInput)
    const agentInput: SurveyInput = {
      name: 'Wrap-up',
      type: 'agent',
      questions: [{ type: 'Radio Button', label: 'Resolved?', entries: [{ value: 'yes' }, { value: 'no' }] }],
    }
    const exitInput: SurveyInput = {
      name: 'Exit',
      type: 'exit',
      questions: [{ type: 'Radio Button', label: 'Happy?', entries: [{ value: 'yes' }, { value: 'no' }] }],
    }
    const agentSurvey = await create(agentInput)
    const exit = await create(exitInput)
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', survey: { id: pre.id, question: { id: pre.questions[0]!.id, answer: 'Jo' } } } },
      context,
    )
    await chats.acceptChat(account.accountId, natalie)
    const answer = (survey: Survey, value: string) => ({
      survey: { id: survey.id, question: { id: survey.questions[0]!.id, answer: value } },
    })
    await chats.submitAgentSurvey(account.accountId, natalie, chat.key, answer(agentSurvey, 'no'))
    await chats.endByVisitor(account.accountId, chat.key)
    const first = await record(chat.rtSessionId)
    expect(asked(first.surveys.preChat)).toEqual([[pre.questions[0]!.id, 'Your name?', 'Jo', [-1]]])
    expect(asked(first.surveys.operator)).toEqual([[agentSurvey.questions[0]!.id, 'Resolved?', 'no', [2]]])

    // Every survey is relabelled (same question ids, other labels, an entry renamed, a new name).
    const relabel = (survey: Survey, input: SurveyInput) =>
      replace(survey, {
        ...input,
        name: `${input.name} v2`,
        questions: survey.questions.map((question) => ({
          id: question.id,
          type: question.type,
          label: `${question.label} (new)`,
          entries: question.entries.map((entry) => ({ value: entry.value === 'no' ? 'nope' : entry.value })),
        })),
      })
    await relabel(pre, preChatInput)
    await relabel(agentSurvey, agentInput)
    const exitNow = await relabel(exit, exitInput)

    // The exit survey, submitted after the end, archives the record again.
    await chats.submitExitSurvey(account.accountId, chat.key, answer(exitNow, 'yes'))
    const again = await record(chat.rtSessionId)
    expect(again.surveys.preChat).toEqual(first.surveys.preChat)
    expect(again.surveys.operator).toEqual(first.surveys.operator)
    expect(asked(again.surveys.postChat)).toEqual([[exit.questions[0]!.id, 'Happy? (new)', 'yes', [1]]])
    expect(again.surveys.postChat[0]!.name).toBe('Exit v2')
  })
})
