import { describe, expect, it } from 'vitest'
import { agentLineText, visitorLineText } from './line-text.ts'
import { sanitizeAgentHtml } from './sanitize-agent-html.ts'

describe('sanitizeAgentHtml (agent-api.md A14)', () => {
  it("keeps the spec's ltr wrapper, re-quoting attributes and re-serialising its CSS", () => {
    expect(
      sanitizeAgentHtml("<div dir='ltr' style='direction:ltr;text-align:left;'>this is a line of text</div>"),
    ).toBe('<div dir="ltr" style="direction:ltr;text-align:left">this is a line of text</div>')
    expect(sanitizeAgentHtml('<div dir="ltr" style="direction: ltr; text-align: left;">hi</div>')).toBe(
      '<div dir="ltr" style="direction:ltr;text-align:left">hi</div>',
    )
  })

  it('keeps ordinary formatting', () => {
    const html =
      '<p><b>Bold</b>, <i>italic</i>, <u>under</u><br /><span style="color:red">red</span></p><ul><li>one</li></ul>'
    expect(sanitizeAgentHtml(html)).toBe(html)
  })

  it.for<[string, string]>([
    ['<script>alert(1)</script>hi', 'hi'],
    ['<SCRIPT src="https://evil.example/x.js"></SCRIPT>hi', 'hi'],
    ['before<script>alert(1)', 'before'],
    ['<iframe src="https://evil.example"><b>inside</b></iframe>after', 'after'],
    ['<object data="x.swf"><param name="a" value="b"></object>after', 'after'],
    ['<embed src="x.swf">after', 'after'],
    ['<form action="https://evil.example"><input name="card">Pay</form>after', 'after'],
    ['<style>body{display:none}</style>text', 'text'],
    ['<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>t', 't'],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>t', 't'],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">t', 't'],
    ['<link rel="stylesheet" href="https://evil.example/x.css">t', 't'],
    ['<base href="https://evil.example/">t', 't'],
  ])('removes active elements with their content: %s', ([input, expected]) => {
    expect(sanitizeAgentHtml(input)).toBe(expected)
  })

  it.for<[string, string]>([
    ['<img src="x.png" onerror="alert(1)">', '<img src="x.png" />'],
    ['<div ONCLICK="alert(1)" onMouseOver="x()">u</div>', '<div>u</div>'],
    ['<b onclick=alert(1)>b</b>', '<b>b</b>'],
    ['<body onload="alert(1)">x</body>', 'x'],
  ])('removes every on* attribute: %s', ([input, expected]) => {
    expect(sanitizeAgentHtml(input)).toBe(expected)
  })

  it.for<[string, string]>([
    ['<a href="javascript:alert(1)">l</a>', '<a target="_blank">l</a>'],
    ['<a href="JaVaScRiPt:alert(1)">l</a>', '<a target="_blank">l</a>'],
    ['<a href=" javascript:alert(1)">l</a>', '<a target="_blank">l</a>'],
    ['<a href="jav&#x09;ascript:alert(1)">l</a>', '<a target="_blank">l</a>'],
    ['<a href="jav\nascript:alert(1)">l</a>', '<a target="_blank">l</a>'],
    ['<a href="&#106;avascript:alert(1)">l</a>', '<a target="_blank">l</a>'],
    ['<a href="vbscript:msgbox(1)">l</a>', '<a target="_blank">l</a>'],
    ['<a href="data:text/html,<script>alert(1)</script>">l</a>', '<a target="_blank">l</a>'],
    ['<img src="javascript:alert(1)">', '<img />'],
    ['<img srcset="javascript:alert(1) 1x">', '<img />'],
  ])('removes javascript: and other non-web URLs: %s', ([input, expected]) => {
    expect(sanitizeAgentHtml(input)).toBe(expected)
  })

  it('sets target="_blank" on every link, replacing any other target', () => {
    expect(sanitizeAgentHtml('<a href="https://example.com/cart?a=1&amp;b=2" target="_self">cart</a>')).toBe(
      '<a href="https://example.com/cart?a=1&amp;b=2" target="_blank">cart</a>',
    )
    expect(sanitizeAgentHtml('<a href="mailto:help@example.com">mail</a> <a href="/faq">faq</a>')).toBe(
      '<a href="mailto:help@example.com" target="_blank">mail</a> <a href="/faq" target="_blank">faq</a>',
    )
  })

  it('drops style attributes that could load or run something', () => {
    for (const style of [
      'background:url(javascript:alert(1))',
      'background:URL(https://evil.example/track.gif)',
      'width:expression(alert(1))',
      'width:expr/**/ession(alert(1))',
      'background:u\\rl(x)',
      '-moz-binding:url(x.xml#x)',
      'behavior:url(x.htc)',
    ]) {
      expect(sanitizeAgentHtml(`<div style="${style}">x</div>`), style).toBe('<div>x</div>')
    }
  })

  it('closes unclosed and mis-nested tags', () => {
    expect(sanitizeAgentHtml('<b>bold')).toBe('<b>bold</b>')
    expect(sanitizeAgentHtml('<b><i>both</b> after')).toBe('<b><i>both</i></b> after')
    expect(sanitizeAgentHtml('<div><p>one<p>two</div>')).toBe('<div><p>one</p><p>two</p></div>')
  })

  it('unwraps unknown elements and drops comments, keeping the text', () => {
    expect(sanitizeAgentHtml('<marquee>moving</marquee> <blink>x</blink><!-- note -->!')).toBe('moving x!')
  })

  it('keeps entities and escapes stray markup characters', () => {
    expect(sanitizeAgentHtml('a &amp; b < c > d "q" &lt;script&gt; &eacute; &#233;')).toBe(
      'a &amp; b &lt; c &gt; d "q" &lt;script&gt; é é',
    )
    expect(sanitizeAgentHtml('<a title="&quot;&gt;<script>" href="https://x.example">t</a>')).toBe(
      '<a title="&quot;&gt;&lt;script&gt;" href="https://x.example" target="_blank">t</a>',
    )
  })

  // Classic filter-evasion vectors (OWASP XSS cheat sheet style). Attribute values in the output are
  // double-quoted with <, > and " escaped, so tags and attribute names can be checked lexically.
  it.for([
    '<scr<script>ipt>alert(1)</script>',
    '<<script>script>alert(1)<</script>/script>',
    '<a href="java\u0000script:alert(1)">x</a>',
    '<img src="x" onerror=alert(1)//',
    '<IMG SRC=JaVaScRiPt:alert(1)>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<svg/onload=alert(1)>',
    '<div/onclick=alert(1)>x</div>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<details open ontoggle=alert(1)>x</details>',
    '<!--<script>alert(1)//--><script>alert(2)</script>',
    '<xmp><script>alert(1)</script></xmp>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<style><img src=x onerror=alert(1)></style>',
    '<textarea><script>alert(1)</script></textarea>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '"><script>alert(1)</script>',
  ])('leaves no script, event handler or script URL in %s', (input) => {
    const output = sanitizeAgentHtml(input)
    for (const tag of output.match(/<[^>]*>/g) ?? []) {
      const name = /^<\/?([a-z0-9]+)/i.exec(tag)?.[1]?.toLowerCase() ?? ''
      expect(['script', 'svg', 'math', 'style', 'iframe', 'textarea', 'noscript', 'xmp', 'body']).not.toContain(name)
      expect(tag.replace(/"[^"]*"/g, '""'), tag).not.toMatch(/\son[a-z]*\s*=/i)
      for (const [, value] of tag.matchAll(/\s(?:href|src|background|action|formaction)="([^"]*)"/gi)) {
        expect(value, tag).not.toMatch(/^\s*(javascript|vbscript|data:text)/i)
      }
    }
  })

  it('returns plain text unchanged', () => {
    expect(sanitizeAgentHtml('Hello, how can I help?')).toBe('Hello, how can I help?')
    expect(sanitizeAgentHtml('')).toBe('')
  })
})

describe('line text rules', () => {
  it('keeps visitor text as plain text, exactly as sent (chat-api.md §9.4)', () => {
    expect(visitorLineText('<b>hi</b> <script>x</script>')).toEqual({
      textType: 'plain',
      text: '<b>hi</b> <script>x</script>',
    })
  })

  it('sanitises agent html lines and keeps agent plain lines as given', () => {
    expect(agentLineText('html', '<b onclick="x()">hi</b>')).toBe('<b>hi</b>')
    expect(agentLineText('plain', '<b onclick="x()">hi</b>')).toBe('<b onclick="x()">hi</b>')
  })
})
