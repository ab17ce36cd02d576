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
