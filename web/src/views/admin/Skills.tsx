import { useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import { configApi, type Skill, type SkillFields, type User } from '../../api/config.ts'
import { useApp } from '../../context.ts'
import { NO_PROBLEM, messageOf, problemOf, type FormProblem } from '../../state/admin-form.ts'
import { Confirm, InputField, ProblemBanner } from './Field.tsx'
import { FormFooter } from './FormFooter.tsx'

const FIELDS = ['name', 'description', 'maxWaitTime']
const EMPTY: SkillFields = { name: '', description: '', maxWaitTime: 120 }

/** Admin page: the account's skills; create, edit (name, description, max wait time), delete (soft). */
export function Skills() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => configApi(app.http, accountId), [accountId])
  const skills = useSignal<Skill[]>([])
  const users = useSignal<User[]>([])
  const revision = useSignal<string | undefined>(undefined)
  const pageError = useSignal('')
  const editing = useSignal<Skill | null>(null)
  const form = useSignal<SkillFields>(EMPTY)
  const problem = useSignal<FormProblem>(NO_PROBLEM)
  const saved = useSignal('')
  const deleting = useSignal<Skill | null>(null)

  const load = async () => {
    try {
      const [allSkills, allUsers] = await Promise.all([api.skills(), api.users()])
      skills.value = allSkills.value.filter((skill) => !skill.deleted)
      users.value = allUsers.value.filter((user) => !user.deleted)
      revision.value = allUsers.revision ?? allSkills.revision
    } catch (failure) {
      pageError.value = messageOf(failure)
    }
  }
  useEffect(() => void load(), [api])

  const holders = (skill: Skill) => users.value.filter((user) => user.skillIds.includes(skill.id)).length
  const set = <K extends keyof SkillFields>(key: K, value: SkillFields[K]) =>
    (form.value = { ...form.value, [key]: value })
  const startEdit = (skill: Skill) => {
    editing.value = skill
    form.value = { name: skill.name, description: skill.description, maxWaitTime: skill.maxWaitTime }
    problem.value = NO_PROBLEM
    saved.value = ''
    requestAnimationFrame(() => document.getElementById('skill-name')?.focus())
  }
  const startNew = () => {
    editing.value = null
    form.value = EMPTY
    problem.value = NO_PROBLEM
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    problem.value = NO_PROBLEM
    saved.value = ''
    try {
      const skill = editing.value
      const result = skill
        ? await api.updateSkill(skill.id, form.value, revision.value)
        : await api.createSkill(form.value)
      saved.value = skill ? `Saved ${result.name}.` : `Created the skill ${result.name}.`
      editing.value = null
      form.value = EMPTY
      await load()
    } catch (failure) {
      problem.value = problemOf(failure, FIELDS)
      if (problem.value.stale) await load()
    }
  }

  const remove = async (skill: Skill) => {
    deleting.value = null
    try {
      await api.deleteSkill(skill.id, revision.value)
      saved.value = `Deleted the skill ${skill.name}.`
      if (editing.value?.id === skill.id) startNew()
      pageError.value = ''
    } catch (failure) {
      pageError.value = `Could not delete ${skill.name}: ${problemOf(failure, []).form}`
    }
    await load()
  }

  const errors = problem.value.fields
  const skill = editing.value
  return (
    <div class="page">
      <h1>Skills</h1>
      <ProblemBanner
        message={pageError.value}
        onReload={() => {
          pageError.value = ''
          void load()
        }}
      />
      {deleting.value && (
        <Confirm
          confirmLabel={`Delete ${deleting.value.name}`}
          onConfirm={() => deleting.value && void remove(deleting.value)}
          onCancel={() => (deleting.value = null)}
        >
          Delete the skill {deleting.value.name}? It is removed from the {holders(deleting.value)} user(s) who have it,
          and chats stop being routed to it. Engagements and surveys that name it keep it until they are next saved.
        </Confirm>
      )}
      <div class="page-columns">
        <table class="table">
          <caption class="visually-hidden">Skills of the account</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Max wait</th>
              <th scope="col">Users</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {skills.value.map((row) => (
              <tr key={row.id} class={row.id === skill?.id ? 'selected' : undefined}>
                <td>{row.name}</td>
                <td>{row.description}</td>
                <td>{row.maxWaitTime} s</td>
                <td>{holders(row)}</td>
                <td class="actions">
                  <button class="button small" type="button" onClick={() => startEdit(row)}>
                    Edit<span class="visually-hidden"> {row.name}</span>
                  </button>
                  <button class="button small danger" type="button" onClick={() => (deleting.value = row)}>
                    Delete<span class="visually-hidden"> {row.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="skill-form-title" noValidate>
          <h2 id="skill-form-title">{skill ? `Edit ${skill.name}` : 'New skill'}</h2>
          <InputField
            id="skill-name"
            label="Name"
            value={form.value.name}
            error={errors.name}
            onInput={(value) => set('name', value)}
          />
          <InputField
            id="skill-maxWaitTime"
            label="Max wait time (seconds)"
            type="number"
            min={0}
            value={form.value.maxWaitTime}
            error={errors.maxWaitTime}
            onInput={(value) => set('maxWaitTime', value === '' ? Number.NaN : Number(value))}
          />
          <div class="field wide">
            <label for="skill-description">Description</label>
            <textarea
              id="skill-description"
              rows={2}
              value={form.value.description}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={errors.description ? 'skill-description-error' : undefined}
              onInput={(event) => set('description', event.currentTarget.value)}
            />
            {errors.description && (
              <p class="field-error" id="skill-description-error">
                {errors.description}
              </p>
            )}
          </div>
          <FormFooter
            formError={problem.value.form}
            saved={saved.value}
            noun="skill"
            editing={skill !== null && skill !== undefined}
            onCancel={startNew}
          />
        </form>
      </div>
    </div>
  )
}
