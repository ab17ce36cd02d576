/** System message ids Parley emits (chat-api.md §13); the id is also the transcript's `controlType`. */
export type SystemMessageId = 2 | 3 | 4 | 5 | 6 | 13 | 15 | 23

/** The system messages by name. */
export const SYSTEM_MESSAGE = {
  allAgentsBusy: 2,
  agentJoined: 3,
  welcome: 4,
  thankYou: 5,
  disconnected: 6,
  transferToAgent: 13,
  transferToSkill: 15,
  returnedToQueue: 23,
} as const satisfies Record<string, SystemMessageId>

export const DEFAULT_LANGUAGE = 'en-US'

/**
 * System message texts by language. Only en-US exists today (chat-api.md §13: texts are not
 * localised); a translation is one more entry here. `{agentName}` is filled in by `systemMessage`.
 */
export const SYSTEM_MESSAGES: Readonly<Record<string, Readonly<Record<SystemMessageId, string>>>> = {
  'en-US': {
    2: 'All our agents are currently busy. Please try again later.',
    3: 'You are now chatting with {agentName}.',
    4: 'Thank you for choosing to chat with us. An agent will be with you shortly.',
    5: 'Thank you for chatting with us.',
    6: 'The chat was disconnected.',
    13: 'Please wait while you are transferred to another agent.',
    15: 'Please wait while you are transferred to another department.',
    23: 'Your chat has been returned to the queue. An agent will be with you shortly.',
  },
}

/** Texts for `language`: an exact tag, else the first table whose primary subtag matches, else en-US. */
function textsFor(language: string): Readonly<Record<SystemMessageId, string>> {
  const exact = SYSTEM_MESSAGES[language]
  if (exact) return exact
  const primary = language.split(/[-_]/)[0]?.toLowerCase()
  const similar = Object.keys(SYSTEM_MESSAGES).find((tag) => tag.split('-')[0]?.toLowerCase() === primary)
  return (
    SYSTEM_MESSAGES[similar ?? DEFAULT_LANGUAGE] ??
    (SYSTEM_MESSAGES[DEFAULT_LANGUAGE] as Record<SystemMessageId, string>)
  )
}

/** The text of system message `id` in `language` (en-US fallback), e.g. `systemMessage('en-US', 3, { agentName: 'Natalie' })`. */
export function systemMessage(language: string, id: SystemMessageId, values: { agentName?: string } = {}): string {
  return textsFor(language)[id].replace('{agentName}', values.agentName ?? '')
}
