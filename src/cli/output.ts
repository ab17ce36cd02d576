import { Presets, SingleBar } from 'cli-progress'
/** CLI output: results on stdout, messages on stderr. The only place allowed to write to the terminal directly. */
export const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
}
export const err = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}
export const outJson = (value: unknown): void => out(JSON.stringify(value))

/** Writes a chunk of a large result to stdout, waiting when the pipe is full (exports of millions of lines). */
export const outChunk = (text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const flushed = process.stdout.write(text, (error) => (error ? reject(error) : undefined))
    if (flushed) resolve()
    else process.stdout.once('drain', resolve)
  })

/** A progress bar on stderr; it draws only when stderr is a terminal, so pipes and tests stay clean. */
export const progressBar = (label: string): SingleBar =>
  new SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
      etaBuffer: 50,
      fps: 5,
    },
    Presets.shades_classic,
  )

/**
 * A running count on stderr ("Exported 120000 record(s)") for commands whose total is unknown
 * in advance; drawn only when stderr is a terminal, at most five times a second.
 */
export function progressCounter(
  label: string,
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update(count: number): void; stop(count: number): void } {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} }
  let last = 0
  const draw = (count: number): void => {
    stream.write(`\r${label} ${count} ${unit}`)
  }
  return {
    update(count) {
      const now = Date.now()
      if (now - last < 200) return
      last = now
      draw(count)
    },
    stop(count) {
      draw(count)
      stream.write('\n')
    },
  }
}
