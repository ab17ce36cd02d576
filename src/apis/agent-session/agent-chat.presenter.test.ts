import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { renderJson, renderXml } from '../../http/wire/codec.ts'
import {
  presentAgentChat,
  presentAgentChats,
  presentAgentEvent,
  presentAgentEvents,
  presentAgentInfo,
  presentAgentSideAgentTyping,
  presentAgentSideVisitorName,
  presentAgentSideVisitorTyping,
  presentChatEventLocation,
  presentChatSessions,
} from './agent-chat.presenter.ts'
import type { Presented } from '../chat/chat-links.ts'
import type { ChatInfoView, EventView } from '../chat/chat-views.ts'

const json = (presented: Presented): string => renderJson(presented.document, presented.render)
const compact = (example: string, replacements: Record<string, string> = {}): string => {
  let text = example
  for (const [from, to] of Object.entries(replacements)) text = text.replaceAll(from, to)
  return JSON.stringify(JSON.parse(text))
}
const at = (iso: string): number => Date.parse(iso)
const OPTIONS = {
  base: { origin: 'https://{domain}', accountId: '{accountId}' },
  agentSessionId: '{agentSessionId}',
  timeZone: 'Europe/Moscow',
}
const KEY = 'H4709474615328845423-2767456311409308813K8414056'
const VISIT = 'H4709474615328845423K8414056'
const AGENT_CHAT = `https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/${KEY}`

const info: ChatInfoView = {
  state: 'chatting',
  chatSessionKey: KEY,
  skillName: 'Unassigned',
  skillId: -1,
  agentName: 'Agent Nick',
  agentId: 2,
  startTime: at('2015-08-30T18:06:02.001+03:00'),
  lastUpdate: at('2015-08-30T18:10:57.237+03:00'),
  chatTimeout: 40,
  visitorId: '1222309710121',
  agentTyping: false,
  visitorTyping: false,
  visitorName: null,
  rtSessionId: 4294992744,
  language: 'en-US',
}
const events: EventView[] = [
  { id: 2, type: 'state', time: at('2015-08-30T18:07:26.902+03:00'), state: 'chatting' },
  {
    id: 3,
    type: 'line',
    time: at('2015-08-30T18:07:26.903+03:00'),
    textType: 'plain',
    text: 'You are now chatting with Agent Nick.',
    by: 'info',
    source: 'system',
    systemMessageId: 3,
    subType: 'REGULAR',
  },
]
const whisper: EventView = {
  id: 4,
  type: 'line',
  time: at('2015-08-30T18:08:00.000+03:00'),
  textType: 'plain',
  text: 'This is a private message, only visible to agents',
  by: 'Agent Nick',
  source: 'agent',
  subType: 'ONLY_TO_REP',
}

describe('presentAgentChat (A12)', () => {
  const doc = () =>
    JSON.parse(json(presentAgentChat({ info, events: [...events, whisper], from: 2 }, OPTIONS))) as {
      chat: {
        link: Array<{ '@href': string; '@rel': string }>
        events: { link: Array<{ '@href': string; '@rel': string }>; event: Array<Record<string, unknown>> }
        info: Record<string, unknown> & { link: Array<{ '@href': string; '@rel': string }> }
      }
    }

  it('lists the nine links in the order of agent-api.md A12, on agent hrefs', () => {
    expect(doc().chat.link).toEqual([
      { '@href': AGENT_CHAT, '@rel': 'self' },
      { '@href': `${AGENT_CHAT}/events`, '@rel': 'events' },
      { '@href': `${AGENT_CHAT}/info`, '@rel': 'info' },
      { '@href': `${AGENT_CHAT}?from=5`, '@rel': 'next' },
      { '@href': `${AGENT_CHAT}/collaborationChannels`, '@rel': 'collaboration-channels' },
      {
        '@href': `https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/visits/visit/${VISIT}`,
        '@rel': 'visit-id',
      },
      { '@href': `${AGENT_CHAT}/transfer`, '@rel': 'transfer' },
      { '@href': `${AGENT_CHAT}/transferAccount`, '@rel': 'transfer-account' },
      { '@href': `${AGENT_CHAT}/survey`, '@rel': 'agent-survey' },
    ])
  })

  it('shows every event, ONLY_TO_REP lines included, with numeric systemMessageId', () => {
    const chat = doc().chat
    expect(chat.events.link).toEqual([
      { '@href': `${AGENT_CHAT}/events`, '@rel': 'self' },
      { '@href': `${AGENT_CHAT}/events?from=5`, '@rel': 'next' },
    ])
    expect(chat.events.event.map((e) => e['@id'])).toEqual(['2', '3', '4'])
    expect(chat.events.event[1]).toMatchObject({ systemMessageId: 3 })
    expect(chat.events.event[2]).toEqual({
      '@id': '4',
      '@type': 'line',
      time: '2015-08-30T18:08:00.000+03:00',
      textType: 'plain',
      text: 'This is a private message, only visible to agents',
      by: 'Agent Nick',
      source: 'agent',
      subType: 'ONLY_TO_REP',
    })
  })

  it("embeds info with @ links and the agent side's default visitor name", () => {
    const chat = doc().chat
    expect(chat.info.link.map((l) => l['@rel'])).toEqual(['self', 'visitor-name', 'visitor-typing', 'agent-typing'])
    expect(chat.info.link[0]?.['@href']).toBe(`${AGENT_CHAT}/info`)
    expect(chat.info).toMatchObject({ visitorName: 'visitor', agentName: 'Agent Nick', agentId: 2 })
  })

  it('adds the participant links last for authenticated visitors, encoding the id', () => {
    const presented = presentAgentChat({ info: { ...info, participantId: 'p 1/2' }, events, from: 0 }, OPTIONS)
    const links = (
      JSON.parse(json(presented)) as { chat: { info: { link: Array<{ '@href': string; '@rel': string }> } } }
    ).chat.info.link
    expect(links.slice(4)).toEqual([
      {
        '@href': 'https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/participantInfo/p%201%2F2',
        '@rel': 'participant-info',
      },
      {
        '@href':
          'https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/participantExtendedInfo/p%201%2F2',
        '@rel': 'participant-extended-info',
      },
    ])
  })

  it('renders as well-formed XML with link attributes', () => {
    const xml = renderXml(presentAgentChat({ info, events: [...events, whisper], from: 2 }, OPTIONS).document)
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(xml).toContain(`<chat><link href="${AGENT_CHAT}" rel="self"/>`)
    expect(xml).toContain('<subType>ONLY_TO_REP</subType>')
  })
})

describe('presentAgentEvents (A13) and single events', () => {
  it('renders a single event as a bare object and none as an absent key', () => {
    const one = JSON.parse(json(presentAgentEvents(KEY, [whisper], 4, OPTIONS))) as { events: { event: unknown } }
    expect(one.events.event).toMatchObject({ '@id': '4', subType: 'ONLY_TO_REP' })
    expect(json(presentAgentEvents(KEY, [], 9, OPTIONS))).toBe(
      `{"events":{"link":[{"@href":"${AGENT_CHAT}/events","@rel":"self"},{"@href":"${AGENT_CHAT}/events?from=9","@rel":"next"}]}}`,
    )
  })

  it('wraps one event for its Location, ONLY_TO_REP included', () => {
    expect(json(presentAgentEvent(whisper, OPTIONS))).toContain('"subType":"ONLY_TO_REP"')
  })

  it("answers A14's chatEventLocation example byte for byte", () => {
    const example = `{"chatEventLocation": {"link": {"@href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/events/5", "@rel": "location"}}}`
    expect(json(presentChatEventLocation(KEY, 5, OPTIONS))).toBe(compact(example, { '{chatId}': KEY }))
  })
})

describe('presentAgentInfo (A15) and sub-resources (A16-A18)', () => {
  it('uses href/rel without @ and the agent-side default name', () => {
    const doc = JSON.parse(json(presentAgentInfo(info, OPTIONS))) as {
      info: { link: Array<{ href: string; rel: string }>; visitorName: string }
    }
    expect(doc.info.link).toEqual([
      { href: `${AGENT_CHAT}/info`, rel: 'self' },
      { href: `${AGENT_CHAT}/info/visitorName`, rel: 'visitor-name' },
      { href: `${AGENT_CHAT}/info/visitorTyping`, rel: 'visitor-typing' },
      { href: `${AGENT_CHAT}/info/agentTyping`, rel: 'agent-typing' },
    ])
    expect(doc.info.visitorName).toBe('visitor')
  })

  it('answers the name and typing documents', () => {
    expect(json(presentAgentSideVisitorName(info))).toBe('{"visitorName":"visitor"}')
    expect(json(presentAgentSideVisitorName({ ...info, visitorName: 'Natalie' }))).toBe('{"visitorName":"Natalie"}')
    expect(json(presentAgentSideVisitorTyping({ ...info, visitorTyping: true }))).toBe('{"visitorTyping":"typing"}')
    expect(json(presentAgentSideAgentTyping({ ...info, agentTyping: true }))).toBe('{"agentTyping":"typing"}')
    expect(renderXml(presentAgentSideAgentTyping(info).document)).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><agentTyping>not-typing</agentTyping>',
    )
  })
})

describe('presentAgentChats (A11)', () => {
  // agent-api.md §5, plus skillName, skillId and language, which every info document carries (docs/chat-wire.md).
  const EXAMPLE = `{"chats": {"chat": [
  {
    "link": [
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}", "rel": "self"},
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/events", "rel": "events"},
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/info", "rel": "info"},
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}?from=4", "rel": "next"},
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/visits/visit/{visitId}", "rel": "visit-id"},
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/transfer", "rel": "transfer"},
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/transferAccount", "rel": "transfer-account"},
      {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/survey", "rel": "agent-survey"}
    ],
    "events": {
      "link": [
        {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/events", "rel": "self"},
        {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/events?from=4", "rel": "next"}
      ],
      "event": [
        {"id": 2, "type": "state", "time": "2015-08-30T18:07:26.902+03:00", "state": "chatting"},
        {"id": 3, "type": "line", "time": "2015-08-30T18:07:26.903+03:00", "textType": "plain", "text": "You are now chatting with Agent Nick.", "by": "info", "source": "system", "systemMessageId": "3", "subType": "REGULAR"}
      ]
    },
    "info": {
      "link": [
        {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/info", "rel": "self"},
        {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/info/visitorName", "rel": "visitor-name"},
        {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/info/visitorTyping", "rel": "visitor-typing"},
        {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}/info/agentTyping", "rel": "agent-typing"}
      ],
      "state": "chatting",
      "chatSessionKey": "H4709474615328845423-2767456311409308813K8414056",
      "skillName": "Unassigned",
      "skillId": -1,
      "agentName": "Agent Nick",
      "agentId": 2,
      "startTime": "2015-08-30T18:06:02.001+03:00",
      "duration": 0,
      "lastUpdate": "2015-08-30T18:10:57.237+03:00",
      "chatTimeout": 40,
      "visitorId": 1222309710121,
      "agentTyping": "not-typing",
      "visitorTyping": "not-typing",
      "visitorName": "visitor",
      "rtSessionId": 4294992744,
      "language": "en-US"
    }
  }
]}}`

  it("renders agent-api.md A11's example (numeric ids, string systemMessageId, always arrays)", () => {
    const expected = compact(EXAMPLE, { '{chatId}': KEY, '{visitId}': VISIT })
    expect(json(presentAgentChats([{ info, events, from: 2 }], OPTIONS))).toBe(expected)
  })

  it('keeps a single event in an array and renders no chats as an empty array', () => {
    const one = JSON.parse(json(presentAgentChats([{ info, events: events.slice(1), from: 3 }], OPTIONS))) as {
      chats: { chat: Array<{ events: { event: unknown } }> }
    }
    expect(Array.isArray(one.chats.chat[0]?.events.event)).toBe(true)
    expect(json(presentAgentChats([], OPTIONS))).toBe('{"chats":{"chat":[]}}')
  })
})

describe('presentChatSessions (A10)', () => {
  it("renders agent-api.md A10's example byte for byte (always an array, epoch-ms startTime)", () => {
    const example = `{"chatSessions": {"chatSession": [
      {"link": {"href": "https://{domain}/api/account/{accountId}/agentSession/{agentSessionId}/chat/{chatId}", "rel": "chat-session"}, "chatSessionKey": "H31879676690579736-632532233958645150K8414055", "startTime": 1440934609097}
    ]}}`
    const key = 'H31879676690579736-632532233958645150K8414055'
    expect(json(presentChatSessions([{ chatSessionKey: key, startTime: 1440934609097 }], OPTIONS))).toBe(
      compact(example, { '{chatId}': key }),
    )
  })
})
