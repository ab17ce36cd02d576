/** CLI output: results on stdout, messages on stderr. The only place allowed to write to the terminal directly. */
export const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
}
export const err = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
}
export const outJson = (value: unknown): void => out(JSON.stringify(value))
