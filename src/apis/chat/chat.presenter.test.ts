import { XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { renderJson, renderXml, parseXmlBody } from '../../http/wire/codec.ts'
import type { Presented } from './chat-links.ts'
import {
  presentAgentTyping,
  presentVisitorChat,
  presentVisitorEvent,
  presentVisitorEvents,
  presentVisitorInfo,
  presentVisitorName,
  presentVisitorTyping,
  presentVisit,
} from './chat.presenter.ts'
import type { ChatInfoView, EventView, LineEventView } from './chat-views.ts'

const NEW_YORK = 'America/New_York'
const KEY = 'H3079121553394024223-70f331aba40b4ae58fe9e1af832e31b9K8388834'
const PLACEHOLDERS = { base: { origin: 'https://{domain}', accountId: '{accountId}' }, timeZone: NEW_YORK }
const at = (iso: string): number => Date.parse(iso)

const json = (presented: Presented): string => renderJson(presented.document, presented.render)
/** A spec example as compact JSON, with `{chatId}` standing for the chat key. */
const spec = (example: string, chatKey = KEY): string =>
  JSON.stringify(JSON.parse(example.replaceAll('{chatId}', chatKey)))

const system = (id: number, time: string, systemMessageId: number, text: string): LineEventView => ({
  id,
  type: 'line',
  time: at(time),
  textType: 'plain',
  text,
  by: 'info',
  source: 'system',
  systemMessageId,
  subType: 'REGULAR',
})

// chat-api.md §8: the seed page's example with its broken hrefs and comment repaired.
const SPEC_CHAT = `{
  "chat": {
    "link": [
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}", "@rel": "self"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events", "@rel": "events"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info", "@rel": "info"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}?from=4", "@rel": "next"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/transcriptRequest", "@rel": "transcript-request"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/transcriptWithSubjectRequest", "@rel": "transcript-with-subject-request"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/exitSurvey", "@rel": "exit-survey"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/customVariables", "@rel": "custom-variables"}
    ],
    "events": {
      "link": [
        {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events", "@rel": "self"},
        {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events?from=4", "@rel": "next"}
      ],
      "event": [
        {"@id": "0", "@type": "state", "time": "2017-02-27T06:24:15.424-05:00", "state": "waiting"},
        {"@id": "1", "@type": "line", "time": "2017-02-27T06:24:15.425-05:00", "textType": "plain", "text": "Thank you for choosing to chat with us. An agent will be with you shortly.", "by": "info", "source": "system", "systemMessageId": 4, "subType": "REGULAR"},
        {"@id": "2", "@type": "state", "time": "2017-02-27T06:24:21.930-05:00", "state": "chatting"},
        {"@id": "3", "@type": "line", "time": "2017-02-27T06:24:21.930-05:00", "textType": "plain", "text": "You are now chatting with Natalie.", "by": "info", "source": "system", "systemMessageId": 3, "subType": "REGULAR"}
      ]
    },
    "info": {
      "link": [
        {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info", "@rel": "self"},
        {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info/visitorName", "@rel": "visitor-name"},
        {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info/visitorTyping", "@rel": "visitor-typing"},
        {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info/agentTyping", "@rel": "agent-typing"}
      ],
      "state": "chatting",
      "chatSessionKey": "H3079121553394024223-70f331aba40b4ae58fe9e1af832e31b9K8388834",
      "skillName": "Sales",
      "skillId": 25975313,
      "agentName": "Natalie",
      "agentId": 25025413,
      "startTime": "2017-02-27T06:24:15.425-05:00",
      "duration": 0,
      "lastUpdate": "2017-02-27T06:24:31.188-05:00",
      "chatTimeout": 40,
      "visitorId": 1214701440733986,
      "agentTyping": "not-typing",
      "visitorTyping": "not-typing",
      "visitorName": "You",
      "rtSessionId": 4294967522,
      "sharkVisitorId": "rloXnVgEQ-iQuoOytvKNqA",
      "sharkSessionId": "rN82d4rATN6EuiA4cJwaPg",
      "sharkContextId": 2,
      "engagementId": 27469613,
      "campaignId": 26948813,
      "language": "en-US"
    }
  }
}`

const specInfo: ChatInfoView = {
  state: 'chatting',
  chatSessionKey: KEY,
  skillName: 'Sales',
  skillId: 25975313,
  agentName: 'Natalie',
  agentId: 25025413,
  startTime: at('2017-02-27T06:24:15.425-05:00'),
  lastUpdate: at('2017-02-27T06:24:31.188-05:00'),
  chatTimeout: 40,
  visitorId: '1214701440733986',
  agentTyping: false,
  visitorTyping: false,
  visitorName: null,
  rtSessionId: 4294967522,
  sharkVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
  sharkSessionId: 'rN82d4rATN6EuiA4cJwaPg',
  sharkContextId: '2',
  engagementId: '27469613',
  campaignId: '26948813',
  language: 'en-US',
}

const specEvents: EventView[] = [
  { id: 0, type: 'state', time: at('2017-02-27T06:24:15.424-05:00'), state: 'waiting' },
  system(
    1,
    '2017-02-27T06:24:15.425-05:00',
    4,
    'Thank you for choosing to chat with us. An agent will be with you shortly.',
  ),
  { id: 2, type: 'state', time: at('2017-02-27T06:24:21.930-05:00'), state: 'chatting' },
  system(3, '2017-02-27T06:24:21.930-05:00', 3, 'You are now chatting with Natalie.'),
]

describe('presentVisitorChat (V8)', () => {
  it("renders chat-api.md §8's example byte for byte", () => {
    const presented = presentVisitorChat({ info: specInfo, events: specEvents, from: 0 }, PLACEHOLDERS)
    expect(json(presented)).toBe(spec(SPEC_CHAT))
  })

  it("differs from the seed page's example only by the documented repairs", async () => {
    const { readFile } = await import('node:fs/promises')
    const seed = await readFile(new URL('../../../test/fixtures/chat-resource.seed.txt', import.meta.url), 'utf8')
    const repaired = seed
      .replace(/^\s*\/\/.*$/m, '')
      .replace('https:/{domain}', 'https://{domain}')
      .replace('"{domain}/api', '"https://{domain}/api')
      .replace(
        '"Thank you for choosing to chat with us."',
        '"Thank you for choosing to chat with us. An agent will be with you shortly."',
      )
    const presented = presentVisitorChat({ info: specInfo, events: specEvents, from: 0 }, PLACEHOLDERS)
    expect(json(presented)).toBe(spec(repaired))
  })

  it('renders the same document as XML: attributes for @ keys, repeated elements, typed text', () => {
    const presented = presentVisitorChat({ info: specInfo, events: specEvents, from: 0 }, PLACEHOLDERS)
    const xml = renderXml(presented.document)
    expect(XMLValidator.validate(xml)).toBe(true)
    const chatUrl = `https://{domain}/api/account/{accountId}/chat/${KEY}`
    expect(xml).toContain(
      `<chat><link href="${chatUrl}" rel="self"/><link href="${chatUrl}/events" rel="events"/><link href="${chatUrl}/info" rel="info"/><link href="${chatUrl}?from=4" rel="next"/>`,
    )
    expect(xml).toContain(
      '<event id="1" type="line"><time>2017-02-27T06:24:15.425-05:00</time><textType>plain</textType><text>Thank you for choosing to chat with us. An agent will be with you shortly.</text><by>info</by><source>system</source><systemMessageId>4</systemMessageId><subType>REGULAR</subType></event>',
    )
    expect(xml).toContain('<sharkContextId>2</sharkContextId><engagementId>27469613</engagementId>')
    expect(xml.endsWith('<language>en-US</language></info></chat>')).toBe(true)
  })

  it('renders the whole §8 example as XML, element for element', () => {
    const presented = presentVisitorChat({ info: specInfo, events: specEvents, from: 0 }, PLACEHOLDERS)
    const chat = `https://{domain}/api/account/{accountId}/chat/${KEY}`
    const line = (id: number, time: string, text: string, messageId: number) =>
      `<event id="${id}" type="line"><time>${time}</time><textType>plain</textType><text>${text}</text><by>info</by><source>system</source><systemMessageId>${messageId}</systemMessageId><subType>REGULAR</subType></event>`
    const expected =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><chat>' +
      `<link href="${chat}" rel="self"/><link href="${chat}/events" rel="events"/><link href="${chat}/info" rel="info"/>` +
      `<link href="${chat}?from=4" rel="next"/><link href="${chat}/transcriptRequest" rel="transcript-request"/>` +
      `<link href="${chat}/transcriptWithSubjectRequest" rel="transcript-with-subject-request"/>` +
      `<link href="${chat}/exitSurvey" rel="exit-survey"/><link href="${chat}/customVariables" rel="custom-variables"/>` +
      `<events><link href="${chat}/events" rel="self"/><link href="${chat}/events?from=4" rel="next"/>` +
      '<event id="0" type="state"><time>2017-02-27T06:24:15.424-05:00</time><state>waiting</state></event>' +
      line(
        1,
        '2017-02-27T06:24:15.425-05:00',
        'Thank you for choosing to chat with us. An agent will be with you shortly.',
        4,
      ) +
      '<event id="2" type="state"><time>2017-02-27T06:24:21.930-05:00</time><state>chatting</state></event>' +
      line(3, '2017-02-27T06:24:21.930-05:00', 'You are now chatting with Natalie.', 3) +
      '</events>' +
      `<info><link href="${chat}/info" rel="self"/><link href="${chat}/info/visitorName" rel="visitor-name"/>` +
      `<link href="${chat}/info/visitorTyping" rel="visitor-typing"/><link href="${chat}/info/agentTyping" rel="agent-typing"/>` +
      `<state>chatting</state><chatSessionKey>${KEY}</chatSessionKey><skillName>Sales</skillName><skillId>25975313</skillId>` +
      '<agentName>Natalie</agentName><agentId>25025413</agentId><startTime>2017-02-27T06:24:15.425-05:00</startTime>' +
      '<duration>0</duration><lastUpdate>2017-02-27T06:24:31.188-05:00</lastUpdate><chatTimeout>40</chatTimeout>' +
      '<visitorId>1214701440733986</visitorId><agentTyping>not-typing</agentTyping><visitorTyping>not-typing</visitorTyping>' +
      '<visitorName>You</visitorName><rtSessionId>4294967522</rtSessionId><sharkVisitorId>rloXnVgEQ-iQuoOytvKNqA</sharkVisitorId>' +
      '<sharkSessionId>rN82d4rATN6EuiA4cJwaPg</sharkSessionId><sharkContextId>2</sharkContextId>' +
      '<engagementId>27469613</engagementId><campaignId>26948813</campaignId><language>en-US</language></info></chat>'
    expect(renderXml(presented.document)).toBe(expected)
  })

  it('escapes line text in XML and keeps it verbatim in JSON', () => {
    const hostile: LineEventView = {
      ...system(5, '2017-02-27T06:25:00.000-05:00', 0, ''),
      source: 'visitor',
      by: 'You & <me>',
      systemMessageId: undefined,
      text: '</text><evil/> & "quotes"',
    }
    const presented = presentVisitorEvents(KEY, [hostile], 5, PLACEHOLDERS)
    expect(renderXml(presented.document)).toContain(
      '<text>&lt;/text&gt;&lt;evil/&gt; &amp; &quot;quotes&quot;</text><by>You &amp; &lt;me&gt;</by><source>visitor</source><subType>REGULAR</subType>',
    )
    expect(json(presented)).toContain('"text":"</text><evil/> & \\"quotes\\"","by":"You & <me>","source":"visitor"')
  })

  it('adds the visit-session link last, only with the visit privilege', () => {
    const chat = { info: specInfo, events: specEvents, from: 0 }
    const rels = (presented: Presented) =>
      (JSON.parse(json(presented)) as { chat: { link: Array<{ '@rel': string; '@href': string }> } }).chat.link
    expect(rels(presentVisitorChat(chat, PLACEHOLDERS)).map((l) => l['@rel'])).not.toContain('visit-session')
    const links = rels(presentVisitorChat(chat, { ...PLACEHOLDERS, visitSession: true }))
    expect(links).toHaveLength(9)
    expect(links[8]).toEqual({
      '@href': 'https://{domain}/api/account/{accountId}/visit/H3079121553394024223K8388834',
      '@rel': 'visit-session',
    })
  })

  it('renders a single event as a bare object and no events as an absent key', () => {
    const one = JSON.parse(
      json(presentVisitorChat({ info: specInfo, events: specEvents.slice(3), from: 3 }, PLACEHOLDERS)),
    )
    expect(one.chat.events.event).toMatchObject({ '@id': '3', '@type': 'line' })
    const none = JSON.parse(json(presentVisitorChat({ info: specInfo, events: [], from: 7 }, PLACEHOLDERS)))
    expect(none.chat.events).not.toHaveProperty('event')
    expect(none.chat.link[3]['@href']).toMatch(/\?from=7$/)
    expect(none.chat.events.link[1]['@href']).toMatch(/\/events\?from=7$/)
  })

  it('never shows ONLY_TO_REP lines and skips their ids in next', () => {
    const whisper: LineEventView = {
      ...system(4, '2017-02-27T06:25:00.000-05:00', 0, 'x'),
      source: 'agent',
      by: 'Natalie',
      systemMessageId: undefined,
      text: 'secret note',
      subType: 'ONLY_TO_REP',
    }
    const presented = presentVisitorChat(
      { info: specInfo, events: [...specEvents.slice(2), whisper], from: 2 },
      PLACEHOLDERS,
    )
    const text = json(presented)
    expect(text).not.toContain('secret note')
    expect(text).not.toContain('ONLY_TO_REP')
    const doc = JSON.parse(text) as {
      chat: { events: { event: Array<{ '@id': string }> }; link: Array<{ '@href': string }> }
    }
    expect(doc.chat.events.event.map((e) => e['@id'])).toEqual(['2', '3'])
    expect(doc.chat.link[3]?.['@href']).toMatch(/\?from=5$/)
    expect(renderXml(presented.document)).not.toContain('secret note')
  })

  it('omits the agent while waiting, and the optional echoes when the request had none', () => {
    const waiting: ChatInfoView = {
      ...specInfo,
      state: 'waiting',
      agentName: 'Natalie',
      agentId: 25025413,
      agentTyping: true,
      sharkVisitorId: undefined,
      sharkSessionId: null,
      sharkContextId: undefined,
      engagementId: undefined,
      campaignId: null,
      skillName: 'Unassigned',
      skillId: -1,
      visitorName: 'Natalie',
    }
    const info = JSON.parse(json(presentVisitorInfo(waiting, PLACEHOLDERS))).info
    expect(Object.keys(info)).toEqual([
      'link',
      'state',
      'chatSessionKey',
      'skillName',
      'skillId',
      'startTime',
      'duration',
      'lastUpdate',
      'chatTimeout',
      'visitorId',
      'agentTyping',
      'visitorTyping',
      'visitorName',
      'rtSessionId',
      'language',
    ])
    expect(info).toMatchObject({
      skillName: 'Unassigned',
      skillId: -1,
      agentTyping: 'not-typing',
      visitorName: 'Natalie',
    })
  })

  it('keeps non-numeric echoes and ids as strings, numeric ones as numbers, participantId last', () => {
    const info = JSON.parse(
      json(
        presentVisitorInfo(
          {
            ...specInfo,
            sharkContextId: 'ctx-5',
            campaignId: 'abc',
            visitorId: '99999999999999999',
            participantId: 'p-1',
          },
          PLACEHOLDERS,
        ),
      ),
    ).info
    expect(info).toMatchObject({
      sharkContextId: 'ctx-5',
      campaignId: 'abc',
      visitorId: '99999999999999999',
      engagementId: 27469613,
    })
    expect(Object.keys(info).at(-1)).toBe('participantId')
  })
})

describe('presentVisitorEvents (V9)', () => {
  // chat-api.md §9.1.
  const SPEC_EVENTS = `{"events": {
    "link": [
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events", "@rel": "self"},
      {"@href": "https://{domain}/api/account/{accountId}/chat/{chatId}/events?from=5", "@rel": "next"}
    ],
    "event": [
      {"@id": "3", "@type": "line", "time": "2017-02-27T06:30:25.502-05:00", "textType": "plain", "text": "You are now chatting with Natalie.", "by": "info", "source": "system", "systemMessageId": 3, "subType": "REGULAR"},
      {"@id": "4", "@type": "line", "time": "2017-02-27T06:30:31.655-05:00", "textType": "html", "text": "<div dir=\\"ltr\\" style=\\"direction: ltr; text-align: left;\\">hi</div>", "by": "Natalie", "source": "agent", "subType": "REGULAR"}
    ]
  }}`

  it("renders chat-api.md §9.1's example byte for byte", () => {
    const events: EventView[] = [
      system(3, '2017-02-27T06:30:25.502-05:00', 3, 'You are now chatting with Natalie.'),
      {
        id: 4,
        type: 'line',
        time: at('2017-02-27T06:30:31.655-05:00'),
        textType: 'html',
        text: '<div dir="ltr" style="direction: ltr; text-align: left;">hi</div>',
        by: 'Natalie',
        source: 'agent',
        subType: 'REGULAR',
      },
    ]
    expect(json(presentVisitorEvents(KEY, events, 3, PLACEHOLDERS))).toBe(spec(SPEC_EVENTS))
  })

  // wire-conventions.md §7: the same events document in both formats.
  const base = { origin: 'https://parley.example.com', accountId: '12345678' }
  const waiting: EventView[] = [{ id: 0, type: 'state', time: at('2017-02-27T06:24:15.424-05:00'), state: 'waiting' }]

  it("renders wire-conventions.md §7's JSON example byte for byte (a single event is a bare object)", () => {
    const example = `{"events": {
      "link": [
        {"@href": "https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events", "@rel": "self"},
        {"@href": "https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events?from=1", "@rel": "next"}
      ],
      "event": {"@id": "0", "@type": "state", "time": "2017-02-27T06:24:15.424-05:00", "state": "waiting"}
    }}`
    expect(json(presentVisitorEvents('H1-abc-K1', waiting, 0, { base, timeZone: NEW_YORK }))).toBe(spec(example))
  })

  it("renders wire-conventions.md §7's XML example byte for byte (without its indentation)", () => {
    const example = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<events>
  <link href="https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events" rel="self"/>
  <link href="https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events?from=1" rel="next"/>
  <event id="0" type="state">
    <time>2017-02-27T06:24:15.424-05:00</time>
    <state>waiting</state>
  </event>
</events>`
    const presented = presentVisitorEvents('H1-abc-K1', waiting, 0, { base, timeZone: NEW_YORK })
    expect(renderXml(presented.document)).toBe(example.replace(/>\s+</g, '><'))
  })

  it('renders a rich-content line with json in place of text, verbatim in JSON and as JSON text in XML', () => {
    const payload = { type: 'vertical', elements: [{ type: 'text', text: 'Now on sale!' }] }
    const rich: EventView = {
      id: 9,
      type: 'line',
      time: at('2017-02-27T06:30:31.655-05:00'),
      textType: 'rich-content',
      json: payload,
      by: 'Natalie',
      source: 'agent',
      subType: 'REGULAR',
    }
    const presented = presentVisitorEvents(KEY, [rich], 9, PLACEHOLDERS)
    expect(JSON.parse(json(presented)).events.event).toEqual({
      '@id': '9',
      '@type': 'line',
      time: '2017-02-27T06:30:31.655-05:00',
      textType: 'rich-content',
      json: payload,
      by: 'Natalie',
      source: 'agent',
      subType: 'REGULAR',
    })
    expect(json(presented)).toContain('"textType":"rich-content","json":{"type":"vertical","elements":[{"type":"text"')
    const xml = parseXmlBody(renderXml(presented.document)) as { events: { event: { json: string } } }
    expect(JSON.parse(xml.events.event.json)).toEqual(payload)
  })

  it('renders times in UTC as +00:00, never Z', () => {
    const presented = presentVisitorEvents(KEY, waiting, 0, { base, timeZone: 'UTC' })
    expect(json(presented)).toContain('"time":"2017-02-27T11:24:15.424+00:00"')
  })
})

describe('presentVisitorEvent (Location of a posted event)', () => {
  it('wraps one event in {"event": {...}} and refuses ONLY_TO_REP lines', () => {
    const line = system(1, '2017-02-27T06:24:15.425-05:00', 4, 'hi')
    expect(json(presentVisitorEvent(line, PLACEHOLDERS) as Presented)).toBe(
      '{"event":{"@id":"1","@type":"line","time":"2017-02-27T06:24:15.425-05:00","textType":"plain","text":"hi","by":"info","source":"system","systemMessageId":4,"subType":"REGULAR"}}',
    )
    expect(presentVisitorEvent({ ...line, subType: 'ONLY_TO_REP' }, PLACEHOLDERS)).toBeUndefined()
  })
})

describe('presentVisitorInfo (V11) and its sub-resources (V12, V14, V16)', () => {
  // chat-api.md §10.
  const SPEC_INFO = `{"info": {
    "link": [
      {"href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info", "rel": "self"},
      {"href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info/visitorName", "rel": "visitor-name"},
      {"href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info/visitorTyping", "rel": "visitor-typing"},
      {"href": "https://{domain}/api/account/{accountId}/chat/{chatId}/info/agentTyping", "rel": "agent-typing"}
    ],
    "state": "chatting",
    "chatSessionKey": "H7496712445225055898-608c28f64b1f4d41aeca4188fb95f66fK8388836",
    "skillName": "Sales",
    "skillId": 25975313,
    "agentName": "Natalie",
    "agentId": 25025413,
    "startTime": "2017-02-27T06:35:45.448-05:00",
    "duration": 0,
    "lastUpdate": "2017-02-27T06:41:10.319-05:00",
    "chatTimeout": 40,
    "visitorId": 1214701440734022,
    "agentTyping": "not-typing",
    "visitorTyping": "not-typing",
    "visitorName": "You",
    "rtSessionId": 4294967524,
    "language": "en-US"
  }}`
  const key = 'H7496712445225055898-608c28f64b1f4d41aeca4188fb95f66fK8388836'
  const info: ChatInfoView = {
    state: 'chatting',
    chatSessionKey: key,
    skillName: 'Sales',
    skillId: 25975313,
    agentName: 'Natalie',
    agentId: 25025413,
    startTime: at('2017-02-27T06:35:45.448-05:00'),
    lastUpdate: at('2017-02-27T06:41:10.319-05:00'),
    chatTimeout: 40,
    visitorId: '1214701440734022',
    agentTyping: false,
    visitorTyping: false,
    visitorName: null,
    rtSessionId: 4294967524,
    language: 'en-US',
  }

  it("renders chat-api.md §10's example byte for byte (href/rel without @)", () => {
    expect(json(presentVisitorInfo(info, PLACEHOLDERS))).toBe(spec(SPEC_INFO, key))
  })

  it('renders the stand-alone info in XML with link children, not attributes', () => {
    const xml = renderXml(presentVisitorInfo(info, PLACEHOLDERS).document)
    expect(xml).toContain(
      `<info><link><href>https://{domain}/api/account/{accountId}/chat/${key}/info</href><rel>self</rel></link>`,
    )
    expect(xml).toContain('<skillId>25975313</skillId>')
  })

  it('answers the name, typing and agent typing documents in JSON and XML', () => {
    expect(json(presentVisitorName(info))).toBe('{"visitorName":"You"}')
    expect(json(presentVisitorName({ ...info, visitorName: 'Natalie' }))).toBe('{"visitorName":"Natalie"}')
    expect(json(presentVisitorTyping({ ...info, visitorTyping: true }))).toBe('{"visitorTyping":"typing"}')
    expect(json(presentAgentTyping(info))).toBe('{"agentTyping":"not-typing"}')
    expect(json(presentAgentTyping({ ...info, agentTyping: true }))).toBe('{"agentTyping":"typing"}')
    expect(json(presentAgentTyping({ ...info, agentTyping: true, state: 'waiting' }))).toBe(
      '{"agentTyping":"not-typing"}',
    )
    const declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    expect(renderXml(presentVisitorName(info).document)).toBe(`${declaration}<visitorName>You</visitorName>`)
    expect(renderXml(presentVisitorTyping(info).document)).toBe(
      `${declaration}<visitorTyping>not-typing</visitorTyping>`,
    )
    expect(renderXml(presentAgentTyping(info).document)).toBe(`${declaration}<agentTyping>not-typing</agentTyping>`)
  })
})

describe('presentVisit (V22)', () => {
  it("renders chat-api.md §11.4's example byte for byte (single link and variable as bare objects)", () => {
    const example = `{"visit": {
      "@id": "H3079121553394024223K8388834",
      "link": {"@href": "https://{domain}/api/account/{accountId}/visit/H3079121553394024223K8388834", "@rel": "self"},
      "visitorId": 1214701440733986,
      "chatSessionKey": "H3079121553394024223-70f331aba40b4ae58fe9e1af832e31b9K8388834",
      "customVariables": {"customVariable": {"name": "orderId", "value": "A-17"}}
    }}`
    const view = {
      chatSessionKey: KEY,
      visitorId: '1214701440733986',
      customVariables: [{ name: 'orderId', value: 'A-17' }],
    }
    expect(json(presentVisit(view, PLACEHOLDERS))).toBe(spec(example))
    expect(renderXml(presentVisit(view, PLACEHOLDERS).document)).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><visit id="H3079121553394024223K8388834">' +
        '<link href="https://{domain}/api/account/{accountId}/visit/H3079121553394024223K8388834" rel="self"/>' +
        `<visitorId>1214701440733986</visitorId><chatSessionKey>${KEY}</chatSessionKey>` +
        '<customVariables><customVariable><name>orderId</name><value>A-17</value></customVariable></customVariables></visit>',
    )
  })

  it('lists several variables as an array and omits customVariables when there are none', () => {
    const two = JSON.parse(
      json(
        presentVisit(
          {
            chatSessionKey: KEY,
            visitorId: 1,
            customVariables: [
              { name: 'a', value: '1' },
              { name: 'b', value: '2' },
            ],
          },
          PLACEHOLDERS,
        ),
      ),
    ) as { visit: { customVariables: { customVariable: unknown[] } } }
    expect(two.visit.customVariables.customVariable).toHaveLength(2)
    expect(json(presentVisit({ chatSessionKey: KEY, visitorId: 1, customVariables: [] }, PLACEHOLDERS))).not.toContain(
      'customVariables',
    )
  })
})
