import { accountUrl, COLLAPSE, link, type Presented } from './chat-links.ts'
import type { LinkBase } from './chat-views.ts'

/** The account resource's rels in their normative order (chat-api.md §4); hrefs are under the account URL. */
const ACCOUNT_LINKS: ReadonlyArray<readonly [path: string, rel: string]> = [
  ['', 'self'],
  ['/chat/availability', 'chat-availability'],
  ['/chat/availableSlots', 'chat-available-slots'],
  ['/chat/estimatedWaitTime', 'chat-estimatedWaitTime'],
  ['/chat/request', 'chat-request'],
  ['/chat/preSurvey', 'prechat-survey'],
  ['/chat/offlineSurvey', 'chat-offline-survey'],
]

/** V0 account resource: `{"account": {"@id": "...", "link": [...]}}`, `@href`/`@rel`, XML `<account id="...">`. */
export function presentChatAccount(base: LinkBase): Presented {
  const url = accountUrl(base)
  return {
    document: {
      account: {
        '@id': base.accountId,
        link: ACCOUNT_LINKS.map(([path, rel]) => link(`${url}${path}`, rel, 'attribute')),
      },
    },
    render: COLLAPSE,
  }
}
