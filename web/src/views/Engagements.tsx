import { useSignal, type Signal } from '@preact/signals'
import type { CampaignsApi, Engagement, EngagementBody } from '../api/campaigns.ts'
import { isStale, STALE_MESSAGE } from '../api/config-revision.ts'
import {
  engagementBody,
  messagesOf,
  newEngagement,
  NO_MESSAGES,
  NO_SKILL,
  type CampaignReferences,
  type FormMessages,
} from '../state/campaign-forms.ts'
import { CheckList, FieldError, InputField, invalidProps, SelectField } from './Fields.tsx'

interface Props {
  api: CampaignsApi
  campaignId: number
  engagements: Engagement[]
  references: CampaignReferences
  /** The account revision the page last saw; writes here move it on. */
  revision: Signal<number>
  /** Reloads the campaign and its engagements (after a write, or a 412). */
  reload: () => Promise<void>
}

/** A campaign's engagements: the list, and a form to create or edit one. */
export function Engagements(props: Props) {
  const editing = useSignal<number | 'new' | undefined>(undefined)
  const form = useSignal<EngagementBody | undefined>(undefined)
  const messages = useSignal<FormMessages>(NO_MESSAGES)
  const notice = useSignal('')
  const { references } = props
  const skillName = (id: number) =>
    id === NO_SKILL ? 'Unassigned' : (references.skills.find((skill) => skill.id === id)?.name ?? `#${id}`)

  const open = (engagement: Engagement | undefined) => {
    messages.value = NO_MESSAGES
    notice.value = ''
    editing.value = engagement ? engagement.id : 'new'
    form.value = engagement
      ? engagementBody(engagement)
      : newEngagement(references.visitorBehaviors.filter((behavior) => behavior.isDefault).map((b) => b.id))
  }

  const write = async (action: () => Promise<string>) => {
    messages.value = NO_MESSAGES
    notice.value = ''
    try {
      notice.value = await action()
    } catch (failure) {
      if (isStale(failure)) {
        await props.reload()
        editing.value = undefined
        form.value = undefined
        messages.value = { fields: {}, form: STALE_MESSAGE }
      } else messages.value = messagesOf(failure)
    }
  }

  const save = (body: EngagementBody) =>
    write(async () => {
      const id = editing.value
      const saved =
        typeof id === 'number'
          ? await props.api.updateEngagement(props.campaignId, id, body, props.revision.value)
          : await props.api.createEngagement(props.campaignId, body, props.revision.value)
      editing.value = undefined
      form.value = undefined
      await props.reload()
      return `Saved engagement "${saved.value.name}".`
    })

  const remove = (engagement: Engagement) =>
    write(async () => {
      await props.api.removeEngagement(props.campaignId, engagement.id, props.revision.value)
      if (editing.value === engagement.id) {
        editing.value = undefined
        form.value = undefined
      }
      await props.reload()
      return `Deleted engagement "${engagement.name}".`
    })

  return (
    <section class="card engagements" aria-labelledby="engagements-title">
      <div class="row">
        <h2 id="engagements-title">Engagements</h2>
        <button class="button small" type="button" onClick={() => open(undefined)}>
          New engagement
        </button>
      </div>
      {notice.value && (
        <p class="banner banner-info" role="status">
          {notice.value}
        </p>
      )}
      {!form.value && messages.value.form && (
        <p class="banner banner-warn" role="alert">
          {messages.value.form}
        </p>
      )}
      {props.engagements.length === 0 ? (
        <p class="muted">No engagements yet.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Engagements of the campaign</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Skill</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.engagements.map((engagement) => (
              <tr key={engagement.id} class={editing.value === engagement.id ? 'selected' : undefined}>
                <td>{engagement.name}</td>
                <td>{skillName(engagement.skillId)}</td>
                <td>{engagement.channel}</td>
                <td>{engagement.enabled ? 'Enabled' : 'Disabled'}</td>
                <td class="actions">
                  <button class="button small" type="button" onClick={() => open(engagement)}>
                    Edit<span class="visually-hidden"> {engagement.name}</span>
                  </button>{' '}
                  <button class="button small danger" type="button" onClick={() => void remove(engagement)}>
                    Delete<span class="visually-hidden"> {engagement.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {form.value && (
        <EngagementForm
          body={form.value}
          isNew={editing.value === 'new'}
          references={references}
          messages={messages.value}
          onChange={(body) => (form.value = body)}
          onSave={(body) => void save(body)}
          onCancel={() => {
            editing.value = undefined
            form.value = undefined
          }}
        />
      )}
    </section>
  )
}

interface FormProps {
  body: EngagementBody
  isNew: boolean
  references: CampaignReferences
  messages: FormMessages
  onChange: (body: EngagementBody) => void
  onSave: (body: EngagementBody) => void
  onCancel: () => void
}

function EngagementForm(props: FormProps) {
  const { body } = props
  const errors = props.messages.fields
  const set = <K extends keyof EngagementBody>(key: K, value: EngagementBody[K]) =>
    props.onChange({ ...body, [key]: value })
  const submit = (event: Event) => {
    event.preventDefault()
    props.onSave(body)
  }
  return (
    <form class="form engagement-form" onSubmit={submit} aria-labelledby="engagement-form-title" noValidate>
      <h3 id="engagement-form-title">{props.isNew ? 'New engagement' : `Engagement "${body.name}"`}</h3>
      <InputField
        id="engagement-name"
        label="Engagement name"
        value={body.name}
        error={errors.name}
        onInput={(value) => set('name', value)}
      />
      <SelectField
        id="engagement-skill"
        label="Skill"
        value={body.skillId}
        options={[{ id: NO_SKILL, name: 'Unassigned (any agent)' }, ...props.references.skills]}
        error={errors.skillId}
        onChange={(value) => set('skillId', value)}
      />
      <InputField
        id="engagement-channel"
        label="Channel"
        type="number"
        value={String(body.channel)}
        error={errors.channel}
        onInput={(value) => set('channel', value === '' ? Number.NaN : Number(value))}
      />
      <label class="check">
        <input
          type="checkbox"
          checked={body.enabled}
          onChange={(event) => set('enabled', event.currentTarget.checked)}
        />
        Enabled
      </label>
      <InputField
        id="engagement-description"
        label="Description"
        value={body.description}
        error={errors.description}
        onInput={(value) => set('description', value)}
      />
      <div class="field">
        <label for="engagement-note">Note shown to the agent</label>
        <textarea
          id="engagement-note"
          rows={2}
          value={body.agentNote}
          {...invalidProps('engagement-note', errors.agentNote)}
          onInput={(event) => set('agentNote', event.currentTarget.value)}
        />
        <FieldError id="engagement-note" text={errors.agentNote} />
      </div>
      <CheckList
        id="engagement-behaviors"
        legend="Visitor behaviors"
        selected={body.visitorBehaviors}
        options={props.references.visitorBehaviors}
        error={errors.visitorBehaviors}
        onChange={(value) => set('visitorBehaviors', value)}
      />
      {props.messages.form && (
        <p class="banner banner-warn" role="alert">
          {props.messages.form}
        </p>
      )}
      <div class="row form-actions">
        <button class="button primary" type="submit">
          {props.isNew ? 'Create engagement' : 'Save engagement'}
        </button>
        <button class="button" type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
