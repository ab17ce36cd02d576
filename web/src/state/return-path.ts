/** Where the sign-in may send a person back to: a shared link of this console, nothing else. */

/** A path of this console (same origin, under /console/): the only place a sign-in may return to. */
export function isConsolePath(path: string): boolean {
  return path.startsWith('/console/') && !path.startsWith('//') && !/[\\\s]/.test(path)
}

/** Where a person was sent to sign in from, kept for this tab (sessionStorage) until they are signed in. */
export const RETURN_KEY = 'parley.console.returnTo'
