import sanitizeHtml, { type IOptions } from 'sanitize-html'

/**
 * Formatting and content elements an agent line may keep. Anything else is unwrapped (its text
 * stays); the elements in `REMOVED_WITH_CONTENT` disappear together with everything inside them.
 */
const ALLOWED_TAGS = [
  'a',
  'abbr',
  'address',
  'article',
  'aside',
  'b',
  'bdi',
  'bdo',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'details',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'font',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'main',
  'mark',
  'nav',
  'ol',
  'p',
  'pre',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'section',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'tt',
  'u',
  'ul',
  'var',
  'wbr',
]

/**
 * agent-api.md A14 names script, iframe, object, embed and form; the rest are removed for the same
 * reason (they run code, embed documents or restyle the visitor's page). Raw-text elements
 * (textarea, option, xmp, noscript, noembed, noframes, title) would otherwise leak their markup as text.
 */
const REMOVED_WITH_CONTENT = [
  'script',
  'iframe',
  'object',
  'embed',
  'form',
  'applet',
  'frame',
  'frameset',
  'style',
  'link',
  'meta',
  'base',
  'template',
  'svg',
  'math',
  'textarea',
  'select',
  'option',
  'button',
  'xmp',
  'noscript',
  'noembed',
  'noframes',
  'title',
  'head',
]

/** CSS that can load a resource or run code; a `style` attribute containing any of it is dropped whole. */
const ACTIVE_CSS = /url\(|image-set|expression|javascript:|vbscript:|behavior|binding|@import/i

function keepAttributes(attribs: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(attribs)) {
    if (name.toLowerCase().startsWith('on')) continue
    if (name.toLowerCase() === 'style') {
      // Comments, escapes and whitespace could hide `url(` or `expression` from the test.
      const normalized = value.replace(/\/\*[\s\S]*?\*\//g, '').replace(/[\\\s]/g, '')
      if (ACTIVE_CSS.test(normalized)) continue
    }
    kept[name] = value
  }
  return kept
}

const OPTIONS: IOptions = {
  allowedTags: ALLOWED_TAGS,
  // Every attribute passes this stage; `keepAttributes` removes `on*` and active styles, and the
  // scheme check below still applies to every URL-bearing attribute (href, src, srcset, xlink:href, ...).
  allowedAttributes: false,
  disallowedTagsMode: 'discard',
  nonTextTags: REMOVED_WITH_CONTENT,
  allowedSchemes: ['http', 'https', 'mailto', 'tel', 'ftp'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: true,
  transformTags: {
    '*': (tagName, attribs) => ({ tagName, attribs: keepAttributes(attribs) }),
    a: (tagName, attribs) => ({ tagName, attribs: { ...keepAttributes(attribs), target: '_blank' } }),
  },
}

/**
 * Sanitises the text of an agent line with `textType: "html"` before it is stored (agent-api.md
 * A14): `script`, `iframe`, `object`, `embed`, `form` (and other active or document-level elements)
 * are removed with their content, every `on*` attribute and every `javascript:` (or other
 * non-http/mailto/tel/ftp) URL is removed, and every link gets `target="_blank"`, replacing any other
 * target. Unknown elements are unwrapped, comments dropped, unclosed tags closed, and text
 * re-escaped (`&`, `<`, `>`), so the result is well-formed HTML. The ltr `<div>` wrapper is the
 * client's job and is neither added nor removed. Pure and deterministic.
 */
export function sanitizeAgentHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS)
}
