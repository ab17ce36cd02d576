import { ApiError } from '../api/http.ts'

/**
 * A failure in words a person can act on: what happened and what to do next. The API's own
 * message is kept for the errors that name something (a field, a question, a chat state).
 */
export function explain(failure: unknown): string {
  if (failure instanceof ApiError) {
    switch (failure.kind) {
      case 'server':
        return `The server had a problem (HTTP ${failure.status}). Nothing was lost; try again in a moment.`
      case 'rate-limited':
        return `The server is busy (too many requests). Try again in ${failure.retryAfter > 0 ? `${failure.retryAfter} s` : 'a few seconds'}.`
      case 'network':
        return 'The server cannot be reached. Check the connection; the console keeps trying.'
      case 'auth':
      case 'forbidden':
      case 'invalid':
      case 'not-found':
        return failure.message
    }
  }
  return failure instanceof Error ? failure.message : String(failure)
}
