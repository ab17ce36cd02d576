import type { ChatAvailability } from '../chat/agent-directory.ts'
import { invalid } from '../errors.ts'

/** A4's settable values, by their lower-case spelling. */
export const SETTABLE: Readonly<Record<string, ChatAvailability>> = {
  online: 'Online',
  away: 'Away',
  occupied: 'Occupied',
}

const BY_ROLE = 'byrole'

/** A4's values (and A1's `availability` extension), case-insensitive; VALIDATION_FAILED otherwise. */
export function settable(value: string | undefined): ChatAvailability {
  const chat = typeof value === 'string' ? SETTABLE[value.trim().toLowerCase()] : undefined
  if (!chat) throw invalid('availability.chat', 'must be Online, Away or Occupied')
  return chat
}

/** Rejects a bad A1 `availability` before anything is written (or a login attempted). */
export function checkStartAvailability(requested: string | undefined): void {
  if (requested !== undefined && requested.trim().toLowerCase() !== BY_ROLE) settable(requested)
}

/**
 * The availability a user's first live session starts with (A1, docs/agent-sessions.md): the
 * service's default when nothing is asked, A4's values as asked, or `byRole`: Away for Admins and
 * Agent Managers (permission group 4 or 2), who take chats only when they choose to, else the default.
 */
export function startAvailability(
  requested: string | undefined,
  permissionGroups: () => Promise<readonly string[]>,
  initial: ChatAvailability,
): Promise<ChatAvailability> | ChatAvailability {
  if (requested === undefined) return initial
  if (requested.trim().toLowerCase() !== BY_ROLE) return settable(requested)
  return permissionGroups().then((groups) => (groups.includes('4') || groups.includes('2') ? 'Away' : initial))
}
