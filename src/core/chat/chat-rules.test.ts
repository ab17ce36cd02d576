import { describe, expect, it } from 'vitest'
import type { Survey } from '../account-config/account-config.types.ts'
import type { ChatEvent } from './chat.types.ts'
import { createKeyedMutex } from './keyed-mutex.ts'
import { mergeCustomVariables, parseChatRequest } from './request-fields.ts'
import { surveyItemsOf } from './survey-items.ts'
import { systemMessage } from './system-messages.ts'
import { visibleEvents } from './visibility.ts'

const defaults = { visitorIp: '10.0.0.1', userAgent: 'UA' }

describe('parseChatRequest (chat-api.md §7)', () => {
  it('reads a wrapped, an unwrapped and an empty request alike', () => {
    expect(parseChatRequest({ request: { skill: 'Sales' } }, defaults).skillName).toBe('Sales')
    expect(parseChatRequest({ skill: 'Sales' }, defaults).skillName).toBe('Sales')
    expect(parseChatRequest(undefined, defaults)).toMatchObject({
      maxWaitTime: null,
      chatTimeout: 40,
      language: 'en-US',
      campaignId: null,
      customVariables: [],
      fields: { visitorIp: '10.0.0.1', userAgent: 'UA', chatReferrer: '', preChatLines: [] },
    })
  })

  it('clamps interactionTimeout to 10..86400, validates maxWaitTime, accepts numbers as strings', () => {
    expect(parseChatRequest({ interactionTimeout: 3 }, defaults).chatTimeout).toBe(10)
    expect(parseChatRequest({ interactionTimeout: '999999' }, defaults).chatTimeout).toBe(86_400)
    expect(parseChatRequest({ maxWaitTime: '0' }, defaults).maxWaitTime).toBe(0)
    expect(() => parseChatRequest({ maxWaitTime: -1 }, defaults)).toThrow(/maxWaitTime/)
    expect(() => parseChatRequest({ maxWaitTime: 1.5 }, defaults)).toThrow(/maxWaitTime/)
    expect(() => parseChatRequest({ request: 'x' }, defaults)).toThrow(/request/)
  })

  it('uses serviceQueue only without skill, and keeps ids and monitoring fields', () => {
    const parsed = parseChatRequest(
      {
        serviceQueue: 'Queue',
        skillId: '12',
        agent: 'nat',
        visitorId: '1214701440733986',
        LETagVisitorId: 'v',
        LETagSessionId: 's',
        LETagContextId: 2,
        engagementId: 27469613,
        campaignId: '26948813',
        participantId: 'p',
        visitorIp: '1.1.1.1',
        chatReferrer: 'https://x',
        survey: { id: 5, question: { id: 6, answer: ['a', 'b'] } },
      },
      defaults,
    )
    expect(parsed).toMatchObject({ skillName: 'Queue', skillId: 12, agentLogin: 'nat', visitorId: '1214701440733986' })
    expect(parsed.campaignEngagementId).toBe('27469613')
    expect(parsed.campaignId).toBe('26948813')
    expect(parsed.fields).toMatchObject({
      sharkVisitorId: 'v',
      sharkSessionId: 's',
      sharkContextId: '2',
      participantId: 'p',
      visitorIp: '1.1.1.1',
      chatReferrer: 'https://x',
      survey: { id: 5, answers: [{ id: 6, answers: ['a', 'b'] }] },
    })
    expect(parseChatRequest({ skill: 'Sales', serviceQueue: 'Queue' }, defaults).skillName).toBe('Sales')
  })

  it('accepts every preChatLines and customVariables shape', () => {
    for (const preChatLines of [{ line: ['a', 'b'] }, { lines: ['a', 'b'] }, ['a', 'b']])
      expect(parseChatRequest({ preChatLines }, defaults).fields.preChatLines).toEqual(['a', 'b'])
    expect(parseChatRequest({ preChatLines: { line: 'a' } }, defaults).fields.preChatLines).toEqual(['a'])
    expect(
      parseChatRequest({ customVariables: { customVariable: { name: 'a', value: 1 } } }, defaults).customVariables,
    ).toEqual([{ name: 'a', value: '1' }])
    expect(() => parseChatRequest({ customVariables: { customVariable: [{ value: 'x' }] } }, defaults)).toThrow(/name/)
    expect(
      mergeCustomVariables(
        [{ name: 'a', value: '1' }],
        [
          { name: 'a', value: '2' },
          { name: 'b', value: '3' },
        ],
      ),
    ).toEqual([
      { name: 'a', value: '2' },
      { name: 'b', value: '3' },
    ])
  })
})

describe('system messages (chat-api.md §13)', () => {
  it('fills the agent name and falls back to en-US for unknown languages', () => {
    expect(systemMessage('en-US', 3, { agentName: 'Natalie' })).toBe('You are now chatting with Natalie.')
    expect(systemMessage('fr-FR', 5)).toBe('Thank you for chatting with us.')
    expect(systemMessage('en-GB', 23)).toBe(
      'Your chat has been returned to the queue. An agent will be with you shortly.',
    )
  })
})

describe('visibleEvents', () => {
  it('hides ONLY_TO_REP lines from the visitor and shows everything to agents', () => {
    const events: ChatEvent[] = [
      { id: 0, type: 'state', time: 0, sequence: 0, state: 'chatting' },
      {
        id: 1,
        type: 'line',
        time: 0,
        sequence: 0,
        source: 'agent',
        by: 'A',
        textType: 'plain',
        text: 'x',
        subType: 'ONLY_TO_REP',
      },
      {
        id: 2,
        type: 'line',
        time: 0,
        sequence: 0,
        source: 'agent',
        by: 'A',
        textType: 'plain',
        text: 'y',
        subType: 'REGULAR',
      },
    ]
    expect(visibleEvents(events, 'visitor').map((event) => event.id)).toEqual([0, 2])
    expect(visibleEvents(events, 'agent').map((event) => event.id)).toEqual([0, 1, 2])
  })
})

describe('createKeyedMutex', () => {
  it('runs work of one key one at a time, in call order, even when some fails', async () => {
    const mutex = createKeyedMutex()
    const order: string[] = []
    const task =
      (name: string, fail = false) =>
      async (): Promise<string> => {
        order.push(`start ${name}`)
        await new Promise((resolve) => setImmediate(resolve))
        order.push(`end ${name}`)
        if (fail) throw new Error(name)
        return name
      }
    const results = await Promise.allSettled([
      mutex.run('k', task('a', true)),
      mutex.run('k', task('b')),
      mutex.run('other', task('c')),
    ])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled'])
    expect(order.indexOf('end a')).toBeLessThan(order.indexOf('start b'))
    expect(order.indexOf('start c')).toBeLessThan(order.indexOf('end a'))
  })
})

describe('surveyItemsOf (engagement-history.md §5.4)', () => {
  it('maps answers to entry indexes, free text to -1, empty to 0, unknown values to -2', () => {
    const survey: Survey = {
      id: 9,
      accountId: 'a',
      deleted: false,
      updatedAt: 0,
      name: 'Exit',
      type: 'exit',
      header: '',
      skillIds: [],
      isDefault: false,
      questions: [
        {
          id: 2,
          logicId: 2,
          order: 1,
          type: 'Checkbox',
          label: 'Liked?',
          mandatory: false,
          validationType: 'alpha_numeric',
          entries: ['a', 'b', 'c'].map((value) => ({ value, displayValue: value, checked: false, showLogicIds: [] })),
        },
        {
          id: 1,
          logicId: 1,
          order: 0,
          type: 'Text Area',
          label: 'Comment',
          mandatory: false,
          validationType: 'alpha_numeric',
          entries: [],
        },
      ],
    }
    const items = surveyItemsOf(
      survey,
      [
        { id: 2, answers: ['c', 'zzz', ''] },
        { id: 1, answers: ['great'] },
      ],
      'Exit',
      Date.UTC(2026, 0, 1),
    )
    expect(items).toEqual([
      {
        scope: 'Session',
        source: 'Exit',
        displayName: 'Comment',
        value: 'great',
        values: ['great'],
        answersId: [-1],
        name: 'Exit',
        time: '2026-01-01 00:00:00.000+0000',
        timeL: Date.UTC(2026, 0, 1),
        questionID: 1,
        surveyID: 9,
      },
      expect.objectContaining({ questionID: 2, value: 'c,zzz,', values: ['c', 'zzz', ''], answersId: [3, -2, 0] }),
    ])
  })
})
