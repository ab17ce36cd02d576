import { useEffect } from 'preact/hooks'
import { useApp } from '../context.ts'
import { Header } from './Header.tsx'
import { SignIn } from './SignIn.tsx'
import { Workspace } from './Workspace.tsx'

/** Signed out: the sign-in page. Signed in: the header and the page of the current route. */
export function App() {
  const { session, router, announcement, reconnecting } = useApp()
  const signedIn = session.current.value !== null

  useEffect(() => {
    if (!signedIn && router.route.value !== 'sign-in') router.go('sign-in', location.search)
    if (signedIn && router.route.value === 'sign-in') router.go('workspace')
  }, [signedIn, router.route.value])

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      {signedIn ? (
        <>
          <Header />
          {reconnecting.value && (
            <div class="banner banner-warn" role="status">
              Reconnecting to the server… Your chats and unsent lines are kept.
            </div>
          )}
          <main id="main" tabIndex={-1}>
            <Workspace />
          </main>
        </>
      ) : (
        <main id="main" tabIndex={-1}>
          <SignIn />
        </main>
      )}
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement.value}
      </div>
    </>
  )
}
