import type { FastifyReply, FastifyRequest } from 'fastify'
import { renderJson, renderXml, type RenderOptions, type WireDocument } from './wire/codec.ts'

/**
 * Sends a presenter's neutral document in the request's negotiated format (Decision D1):
 * JSON with `@` keys (singletons collapsed unless `keep`), or XML through the codec.
 */
export function sendWire(
  request: FastifyRequest,
  reply: FastifyReply,
  document: WireDocument,
  options: RenderOptions = { singletons: 'collapse' },
): FastifyReply {
  if (request.wire.format === 'xml') return reply.type('application/xml; charset=UTF-8').send(renderXml(document))
  return reply.type('application/json; charset=UTF-8').send(renderJson(document, options))
}
