import { err } from './output.ts'

/** Exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = 130

/** A long command's view of Ctrl-C: asked once, it finishes its batch and reports what it kept. */
export interface InterruptWatch {
  /** True once SIGINT (or SIGTERM) arrived. */
  requested(): boolean
  /** Restores the default behaviour (a later Ctrl-C ends the process). */
  dispose(): void
}

/**
 * Catches Ctrl-C during a long import or generation: the first one asks the command to stop
 * after the batch in progress and print what was kept; a second one quits at once.
 */
export function watchInterrupt(what: string): InterruptWatch {
  let requested = false
  const onSignal = (): void => {
    if (requested) process.exit(INTERRUPTED_EXIT)
    requested = true
    err(`parley: stopping the ${what} after the current batch (Ctrl-C again to quit at once)`)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    requested: () => requested,
    dispose() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
