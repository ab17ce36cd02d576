import { useEffect } from 'preact/hooks'
import { useApp } from '../context.ts'
import { Campaigns } from './Campaigns.tsx'
import { Dashboard } from './Dashboard.tsx'
import { Header } from './Header.tsx'
import { History } from './History.tsx'
import { SignIn } from './SignIn.tsx'
import { Surveys } from './Surveys.tsx'
import { Users } from './Users.tsx'
import { Workspace } from './Workspace.tsx'

/** Signed out: the sign-in page. Signed in: the header and the page of the current route. */
export function App() {
  const { session, router, announcement, reconnecting } = useApp()
  const signedIn = session.current.value !== null
  const route = router.route.value
  const role = session.role.value

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
            {/* The workspace stays mounted on every page, so chats keep ringing and polling. */}
            <div class="route" hidden={route !== 'workspace'}>
              <Workspace />
            </div>
            {/* Surveys and campaigns admin pages. */}
            {route === 'surveys' && (role === 'admin' ? <Surveys /> : <NotAllowed what="the admin pages" />)}
            {route === 'campaigns' && (role === 'admin' ? <Campaigns /> : <NotAllowed what="the admin pages" />)}
            {route === 'history' && (role === 'agent' ? <NotAllowed what="the history explorer" /> : <History />)}
            {route === 'dashboard' && (role === 'agent' ? <NotAllowed what="the live dashboard" /> : <Dashboard />)}
            {route === 'users' && (role === 'admin' ? <Users /> : <NotAllowed what="the admin pages" />)}
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
