import { setTimeout as delay } from 'node:timers/promises'

/**
 * Re-evaluates `condition` until it returns true (or resolves to true), instead of sleeping a fixed
 * time. Errors thrown by `condition` abort the poll; a timeout fails with `message`.
 */
export async function pollUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const { timeoutMs = 15_000, intervalMs = 20 } = options
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(options.message ?? `condition not met within ${timeoutMs} ms`)
    await delay(intervalMs)
  }
}
