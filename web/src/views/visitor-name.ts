/**
 * LivePerson's default visitor name is `You` (the visitor's own view, kept as is in the archive:
 * engagement-history.md §5.1, `info.visitorName` and the visitor lines' `by`). Shown to a manager
 * it reads as the manager, so the console says "Visitor" instead, and prefers the first real name:
 * the one the line was written under, then the engagement's.
 */
export const DEFAULT_VISITOR_NAME = 'You'

export function visitorLabel(...names: Array<string | undefined>): string {
  return names.find((name) => name !== undefined && name.trim() !== '' && name !== DEFAULT_VISITOR_NAME) ?? 'Visitor'
}
