import { ParleyError } from '../../core/errors.ts'

/** Longest accepted JSONP callback name. LivePerson's SDK names (`lpCb12345x67890`) are far shorter. */
export const MAX_CALLBACK_LENGTH = 128

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

// Reserved words are not identifiers: `if({...});` would be a syntax error in the visitor's page.
const RESERVED = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false ' +
    'finally for function if implements import in instanceof interface let new null package private protected ' +
    'public return static super switch this throw true try typeof var void while with yield'
  ).split(' '),
)

/** True for a plain JavaScript identifier (ASCII, not a reserved word) of at most `MAX_CALLBACK_LENGTH` characters. */
export function isCallbackName(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= MAX_CALLBACK_LENGTH && IDENTIFIER.test(value) && !RESERVED.has(value)
  )
}

/** The `cb` query parameter as a callback name, or VALIDATION_FAILED (400): it is written into a script verbatim. */
export function requireCallbackName(value: unknown): string {
  if (isCallbackName(value)) return value
  throw new ParleyError(
    'VALIDATION_FAILED',
    `querystring.cb: must be a JavaScript identifier of at most ${MAX_CALLBACK_LENGTH} characters`,
    { field: 'querystring.cb' },
  )
}

/** `name(<json>);`, the JSONP answer shape of docs/browser-transports.md. */
export const renderJsonp = (callback: string, payload: unknown): string => `${callback}(${JSON.stringify(payload)});`

/** Content type of every JSONP answer. */
export const JAVASCRIPT = 'application/javascript; charset=UTF-8'
