import { useApp } from '../../context.ts'
import { ADMIN_ROUTES, PATHS, type AdminRoute } from '../../state/router.ts'
import { Campaigns } from '../Campaigns.tsx'
import { Surveys } from '../Surveys.tsx'
import { AgentGroups } from './AgentGroups.tsx'
import { Keys } from './Keys.tsx'
import { Skills } from './Skills.tsx'
import { Users } from './Users.tsx'

/** The admin area (Admin only): its own navigation and the page of the route. */
export function Admin({ route }: { route: AdminRoute }) {
  const { router } = useApp()
  return (
    <div class="admin">
      <nav class="subnav" aria-label="Admin pages">
        {ADMIN_ROUTES.map(([page, label]) => (
          <a
            key={page}
            href={PATHS[page]}
            aria-current={route === page ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault()
              router.go(page)
            }}
          >
            {label}
          </a>
        ))}
      </nav>
      {route === 'users' && <Users />}
      {route === 'skills' && <Skills />}
      {route === 'agent-groups' && <AgentGroups />}
      {route === 'surveys' && <Surveys />}
      {route === 'campaigns' && <Campaigns />}
      {route === 'keys' && <Keys />}
    </div>
  )
}
