import { accountCommands } from './account-commands.ts'
import { archiveCommands } from './archive.ts'
import type { Command } from './command.ts'
import { historyCommands } from './history-commands.ts'
import { keyCommands } from './key-commands.ts'
import { mailCommands } from './mail-commands.ts'
import { offlineMessagesCommands } from './offline-messages.ts'
import { serverCommands } from './serve.ts'
import { userCommands } from './user-commands.ts'
import { userLockCommands } from './user-locks.ts'

/**
 * Every `parley` command, in the order `parley --help` lists them. A new command lives in its own
 * module (an array of `Command`) and is added here; the dispatcher (index.ts) needs no change.
 */
export const COMMANDS: readonly Command[] = [
  ...serverCommands,
  ...accountCommands,
  ...userCommands,
  ...userLockCommands,
  ...keyCommands,
  ...historyCommands,
  ...archiveCommands,
  ...mailCommands,
  ...offlineMessagesCommands,
]
