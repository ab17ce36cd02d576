import type { CampaignBody } from '../api/campaigns.ts'
import {
  fromLocalInput,
  NO_LOB,
  toLocalInput,
  type CampaignReferences,
  type FormMessages,
} from '../state/campaign-forms.ts'
import { CheckList, FieldError, InputField, invalidProps, SelectField } from './Fields.tsx'

interface Props {
  body: CampaignBody
  isNew: boolean
  references: CampaignReferences
  messages: FormMessages
  confirmingDelete: boolean
  onChange: (body: CampaignBody) => void
  onSave: (body: CampaignBody) => void
  onDelete: () => void
  onCancelDelete: () => void
}

const STATUSES = [
  { id: 1, name: 'Published' },
  { id: 0, name: 'Unpublished' },
]

/** A campaign's fields: name, description, goal, line of business, status, visitor profiles, dates. */
export function CampaignForm(props: Props) {
  const { body, messages } = props
  const errors = messages.fields
  const set = <K extends keyof CampaignBody>(key: K, value: CampaignBody[K]) =>
    props.onChange({ ...body, [key]: value })
  const submit = (event: Event) => {
    event.preventDefault()
    props.onSave(body)
  }
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="campaign-form-title" noValidate>
      <h2 id="campaign-form-title">{props.isNew ? 'New campaign' : `Campaign "${body.name}"`}</h2>
      <InputField
        id="campaign-name"
        label="Name"
        value={body.name}
        error={errors.name}
        onInput={(value) => set('name', value)}
      />
      <SelectField
        id="campaign-status"
        label="Status"
        value={body.status}
        options={STATUSES}
        error={errors.status}
        onChange={(value) => set('status', value)}
      />
      <div class="field wide">
        <label for="campaign-description">Description</label>
        <textarea
          id="campaign-description"
          rows={2}
          value={body.description}
          {...invalidProps('campaign-description', errors.description)}
          onInput={(event) => set('description', event.currentTarget.value)}
        />
        <FieldError id="campaign-description" text={errors.description} />
      </div>
      <SelectField
        id="campaign-goal"
        label="Goal"
        value={body.goalId}
        options={props.references.goals}
        error={errors.goalId}
        onChange={(value) => set('goalId', value)}
      />
      <SelectField
        id="campaign-lob"
        label="Line of business"
        value={body.lobId}
        options={[{ id: NO_LOB, name: 'None' }, ...props.references.lobs]}
        error={errors.lobId}
        onChange={(value) => set('lobId', value)}
      />
      <InputField
        id="campaign-start"
        label="Starts"
        type="datetime-local"
        value={toLocalInput(body.startDate)}
        error={errors.startDate}
        hint="Empty: at once"
        onInput={(value) => set('startDate', fromLocalInput(value))}
      />
      <InputField
        id="campaign-expiration"
        label="Expires"
        type="datetime-local"
        value={toLocalInput(body.expirationDate)}
        error={errors.expirationDate}
        hint="Empty: never"
        onInput={(value) => set('expirationDate', fromLocalInput(value))}
      />
      <CheckList
        id="campaign-profiles"
        legend="Visitor profiles"
        selected={body.visitorProfiles}
        options={props.references.visitorProfiles}
        error={errors.visitorProfiles}
        onChange={(value) => set('visitorProfiles', value)}
      />
      {messages.form && (
        <p class="banner banner-warn" role="alert">
          {messages.form}
        </p>
      )}
      <div class="row form-actions">
        <button class="button primary" type="submit">
          {props.isNew ? 'Create campaign' : 'Save campaign'}
        </button>
        {!props.isNew && (
          <button class="button danger" type="button" onClick={props.onDelete}>
            {props.confirmingDelete ? 'Yes, delete it and its engagements' : 'Delete campaign'}
          </button>
        )}
        {props.confirmingDelete && (
          <button class="button" type="button" onClick={props.onCancelDelete}>
            Keep it
          </button>
        )}
      </div>
    </form>
  )
}
