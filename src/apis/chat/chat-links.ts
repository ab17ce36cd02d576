import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendWire } from '../../http/reply.ts'
import type { RenderOptions, WireDocument, WireNode } from '../../http/wire/codec.ts'
import type { LinkBase } from './chat-views.ts'

/** A presenter's result: the neutral document and how its lists render (wire-conventions.md §7). */
export interface Presented {
  document: WireDocument
  render: RenderOptions
}

/** `@`-style documents: a one-element list renders as a bare object, an empty one is absent. */
export const COLLAPSE: RenderOptions = { singletons: 'collapse' }
/** Documents without `@` keys (stand-alone info, chatSessions, multi-chat): lists stay arrays. */
export const KEEP: RenderOptions = { singletons: 'keep' }

/** Sends a presenter's result in the request's negotiated format (Decision D1). */
export function sendPresented(request: FastifyRequest, reply: FastifyReply, presented: Presented): FastifyReply {
  return sendWire(request, reply, presented.document, presented.render)
}

/** Link key style: `@href`/`@rel` (attributes in XML) or plain `href`/`rel` (child elements). */
export type LinkStyle = 'attribute' | 'plain'

/** One link; `href` comes before `rel`, as in every LivePerson example. */
export function link(href: string, rel: string, style: LinkStyle): WireNode {
  return style === 'attribute' ? { '@href': href, '@rel': rel } : { href, rel }
}

/** `{origin}/api/account/{accountId}` (account ids are letters, digits and underscores). */
export const accountUrl = (base: LinkBase): string => `${base.origin}/api/account/${base.accountId}`

/** The visitor's chat URL, as in the chat request's `Location` (chat keys are URL-safe). */
export const visitorChatUrl = (base: LinkBase, chatKey: string): string => `${accountUrl(base)}/chat/${chatKey}`

/** `{origin}/api/account/{accountId}/agentSession/{agentSessionId}`. */
export const agentSessionUrl = (base: LinkBase, agentSessionId: string | number): string =>
  `${accountUrl(base)}/agentSession/${agentSessionId}`

/** The agent chat URL of one agent session. */
export const agentChatUrl = (base: LinkBase, agentSessionId: string | number, chatKey: string): string =>
  `${agentSessionUrl(base, agentSessionId)}/chat/${chatKey}`

const CHAT_KEY_PARTS = /^(H\d+)-[0-9a-f]+(K\d+)$/

/**
 * The visit id of a chat key: the key without its `-…` middle part (wire-conventions.md §11),
 * `H3079121553394024223-70f3…31b9K8388834` → `H3079121553394024223K8388834`. A key of another
 * shape is its own visit id.
 */
export function visitIdOf(chatKey: string): string {
  const match = CHAT_KEY_PARTS.exec(chatKey)
  return match ? `${match[1] ?? ''}${match[2] ?? ''}` : chatKey
}
