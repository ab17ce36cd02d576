import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'
import type { EntityDecoderOptions } from 'fast-xml-parser'

export type WireScalar = string | number | boolean | null

/**
 * A JSON value carried verbatim (a rich-content line's `json`): JSON output embeds it exactly as
 * given, with no singleton collapsing inside; XML output carries its JSON text as the element's text
 * (wire-conventions.md §7).
 */
export class WireJson {
  readonly value: unknown
  constructor(value: unknown) {
    this.value = value
  }
}

export type WireValue = WireScalar | WireNode | WireValue[] | WireJson
/** A neutral element: keys starting with `@` are XML attributes; an `undefined` value means the key is omitted. */
export interface WireNode {
  [key: string]: WireValue | undefined
}
/** A response document: exactly one root key, e.g. `{ chat: {...} }` or `{ error: {...} }`. */
export type WireDocument = WireNode

/**
 * `collapse`: a one-element array renders as its bare element and an empty array as an absent key
 * (the `@`-style documents). `keep`: arrays stay arrays, empty ones included (stand-alone `info`,
 * `chatSessions`, multi-chat `chats`).
 */
export interface RenderOptions {
  singletons: 'collapse' | 'keep'
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

const MAX_XML_DEPTH = 64
const ATTRIBUTE_PREFIX = '@'
const TEXT_KEY = '#text'
// Conservative subset of the XML Name production: no namespaces, nothing the builder treats specially.
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
// Everything outside the XML 1.0 Char production, lone surrogates included (the `u` flag sees them as code points).
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
const REFERENCE = /&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|(lt|gt|amp|quot|apos));/g

/**
 * Renders a document as compact JSON. Guarantees: omitted (`undefined`) keys are absent, `null`
 * renders as `null`, and with `collapse` (the default) a one-element array becomes its bare element
 * and an empty array removes its key. Throws a `TypeError` on a non-finite number.
 */
export function renderJson(doc: WireDocument, options: RenderOptions = { singletons: 'collapse' }): string {
  return JSON.stringify(toJsonNode(doc, options.singletons === 'collapse'))
}

function toJsonNode(node: WireNode, collapse: boolean): Record<string, unknown> {
  const entries: Array<[string, unknown]> = []
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined) continue
    if (value instanceof WireJson) {
      if (value.value !== undefined) entries.push([key, value.value])
    } else if (Array.isArray(value)) {
      const items = value.map((item) => toJsonValue(item, collapse))
      if (!collapse) entries.push([key, items])
      else if (items.length === 1) entries.push([key, items[0]])
      else if (items.length > 1) entries.push([key, items])
    } else {
      entries.push([key, toJsonValue(value, collapse)])
    }
  }
  // fromEntries defines own properties, so a `__proto__` key cannot reach the prototype.
  return Object.fromEntries(entries)
}

function toJsonValue(value: WireValue, collapse: boolean): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return finite(value)
  if (value instanceof WireJson) return value.value ?? null
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, collapse))
  return toJsonNode(value, collapse)
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`Cannot render non-finite number ${value}`)
  return value
}

type XmlInput = string | XmlInputNode | XmlInput[]
interface XmlInputNode {
  [key: string]: XmlInput
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  textNodeName: TEXT_KEY,
  format: false,
  suppressEmptyNode: true,
  // Otherwise an attribute whose value is "true" would be written without a value.
  suppressBooleanAttributes: false,
  processEntities: true,
})

/**
 * Renders a document as XML: the standalone declaration, then the single root element, no
 * indentation, no namespace. Guarantees: `@` keys become attributes, arrays become repeated elements,
 * empty arrays, `null` and `undefined` produce nothing, `""` renders as an empty element, numbers and
 * booleans become text, text and attribute values are escaped with the five XML entities, and
 * characters that XML 1.0 cannot carry are dropped. Throws a `TypeError` when the document does not
 * have exactly one element root, when a key is not a plain XML name, when an attribute holds an
 * object or array, or on a non-finite number.
 */
export function renderXml(doc: WireDocument): string {
  const roots = Object.entries(doc).filter(([, value]) => value !== undefined && value !== null)
  const root = roots[0]
  if (roots.length !== 1 || root === undefined) throw new TypeError('An XML document needs exactly one root key')
  const [name, value] = root
  if (name.startsWith(ATTRIBUTE_PREFIX) || Array.isArray(value) || value === undefined || value === null) {
    throw new TypeError(`Root key "${name}" cannot be rendered as a single XML element`)
  }
  assertXmlName(name)
  const body: string = builder.build(Object.fromEntries([[name, toXmlValue(value)]]))
  return XML_DECLARATION + body
}

function toXmlValue(value: WireNode | WireJson | string | number | boolean): XmlInput {
  if (value instanceof WireJson) return xmlText(JSON.stringify(value.value) ?? '')
  if (typeof value === 'object') return toXmlNode(value)
  return xmlText(value)
}

function toXmlNode(node: WireNode): XmlInputNode {
  const entries: Array<[string, XmlInput]> = []
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined || value === null) continue
    if (key.startsWith(ATTRIBUTE_PREFIX)) {
      assertXmlName(key.slice(ATTRIBUTE_PREFIX.length))
      if (typeof value === 'object') throw new TypeError(`Attribute "${key}" must hold a scalar`)
      entries.push([key, xmlText(value)])
      continue
    }
    assertXmlName(key)
    if (Array.isArray(value)) {
      const items = repeatedElements(value).map(toXmlValue)
      if (items.length > 0) entries.push([key, items])
    } else {
      entries.push([key, toXmlValue(value)])
    }
  }
  return Object.fromEntries(entries)
}

function repeatedElements(values: WireValue[]): Array<WireNode | WireJson | string | number | boolean> {
  const out: Array<WireNode | WireJson | string | number | boolean> = []
  for (const value of values) {
    if (value === null) continue
    if (Array.isArray(value)) out.push(...repeatedElements(value))
    else out.push(value)
  }
  return out
}

function xmlText(value: string | number | boolean): string {
  if (typeof value === 'number') return String(finite(value))
  if (typeof value === 'boolean') return String(value)
  return value.replace(INVALID_XML_CHARS, '')
}

function assertXmlName(name: string): void {
  if (!XML_NAME.test(name)) throw new TypeError(`"${name}" is not a usable XML name`)
}

// Decodes only the five predefined entities and character references, in one pass (so `&amp;lt;`
// stays `&lt;`). A DOCTYPE makes the parser hand us its entities; we refuse the document instead,
// so internal entities are never expanded (billion laughs) and external ones never fetched.
const entityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => {
    throw new SyntaxError('DOCTYPE declarations are not allowed')
  },
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text) =>
    text.replace(REFERENCE, (reference, decimal?: string, hex?: string, name?: string) => {
      if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? reference
      const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16)
      const char = codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : ''
      if (char === '' || char.replace(INVALID_XML_CHARS, '') === '') {
        throw new SyntaxError(`Character reference ${reference} is not a legal XML character`)
      }
      return char
    }),
}

function createParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    htmlEntities: false,
    entityDecoder,
    maxNestedTags: MAX_XML_DEPTH,
  })
}

/**
 * Decodes an XML request body into the JSON shape clients send: the root element becomes the single
 * top-level key, attributes become `@` keys, a repeated child becomes an array and a single child a
 * bare value, an empty element becomes `""`, and all values stay strings. Whitespace between child
 * elements is dropped; text in a leaf element is kept exactly. Never expands DTD entities.
 * Throws a `SyntaxError` for anything that is not a well-formed document with exactly one root
 * element, for any DOCTYPE, and for nesting deeper than 64 elements.
 */
export function parseXmlBody(text: string): WireNode {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const validation = XMLValidator.validate(source)
  if (validation !== true) {
    const { msg, line, col } = validation.err
    throw new SyntaxError(`Malformed XML at line ${line}, column ${col}: ${msg}`)
  }
  let parsed: unknown
  try {
    parsed = createParser().parse(source)
  } catch (error) {
    if (error instanceof SyntaxError) throw error
    throw new SyntaxError(`Malformed XML: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
  if (!isRecord(parsed)) throw new SyntaxError('Malformed XML: no root element')
  const roots = Object.entries(parsed)
  const root = roots[0]
  if (roots.length !== 1 || root === undefined || Array.isArray(root[1])) {
    throw new SyntaxError('Malformed XML: expected exactly one root element')
  }
  return Object.fromEntries([[root[0], toWire(root[1], 1)]])
}

function toWire(value: unknown, depth: number): WireValue {
  if (depth > MAX_XML_DEPTH) throw new SyntaxError(`Malformed XML: nesting deeper than ${MAX_XML_DEPTH}`)
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map((item) => toWire(item, depth))
  if (!isRecord(value)) return ''
  const attributes: Array<[string, WireValue]> = []
  const children: Array<[string, WireValue]> = []
  let text: string | undefined
  for (const [key, child] of Object.entries(value)) {
    if (key === TEXT_KEY) text = typeof child === 'string' ? child : String(child)
    else if (key.startsWith(ATTRIBUTE_PREFIX)) attributes.push([key, toWire(child, depth)])
    else children.push([key, toWire(child, depth + 1)])
  }
  if (children.length === 0 && attributes.length === 0) return text ?? ''
  const entries = [...attributes, ...children]
  // Whitespace around child elements is indentation, not content.
  if (text !== undefined && text.trim() !== '') entries.push([TEXT_KEY, text])
  return Object.fromEntries(entries)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
