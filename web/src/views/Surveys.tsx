import { useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import { isStale, STALE_MESSAGE } from '../api/config-revision.ts'
import { configApi, type Named } from '../api/config.ts'
import { ApiError } from '../api/http.ts'
import { SURVEY_TYPES, surveysApi, type Survey, type SurveyType, bodyOf } from '../api/surveys.ts'
import { useApp } from '../context.ts'
import {
  bodyOfDraft,
  draftOf,
  emptyDraft,
  errorsOf,
  NO_ERRORS,
  type DraftErrors,
  type SurveyDraft,
} from '../state/survey-draft.ts'
import { SurveyForm } from './SurveyForm.tsx'

const messageOf = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure))

/** Admin page: the account's surveys by kind, and an editor for one of them (docs/console.md). */
export function Surveys() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => surveysApi(app.http, accountId), [accountId])
  const config = useMemo(() => configApi(app.http, accountId), [accountId])
  const surveys = useSignal<Survey[]>([])
  const skills = useSignal<Named[]>([])
  const revision = useSignal(-1)
  const draft = useSignal<SurveyDraft | undefined>(undefined)
  const errors = useSignal<DraftErrors>(NO_ERRORS)
  const formError = useSignal('')
  const notice = useSignal('')
  const loadError = useSignal('')
  // Nothing can be created before the references (goals, skills, …) and the revision are known.
  const loaded = useSignal(false)
  const confirmingDelete = useSignal(false)

  const load = async (selectId?: number) => {
    try {
      const [list, allSkills] = await Promise.all([api.list(), config.skills()])
      surveys.value = list.value.filter((survey) => !survey.deleted)
      skills.value = allSkills.value.filter((skill) => !skill.deleted)
      revision.value = list.revision
      loadError.value = ''
      loaded.value = true
      if (selectId !== undefined) {
        const selected = surveys.value.find((survey) => survey.id === selectId)
        draft.value = selected ? draftOf(selected) : undefined
      }
    } catch (failure) {
      loadError.value = messageOf(failure)
    }
  }
  useEffect(() => void load(), [api])

  const clearMessages = () => {
    errors.value = NO_ERRORS
    formError.value = ''
    notice.value = ''
    confirmingDelete.value = false
  }
  const open = (next: SurveyDraft) => {
    clearMessages()
    draft.value = next
  }

  /** Shows an API failure where it belongs: a 412 reloads, a field error goes beside its field. */
  const fail = async (failure: unknown, reloadId: number | undefined) => {
    if (isStale(failure)) {
      await load(reloadId)
      formError.value = STALE_MESSAGE
      return
    }
    const message = messageOf(failure)
    const mapped = failure instanceof ApiError && failure.kind === 'invalid' ? errorsOf(message) : undefined
    if (mapped) {
      errors.value = mapped
      formError.value = 'The survey was not saved: see the highlighted fields.'
      // The field may be far down a long survey: take the admin there (after the render).
      setTimeout(() => document.querySelector<HTMLElement>('.survey-form [aria-invalid="true"]')?.focus(), 0)
    } else formError.value = message
  }

  const save = async (current: SurveyDraft) => {
    clearMessages()
    try {
      const body = bodyOfDraft(current)
      const saved =
        current.id === undefined
          ? await api.create(body, revision.value)
          : await api.update(current.id, body, revision.value)
      await load(saved.value.id)
      notice.value = `Saved "${saved.value.name}".`
    } catch (failure) {
      await fail(failure, current.id)
    }
  }

  const makeDefault = async (survey: Survey) => {
    clearMessages()
    try {
      await api.update(survey.id, { ...bodyOf(survey), isDefault: true }, revision.value)
      await load(draft.value?.id)
      notice.value = `"${survey.name}" is now the default ${kindLabel(survey.type).toLowerCase()} survey.`
    } catch (failure) {
      await fail(failure, draft.value?.id)
    }
  }

  const remove = async (current: SurveyDraft) => {
    if (current.id === undefined) return
    clearMessages()
    try {
      await api.remove(current.id, revision.value)
      draft.value = undefined
      await load()
      notice.value = `Deleted "${current.name}".`
    } catch (failure) {
      await fail(failure, current.id)
    }
  }

  return (
    <div class="page">
      <h1>Surveys</h1>
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
        <nav class="card survey-list" aria-label="Surveys by kind">
          {SURVEY_TYPES.map(([type, label]) => {
            const ofKind = surveys.value.filter((survey) => survey.type === type)
            return (
              <section key={type} aria-labelledby={`kind-${type}`}>
                <div class="row">
                  <h2 id={`kind-${type}`}>{label}</h2>
                  <button class="button small" type="button" onClick={() => open(emptyDraft(type))}>
                    New<span class="visually-hidden"> {label.toLowerCase()} survey</span>
                  </button>
                </div>
                {ofKind.length === 0 ? (
                  <p class="muted">None yet.</p>
                ) : (
                  <ul class="plain-list">
                    {ofKind.map((survey) => (
                      <li key={survey.id} class={draft.value?.id === survey.id ? 'selected' : undefined}>
                        <button
                          class="link"
                          type="button"
                          aria-current={draft.value?.id === survey.id ? 'true' : undefined}
                          onClick={() => open(draftOf(survey))}
                        >
                          {survey.name}
                        </button>{' '}
                        <span class="muted">
                          {survey.questions.length} {survey.questions.length === 1 ? 'question' : 'questions'}
                        </span>{' '}
                        {survey.isDefault ? (
                          <span class="badge">Default</span>
                        ) : (
                          <button class="button small" type="button" onClick={() => void makeDefault(survey)}>
                            Make default<span class="visually-hidden"> {survey.name}</span>
                          </button>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            )
          })}
        </nav>
        <div class="editor-column">
          {notice.value && (
            <p class="banner banner-info" role="status">
              {notice.value}
            </p>
          )}
          {draft.value ? (
            <SurveyForm
              draft={draft.value}
              skills={skills.value}
              errors={errors.value}
              formError={formError.value}
              confirmingDelete={confirmingDelete.value}
              onChange={(next) => (draft.value = next)}
              onSave={(current) => void save(current)}
              onDelete={(current) => (confirmingDelete.value ? void remove(current) : (confirmingDelete.value = true))}
              onCancelDelete={() => (confirmingDelete.value = false)}
              announce={app.announce}
            />
          ) : (
            <>
              {formError.value && (
                <p class="banner banner-warn" role="alert">
                  {formError.value}
                </p>
              )}
              <p class="empty">Choose a survey to edit, or create a new one of a kind.</p>
            </>
          )}
        </div>
      </div>
    </div>
  )
}

export const kindLabel = (type: SurveyType) => SURVEY_TYPES.find(([value]) => value === type)?.[1] ?? type
