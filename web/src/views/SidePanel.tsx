import type { EngagementAttributeEvent } from '../api/agent.ts'
import type { ChatModel } from '../state/workspace.ts'
import { Trend } from './Trend.tsx'

/** Flattens an engagement attribute's payload into label/value pairs (nulls and time stamps left out). */
function attributeFields(event: EngagementAttributeEvent): Array<[string, string]> {
  const fields: Array<[string, string]> = []
  const walk = (value: unknown, path: string) => {
    if (value === null || value === undefined || value === '') return
    if (Array.isArray(value)) return value.forEach((item, index) => walk(item, `${path}[${index}]`))
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'serverTimeStamp' || key === 'originalTimeStamp') continue
        walk(inner, path ? `${path}.${key}` : key)
      }
      return
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields.push([path.split('.').slice(-1)[0] ?? path, String(value)])
  }
  for (const [key, value] of Object.entries(event)) {
    if (key === 'sdeType' || key === 'isAuthenticated' || key.endsWith('TimeStamp')) continue
    walk(value, '')
  }
  return fields
}

function Pairs({ rows }: { rows: Array<[string, string | undefined]> }) {
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
  if (shown.length === 0) return <p class="muted">None</p>
  return (
    <dl class="pairs">
      {shown.map(([label, value], index) => (
        <div key={`${label}-${index}`}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

const mcsLabel = (alerted: number | null) => (alerted === 1 ? 'positive' : alerted === -1 ? 'negative' : 'neutral')

/** Pre-chat answers, engagement attributes, visitor info, custom variables, referrer and entry page, MCS. */
export function SidePanel({ chat }: { chat: ChatModel }) {
  const side = chat.side
  const context = side?.context
  const entryPage = chat.events.find((event) => event['@type'] === 'url')?.url
  return (
    <aside class="side-panel" id="side-panel" aria-label="Visitor details" tabIndex={0}>
      {!side && <p class="muted">Loading visitor details…</p>}
      {side?.error && (
        <p class="banner banner-warn" role="status">
          Some details could not be loaded: {side.error}
        </p>
      )}
      <section>
        <h3>Pre-chat answers</h3>
        <Pairs rows={(context?.preChatSurvey ?? []).map((item) => [item.question, item.answer])} />
      </section>
      <section>
        <h3>Engagement attributes</h3>
        {(side?.attributes ?? []).length === 0 && <p class="muted">None</p>}
        {(side?.attributes ?? []).map((event, index) => (
          <div key={index} class="attribute">
            <h4>{event.sdeType.replace(/_/g, ' ').toLowerCase()}</h4>
            <Pairs rows={attributeFields(event)} />
          </div>
        ))}
      </section>
      <section>
        <h3>Visitor</h3>
        <Pairs
          rows={[
            [
              'Location',
              [context?.visitorInfo.city, context?.visitorInfo.state, context?.visitorInfo.country]
                .filter(Boolean)
                .join(', '),
            ],
            ['Browser', context?.visitorInfo.browser],
            ['OS', context?.visitorInfo.operatingSystem],
            ['Device', context?.visitorInfo.device],
            ['IP address', context?.visitorInfo.ipAddress ?? side?.visit?.visitorIp],
            ['Referrer', context?.chatReferrer || side?.visit?.chatReferrer],
            ['Entry page', entryPage],
          ]}
        />
      </section>
      <section>
        <h3>Custom variables</h3>
        <Pairs rows={(side?.customVariables ?? []).map((variable) => [variable.name, variable.value])} />
      </section>
      <section>
        <h3>MCS</h3>
        {context?.mcs.chatMCS === null || context === undefined ? (
          <p class="muted">No visitor line yet</p>
        ) : (
          <>
            <p>
              <strong class={`mcs mcs-${mcsLabel(context.mcs.alertedMCS)}`}>{context.mcs.chatMCS}</strong>{' '}
              <span class="muted">({mcsLabel(context.mcs.alertedMCS)})</span>
            </p>
            <Trend values={context.mcs.trend} />
          </>
        )}
      </section>
    </aside>
  )
}
