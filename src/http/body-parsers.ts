import type { FastifyRequest } from 'fastify'
import { ParleyError } from '../core/errors.ts'
import type { ParleyApp } from './parley-app.ts'
import { parseXmlBody } from './wire/codec.ts'

const malformed = (format: string): ParleyError => new ParleyError('VALIDATION_FAILED', `body: malformed ${format}`)

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw malformed('JSON')
  }
}

function parseXml(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return parseXmlBody(text)
  } catch {
    throw malformed('XML')
  }
}

/** Form bodies become an object; repeated fields become arrays (used by OAuth form signing and OAuth 2.0 tokens). */
function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(text)) {
    const existing = out[name]
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return out
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The body as text. Invalid UTF-8 is refused rather than decoded to U+FFFD, which would store
 * something other than what the client sent (docs/wire-conventions.md, "Input the databases cannot store").
 */
function decodeUtf8(body: Buffer): string {
  try {
    return strictUtf8.decode(body)
  } catch {
    throw new ParleyError('VALIDATION_FAILED', 'body: is not valid UTF-8', { field: 'body' })
  }
}

/** Decides by the first non-blank character: `{`/`[` JSON, `<` XML (wire-conventions.md §4). */
function sniff(text: string, request: FastifyRequest): unknown {
  const first = text.trimStart()[0]
  if (first === undefined) return undefined
  if (first === '{' || first === '[') return parseJson(text)
  if (first === '<') return parseXml(text)
  if ((request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return parseForm(text)
  throw new ParleyError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type')
}

/** JSON, XML and sniffed bodies, all UTF-8 and size-limited by Fastify's `bodyLimit`. */
export function registerBodyParsers(app: ParleyApp): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(/^application\/(.+\+)?json(\s*;.*)?$/i, { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJson(decodeUtf8(body as Buffer)))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
  app.addContentTypeParser(
    /^(application|text)\/(.+\+)?xml(\s*;.*)?$/i,
    { parseAs: 'buffer' },
    (_request, body, done) => {
      try {
        done(null, parseXml(decodeUtf8(body as Buffer)))
      } catch (error) {
        done(error as Error, undefined)
      }
    },
  )
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, sniff(decodeUtf8(body as Buffer), request))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}
