/** `startReason` codes and their descriptions (engagement-history.md §5.9). */
export const START_REASONS: Readonly<Record<string, string>> = {
  '0': 'Visitor request',
  '1': 'Transfer',
  '2': 'Transfer failed',
  '3': 'ACD attempt',
  '4': 'ACD no assignment',
  '5': 'Operator assignment',
  '6': 'Skill reassign',
  '7': 'Rep request',
  '8': 'A2A reassign',
}

/** `endReason` codes and their descriptions (engagement-history.md §5.9). */
export const END_REASONS: Readonly<Record<string, string>> = {
  '101': 'Transfer - rep stopped chat',
  '106': 'Transfer - Reassignment to skill',
  '201': 'Rep stopped chat',
  '202': 'Rep disconnected',
  '205': 'Visitor disconnected',
  '208': 'Visitor was no longer in chat',
  '210': 'Visitor closed chat',
}
