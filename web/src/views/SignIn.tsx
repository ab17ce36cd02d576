import { useSignal } from '@preact/signals'
import { ApiError } from '../api/http.ts'
import { useApp } from '../context.ts'

const ACCOUNT_KEY = 'parley.console.accountId'

/** Account id, login name and password through the Login Service. */
export function SignIn() {
  const { session } = useApp()
  // `?account=demo` (the link the demo prints) wins over the account used last on this browser.
  const accountId = useSignal(
    new URLSearchParams(location.search).get('account') ?? localStorage.getItem(ACCOUNT_KEY) ?? '',
  )
  const username = useSignal('')
  const password = useSignal('')
  const busy = useSignal(false)
  const error = useSignal('')

  const submit = async (event: Event) => {
    event.preventDefault()
    busy.value = true
    error.value = ''
    try {
      await session.signIn(accountId.value.trim(), username.value.trim(), password.value)
      localStorage.setItem(ACCOUNT_KEY, accountId.value.trim())
    } catch (failure) {
      error.value =
        failure instanceof ApiError && failure.kind === 'auth'
          ? 'The account, login name or password is not right.'
          : failure instanceof ApiError && failure.kind === 'rate-limited'
            ? 'Too many failed attempts. Wait a few minutes, then try again.'
            : failure instanceof ApiError && failure.kind === 'network'
              ? 'The server cannot be reached. Check your connection and try again.'
              : `Sign-in failed: ${failure instanceof Error ? failure.message : String(failure)}`
    } finally {
      busy.value = false
    }
  }

  return (
    <div class="sign-in">
      <form class="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <span class="brand-mark" aria-hidden="true">
            P
          </span>{' '}
          Parley Console
        </h1>
        {session.message.value && (
          <p class="banner banner-info" role="status">
            {session.message.value}
          </p>
        )}
        <label for="account">Account</label>
        <input
          id="account"
          name="account"
          autoComplete="organization"
          required
          value={accountId.value}
          onInput={(event) => (accountId.value = event.currentTarget.value)}
        />
        <label for="username">Login name</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          value={username.value}
          onInput={(event) => (username.value = event.currentTarget.value)}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password.value}
          onInput={(event) => (password.value = event.currentTarget.value)}
        />
        {error.value && (
          <p class="field-error" role="alert">
            {error.value}
          </p>
        )}
        <button class="button primary" type="submit" disabled={busy.value}>
          {busy.value ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  )
}
