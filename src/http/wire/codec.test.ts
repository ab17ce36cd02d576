import { describe, it, expect } from 'vitest'
import { XMLValidator } from 'fast-xml-parser'
import { WireJson, parseXmlBody, renderJson, renderXml } from './codec.ts'
import type { WireDocument } from './codec.ts'

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const SELF = 'https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events'

// The events example of wire-conventions.md section 7, as a presenter would build it.
const eventsDocument: WireDocument = {
  events: {
    link: [
      { '@href': SELF, '@rel': 'self' },
      { '@href': `${SELF}?from=1`, '@rel': 'next' },
    ],
    event: [{ '@id': '0', '@type': 'state', time: '2017-02-27T06:24:15.424-05:00', state: 'waiting' }],
  },
}

const specEventsJson = `{"events": {
  "link": [
    {"@href": "https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events", "@rel": "self"},
    {"@href": "https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events?from=1", "@rel": "next"}
  ],
  "event": {"@id": "0", "@type": "state", "time": "2017-02-27T06:24:15.424-05:00", "state": "waiting"}
}}`

const specEventsXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<events>
  <link href="https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events" rel="self"/>
  <link href="https://parley.example.com/api/account/12345678/chat/H1-abc-K1/events?from=1" rel="next"/>
  <event id="0" type="state">
    <time>2017-02-27T06:24:15.424-05:00</time>
    <state>waiting</state>
  </event>
</events>`

describe('renderJson', () => {
  it('renders the events example of the wire conventions exactly', () => {
    expect(renderJson(eventsDocument)).toBe(JSON.stringify(JSON.parse(specEventsJson)))
  })

  it('collapses a one-element array to its bare element and drops an empty one by default', () => {
    const doc = { chat: { one: [{ a: '1' }], two: [{ a: '1' }, { a: '2' }], none: [], line: ['only'] } }
    expect(JSON.parse(renderJson(doc))).toEqual({
      chat: { one: { a: '1' }, two: [{ a: '1' }, { a: '2' }], line: 'only' },
    })
  })

  it('keeps arrays as arrays, empty ones included, for documents without @ keys', () => {
    const doc = { chatSessions: { chatSession: [{ chatId: 'c1' }], link: [] } }
    expect(renderJson(doc, { singletons: 'keep' })).toBe('{"chatSessions":{"chatSession":[{"chatId":"c1"}],"link":[]}}')
  })

  it('renders null as null, omits undefined keys and keeps numbers and booleans typed', () => {
    const doc = { info: { skillId: 25975313, availability: true, agentTyping: null, missing: undefined, title: '' } }
    expect(renderJson(doc)).toBe('{"info":{"skillId":25975313,"availability":true,"agentTyping":null,"title":""}}')
  })

  it('refuses non-finite numbers', () => {
    expect(() => renderJson({ a: { n: Number.NaN } })).toThrow(TypeError)
  })
})

describe('renderXml', () => {
  it('renders the events example as compact XML equivalent to the one in the wire conventions', () => {
    const xml = renderXml(eventsDocument)
    expect(xml).toBe(
      DECLARATION +
        `<events><link href="${SELF}" rel="self"/><link href="${SELF}?from=1" rel="next"/>` +
        '<event id="0" type="state"><time>2017-02-27T06:24:15.424-05:00</time><state>waiting</state></event></events>',
    )
    expect(parseXmlBody(xml)).toEqual(parseXmlBody(specEventsXml))
    expect(parseXmlBody(xml)).toEqual(JSON.parse(specEventsJson))
  })

  it('renders the error envelope exactly as LivePerson does', () => {
    const doc = {
      error: { time: '2017-09-13T15:13:38.938-04:00', message: 'Cannot add line while not in chat', internalCode: 5 },
    }
    expect(renderXml(doc)).toBe(
      DECLARATION +
        '<error><time>2017-09-13T15:13:38.938-04:00</time><message>Cannot add line while not in chat</message>' +
        '<internalCode>5</internalCode></error>',
    )
    expect(renderJson(doc)).toBe(
      '{"error":{"time":"2017-09-13T15:13:38.938-04:00","message":"Cannot add line while not in chat","internalCode":5}}',
    )
  })

  it('renders repeated elements for arrays and nothing for empty arrays, null and undefined', () => {
    const doc = { chat: { skill: ['a', 'b'], agent: [], note: null, other: undefined, link: [{ '@rel': 'x' }] } }
    expect(renderXml(doc)).toBe(`${DECLARATION}<chat><skill>a</skill><skill>b</skill><link rel="x"/></chat>`)
  })

  it('renders an empty string as an empty element that parses back to an empty string', () => {
    const xml = renderXml({ info: { title: '', agentName: 'Ann' } })
    expect(xml).toBe(`${DECLARATION}<info><title/><agentName>Ann</agentName></info>`)
    expect(parseXmlBody(xml)).toEqual({ info: { title: '', agentName: 'Ann' } })
  })

  it('writes numbers and booleans as text, attribute value "true" included', () => {
    const xml = renderXml({ agent: { '@enabled': true, '@maxChats': -1, chatTimeout: 40, availability: false } })
    expect(xml).toBe(
      `${DECLARATION}<agent enabled="true" maxChats="-1"><chatTimeout>40</chatTimeout><availability>false</availability></agent>`,
    )
  })

  it('renders a scalar root as a text element', () => {
    expect(renderXml({ availability: true })).toBe(`${DECLARATION}<availability>true</availability>`)
  })

  it.each([
    ['less-than', '<'],
    ['ampersand', '&'],
    ['double quote', '"'],
    ['apostrophe', "'"],
    ['greater-than', '>'],
    ['CDATA terminator', 'a]]>b'],
    ['markup lookalike', '</text><evil attr="1"/><text>'],
    ['entity lookalike', '&amp;&lt;&#60;'],
    ['newline and tab', 'line1\n\tline2'],
    ['non-ASCII', 'Grüße 😀 日本'],
  ])('round-trips a %s in text and attributes', (_name, value) => {
    const xml = renderXml({ event: { '@type': value, text: value } })
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(parseXmlBody(xml)).toEqual({ event: { '@type': value, text: value } })
  })

  it('escapes text and attributes with the five XML entities', () => {
    expect(renderXml({ a: { '@x': `<&"'>`, t: `<&"'>` } })).toBe(
      `${DECLARATION}<a x="&lt;&amp;&quot;&apos;&gt;"><t>&lt;&amp;&quot;&apos;&gt;</t></a>`,
    )
  })

  it('drops characters XML 1.0 cannot carry instead of breaking the document', () => {
    const value = 'a\u0000b\u0001c\u001Fd\uD800e\uFFFEf\uFFFF'
    const xml = renderXml({ line: { '@by': value, text: value } })
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(parseXmlBody(xml)).toEqual({ line: { '@by': 'abcdef', text: 'abcdef' } })
  })

  it('refuses documents that are not a single element root', () => {
    expect(() => renderXml({})).toThrow(TypeError)
    expect(() => renderXml({ a: '1', b: '2' })).toThrow(TypeError)
    expect(() => renderXml({ a: [{ x: '1' }, { x: '2' }] })).toThrow(TypeError)
    expect(() => renderXml({ '@a': '1' })).toThrow(TypeError)
  })

  it('refuses keys that are not plain XML names and attributes holding objects', () => {
    expect(() => renderXml({ a: { 'bad name': '1' } })).toThrow(TypeError)
    expect(() => renderXml({ a: { '#text': '1' } })).toThrow(TypeError)
    expect(() => renderXml({ a: { '@x': { y: '1' } } })).toThrow(TypeError)
  })
})

describe('parseXmlBody', () => {
  it('decodes a line event into the JSON shape clients send', () => {
    expect(parseXmlBody('<event type="line"><text>hi</text></event>')).toEqual({
      event: { '@type': 'line', text: 'hi' },
    })
  })

  it('keeps a single child bare, makes repeated children an array and keeps every value a string', () => {
    const xml =
      '<request><skill>Sales</skill><maxChats>40</maxChats><preChatLines><line>a</line><line>b</line></preChatLines></request>'
    expect(parseXmlBody(xml)).toEqual({
      request: { skill: 'Sales', maxChats: '40', preChatLines: { line: ['a', 'b'] } },
    })
  })

  it('ignores indentation between elements but keeps leaf text exactly', () => {
    const xml = '<?xml version="1.0"?>\n<event type="line">\n  <text>  two  spaces\n</text>\n</event>\n'
    expect(parseXmlBody(xml)).toEqual({ event: { '@type': 'line', text: '  two  spaces\n' } })
  })

  it('decodes predefined entities and character references exactly once', () => {
    const xml = '<line a="&quot;x&quot;"><text>&lt;b&gt; &amp;amp; &#233;&#x1F600; &apos;</text></line>'
    expect(parseXmlBody(xml)).toEqual({ line: { '@a': '"x"', text: "<b> &amp; é😀 '" } })
  })

  it('keeps CDATA content literally', () => {
    expect(parseXmlBody('<text><![CDATA[<b>&amp;</b>]]></text>')).toEqual({ text: '<b>&amp;</b>' })
  })

  it.each([
    ['an empty body', ''],
    ['plain text', 'hello'],
    ['a JSON body', '{"event":{"@type":"line"}}'],
    ['an unclosed element', '<event><text>hi</text>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['two root elements', '<a>x</a><b>y</b>'],
    ['a repeated root element', '<a/><a/>'],
    ['an unescaped ampersand', '<a>fish & chips</a>'],
    ['an unquoted attribute', '<a b=c/>'],
    ['an illegal character reference', '<a>&#0;</a>'],
  ])('throws a SyntaxError for %s', (_name, xml) => {
    expect(() => parseXmlBody(xml)).toThrow(SyntaxError)
  })

  it('refuses a DOCTYPE instead of expanding its entities', () => {
    const billionLaughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>'
    expect(() => parseXmlBody(billionLaughs)).toThrow(SyntaxError)
    expect(() => parseXmlBody('<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>')).toThrow(SyntaxError)
  })

  it('refuses an external entity without reading it', () => {
    expect(() => parseXmlBody('<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>')).toThrow(SyntaxError)
  })

  it('leaves undeclared entity references as literal text', () => {
    expect(parseXmlBody('<a>&nbsp;</a>')).toEqual({ a: '&nbsp;' })
  })

  it('refuses nesting deeper than 64 elements', () => {
    const depth = (n: number): string => '<a>'.repeat(n) + 'x' + '</a>'.repeat(n)
    expect(() => parseXmlBody(depth(60))).not.toThrow()
    expect(() => parseXmlBody(depth(200))).toThrow(SyntaxError)
  })

  it('refuses element names that would reach the object prototype', () => {
    expect(() => parseXmlBody('<a><__proto__><polluted>1</polluted></__proto__></a>')).toThrow(SyntaxError)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('accepts a byte order mark', () => {
    expect(parseXmlBody('\uFEFF<a>x</a>')).toEqual({ a: 'x' })
  })
})

describe('WireJson (rich-content payloads)', () => {
  const payload = { type: 'vertical', elements: [{ type: 'text', text: 'Now <on> sale & more' }], '@odd': [] }

  it('embeds the value verbatim in JSON, one-element arrays and @ keys included', () => {
    const doc = { event: { '@id': '5', json: new WireJson(payload), empty: new WireJson(undefined) } }
    expect(renderJson(doc)).toBe(`{"event":{"@id":"5","json":${JSON.stringify(payload)}}}`)
    expect(renderJson({ list: [new WireJson([1])] }, { singletons: 'keep' })).toBe('{"list":[[1]]}')
  })

  it('carries the JSON text as escaped element text in XML', () => {
    const xml = renderXml({ event: { '@id': '5', json: new WireJson(payload) } })
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(parseXmlBody(xml)).toEqual({ event: { '@id': '5', json: JSON.stringify(payload) } })
  })

  it('refuses a WireJson attribute', () => {
    expect(() => renderXml({ event: { '@json': new WireJson({}) } })).toThrow(TypeError)
  })
})
