import { useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import { campaignsApi, type Campaign, type CampaignBody, type Engagement, type Reference } from '../api/campaigns.ts'
import { isStale, STALE_MESSAGE } from '../api/config-revision.ts'
import { useApp } from '../context.ts'
import {
  campaignBody,
  messagesOf,
  newCampaign,
  NO_MESSAGES,
  type CampaignReferences,
  type FormMessages,
} from '../state/campaign-forms.ts'
import { CampaignForm } from './CampaignForm.tsx'
import { Engagements } from './Engagements.tsx'

const alive = (list: Reference[]) => list.filter((item) => !item.deleted)

/** Admin page: campaigns, one campaign's fields, and its engagements (docs/console.md). */
export function Campaigns() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => campaignsApi(app.http, accountId), [accountId])
  const campaigns = useSignal<Campaign[]>([])
  const engagements = useSignal<Engagement[]>([])
  const references = useSignal<CampaignReferences>({
    goals: [],
    lobs: [],
    visitorProfiles: [],
    visitorBehaviors: [],
    skills: [],
  })
  const revision = useSignal(-1)
  const selected = useSignal<number | 'new' | undefined>(undefined)
  const form = useSignal<CampaignBody | undefined>(undefined)
  const messages = useSignal<FormMessages>(NO_MESSAGES)
  const notice = useSignal('')
  const loadError = useSignal('')
  // Nothing can be created before the references (goals, skills, …) and the revision are known.
  const loaded = useSignal(false)
  const confirmingDelete = useSignal(false)

  const loadEngagements = async (campaignId: number) => {
    const list = await api.engagements(campaignId)
    engagements.value = list.value.filter((engagement) => !engagement.deleted)
    revision.value = list.revision
  }

  const load = async (select?: number) => {
    try {
      const [list, goals, lobs, visitorProfiles, visitorBehaviors, skills] = await Promise.all([
        api.list(),
        api.goals(),
        api.lobs(),
        api.visitorProfiles(),
        api.visitorBehaviors(),
        api.skills(),
      ])
      campaigns.value = list.value.filter((campaign) => !campaign.deleted)
      revision.value = list.revision
      references.value = {
        goals: alive(goals),
        lobs: alive(lobs),
        visitorProfiles: alive(visitorProfiles),
        visitorBehaviors: alive(visitorBehaviors),
        skills: alive(skills),
      }
      loadError.value = ''
      loaded.value = true
      if (select !== undefined) {
        const campaign = campaigns.value.find((candidate) => candidate.id === select)
        selected.value = campaign ? campaign.id : undefined
        form.value = campaign ? campaignBody(campaign) : undefined
        if (campaign) await loadEngagements(campaign.id)
      }
    } catch (failure) {
      loadError.value = failure instanceof Error ? failure.message : String(failure)
    }
  }
  useEffect(() => void load(), [api])

  const clear = () => {
    messages.value = NO_MESSAGES
    notice.value = ''
    confirmingDelete.value = false
  }

  const open = async (campaign: Campaign) => {
    clear()
    selected.value = campaign.id
    form.value = campaignBody(campaign)
    engagements.value = []
    try {
      await loadEngagements(campaign.id)
    } catch (failure) {
      loadError.value = failure instanceof Error ? failure.message : String(failure)
    }
  }

  const create = () => {
    clear()
    const goal = references.value.goals[0]?.id ?? 0
    const profiles = references.value.visitorProfiles
      .filter((profile) => profile.isDefault)
      .map((profile) => profile.id)
    selected.value = 'new'
    form.value = newCampaign(goal, profiles)
    engagements.value = []
  }

  /** Runs a write; a 412 reloads and says so, a validation error goes beside its field. */
  const write = async (action: () => Promise<void>, reloadId: number | undefined) => {
    clear()
    try {
      await action()
    } catch (failure) {
      if (isStale(failure)) {
        await load(reloadId)
        messages.value = { fields: {}, form: STALE_MESSAGE }
      } else messages.value = messagesOf(failure)
    }
  }

  const currentId = typeof selected.value === 'number' ? selected.value : undefined

  const save = (body: CampaignBody) =>
    write(async () => {
      const saved =
        currentId === undefined
          ? await api.create(body, revision.value)
          : await api.update(currentId, body, revision.value)
      await load(saved.value.id)
      notice.value = `Saved campaign "${saved.value.name}".`
    }, currentId)

  const remove = () => {
    if (currentId === undefined) return
    if (!confirmingDelete.value) {
      confirmingDelete.value = true
      return
    }
    const name = form.value?.name ?? ''
    return write(async () => {
      await api.remove(currentId, revision.value)
      selected.value = undefined
      form.value = undefined
      await load()
      notice.value = `Deleted campaign "${name}" and its engagements.`
    }, currentId)
  }

  return (
    <div class="page">
      <h1>Campaigns</h1>
      {loadError.value && (
        <p class="banner banner-warn" role="alert">
          {loadError.value}{' '}
          <button class="button small" type="button" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}
      {!loaded.value && !loadError.value && (
        <p class="muted" role="status">
          Loading…
        </p>
      )}
      <div class="admin-columns" hidden={!loaded.value}>
        <nav class="card survey-list" aria-label="Campaigns">
          <div class="row">
            <h2>Campaigns</h2>
            <button class="button small" type="button" onClick={create}>
              New campaign
            </button>
          </div>
          {campaigns.value.length === 0 ? (
            <p class="muted">None yet.</p>
          ) : (
            <ul class="plain-list">
              {campaigns.value.map((campaign) => (
                <li key={campaign.id} class={selected.value === campaign.id ? 'selected' : undefined}>
                  <button
                    class="link"
                    type="button"
                    aria-current={selected.value === campaign.id ? 'true' : undefined}
                    onClick={() => void open(campaign)}
                  >
                    {campaign.name}
                  </button>{' '}
                  <span class="muted">
                    {campaign.status === 1 ? 'published' : 'unpublished'} · {campaign.engagementIds.length}{' '}
                    {campaign.engagementIds.length === 1 ? 'engagement' : 'engagements'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div class="editor-column">
          {notice.value && (
            <p class="banner banner-info" role="status">
              {notice.value}
            </p>
          )}
          {form.value ? (
            <>
              <CampaignForm
                body={form.value}
                isNew={currentId === undefined}
                references={references.value}
                messages={messages.value}
                confirmingDelete={confirmingDelete.value}
                onChange={(body) => (form.value = body)}
                onSave={(body) => void save(body)}
                onDelete={() => void remove()}
                onCancelDelete={() => (confirmingDelete.value = false)}
              />
              {currentId !== undefined && (
                <Engagements
                  api={api}
                  campaignId={currentId}
                  engagements={engagements.value}
                  references={references.value}
                  revision={revision}
                  reload={async () => {
                    await load(currentId)
                  }}
                />
              )}
            </>
          ) : (
            <>
              {messages.value.form && (
                <p class="banner banner-warn" role="alert">
                  {messages.value.form}
                </p>
              )}
              <p class="empty">Choose a campaign to edit its fields and engagements, or create a new one.</p>
            </>
          )}
        </div>
      </div>
    </div>
  )
}
