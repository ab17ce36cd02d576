import { useEffect } from 'preact/hooks'
import { useApp } from '../context.ts'
import { RETURN_KEY } from '../state/return-path.ts'
import { Dashboard } from './Dashboard.tsx'
import { Header } from './Header.tsx'
import { History } from './History.tsx'
import { SignIn } from './SignIn.tsx'
import { Workspace } from './Workspace.tsx'
import { Admin } from './admin/Admin.tsx'
import { isAdminRoute } from '../state/router.ts'

/** Signed out: the sign-in page. Signed in: the header and the page of the current route. */
export function App() {
  const { session, router, announcement, reconnecting, rateLimited } = useApp()
  const signedIn = session.current.value !== null
  const route = router.route.value
  const role = session.role.value

  useEffect(() => {
    if (!signedIn && router.route.value !== 'sign-in') {
      // A shared link (/console/history?…) opens again after the sign-in.
      if (router.route.value !== 'workspace')
        sessionStorage.setItem(RETURN_KEY, `${location.pathname}${location.search}`)
      router.go('sign-in', location.search)
    }
    if (signedIn && router.route.value === 'sign-in') {
      const back = sessionStorage.getItem(RETURN_KEY)
      sessionStorage.removeItem(RETURN_KEY)
      if (back) router.open(back)
      else router.go('workspace')
    }
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
          {rateLimited.value > 0 && (
            <div class="banner banner-warn" role="status">
              The server is busy (too many requests): trying again in {rateLimited.value} s, as it asked.
            </div>
          )}
          <main id="main" tabIndex={-1}>
            {/* The workspace stays mounted on every page, so chats keep ringing and polling. */}
            <div class="route" hidden={route !== 'workspace'}>
              <Workspace />
            </div>
            {route === 'history' && (role === 'agent' ? <NotAllowed what="the history explorer" /> : <History />)}
            {route === 'dashboard' && (role === 'agent' ? <NotAllowed what="the live dashboard" /> : <Dashboard />)}
            {isAdminRoute(route) &&
              (role === 'admin' ? <Admin route={route} /> : <NotAllowed what="the admin pages" />)}
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

function NotAllowed({ what }: { what: string }) {
  return (
    <p class="empty" role="alert">
      Your permission groups do not include {what}. Ask an admin if you need it.
    </p>
  )
}
