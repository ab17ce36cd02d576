import { fieldOf } from '../api/config.ts'
import { ApiError } from '../api/http.ts'

/** What a failed configuration write means for a form: errors beside fields, one for the form, or a stale page. */
export interface FormProblem {
  /** Field name → the API's message without the field prefix. */
  fields: Record<string, string>
  /** A message for the whole form (or page) when no known field is named. */
  form: string
  /** 412: someone changed the account's configuration since the page read it; the page reloads. */
  stale: boolean
}

export const NO_PROBLEM: FormProblem = { fields: {}, form: '', stale: false }

export const STALE_MESSAGE =
  'Someone else changed the account configuration since this page was loaded. The page now shows the current values: check them and save again.'

/**
 * Turns a failed write into what the form shows: a 412 is a stale page; an API message that names
 * one of `fields` (`"passwordSh: must have …"`, `"body.maxChats: must be integer"`) goes beside that
 * field; anything else is shown for the form.
 */
export function problemOf(failure: unknown, fields: readonly string[]): FormProblem {
  const message = failure instanceof Error ? failure.message : String(failure)
  if (failure instanceof ApiError && failure.status === 412) return { fields: {}, form: STALE_MESSAGE, stale: true }
  const field = failure instanceof ApiError ? fieldOf(message) : undefined
  if (field && fields.includes(field))
    return { fields: { [field]: message.replace(/^[^:]+:\s*/, '') }, form: '', stale: false }
  return { fields: {}, form: message, stale: false }
}

/** The message of a failure, for a banner. */
export const messageOf = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure))
