import { sanitizeAgentHtml } from './sanitize-agent-html.ts'

/** `textType` values a stored line can carry (chat-api.md §9.2, agent-api.md A14). */
export type LineTextType = 'plain' | 'html' | 'rich-content'

/**
 * Visitor text is always plain text (chat-api.md §9.4): whatever `textType` the client sends, the
 * line is stored as `plain` with the text exactly as given. HTML in it is never interpreted; the
 * codec escapes it on the way out, so it reaches agents as literal characters.
 */
export function visitorLineText(text: string): { textType: 'plain'; text: string } {
  return { textType: 'plain', text }
}

/**
 * The text an agent line is stored with: `html` lines go through `sanitizeAgentHtml` (agent-api.md
 * A14), `plain` lines are kept as given. `rich-content` lines carry `json` instead of text and are
 * not handled here.
 */
export function agentLineText(textType: 'plain' | 'html', text: string): string {
  return textType === 'html' ? sanitizeAgentHtml(text) : text
}
