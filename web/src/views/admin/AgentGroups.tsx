import { useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import { MAIN_GROUP_ID, configApi, type AgentGroup, type AgentGroupFields, type User } from '../../api/config.ts'
import { useApp } from '../../context.ts'
import { NO_PROBLEM, messageOf, problemOf, type FormProblem } from '../../state/admin-form.ts'
import { Confirm, InputField, ProblemBanner } from './Field.tsx'
import { FormFooter } from './FormFooter.tsx'

const FIELDS = ['name', 'description', 'parentGroupId', 'isEnabled']
const EMPTY: AgentGroupFields = { name: '', description: '', parentGroupId: MAIN_GROUP_ID, isEnabled: true }

/** Admin page: the account's agent groups (a tree under "Main Group"); create, edit, delete. */
export function AgentGroups() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => configApi(app.http, accountId), [accountId])
  const groups = useSignal<AgentGroup[]>([])
  const users = useSignal<User[]>([])
  const revision = useSignal<string | undefined>(undefined)
  const pageError = useSignal('')
  const editing = useSignal<AgentGroup | null>(null)
  const form = useSignal<AgentGroupFields>(EMPTY)
  const problem = useSignal<FormProblem>(NO_PROBLEM)
  const saved = useSignal('')
  const deleting = useSignal<AgentGroup | null>(null)

  const load = async () => {
    try {
      const [allGroups, allUsers] = await Promise.all([api.agentGroups(), api.users()])
      groups.value = allGroups.value.filter((group) => !group.deleted)
      users.value = allUsers.value.filter((user) => !user.deleted)
      revision.value = allUsers.revision ?? allGroups.revision
    } catch (failure) {
      pageError.value = messageOf(failure)
    }
  }
  useEffect(() => void load(), [api])

  const members = (group: AgentGroup) => users.value.filter((user) => user.memberOf?.agentGroupId === group.id).length
  const nameOf = (id: number | null) => groups.value.find((group) => group.id === id)?.name ?? ''
  const set = <K extends keyof AgentGroupFields>(key: K, value: AgentGroupFields[K]) =>
    (form.value = { ...form.value, [key]: value })
  const startEdit = (group: AgentGroup) => {
    editing.value = group
    form.value = {
      name: group.name,
      description: group.description,
      parentGroupId: group.parentGroupId ?? MAIN_GROUP_ID,
      isEnabled: group.isEnabled,
    }
    problem.value = NO_PROBLEM
    saved.value = ''
    requestAnimationFrame(() => document.getElementById('group-name')?.focus())
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
      const group = editing.value
      const result = group
        ? await api.updateAgentGroup(group.id, form.value, revision.value)
        : await api.createAgentGroup(form.value)
      saved.value = group ? `Saved ${result.name}.` : `Created the agent group ${result.name}.`
      editing.value = null
      form.value = EMPTY
      await load()
    } catch (failure) {
      problem.value = problemOf(failure, FIELDS)
      if (problem.value.stale) await load()
    }
  }

  const remove = async (group: AgentGroup) => {
    deleting.value = null
    try {
      await api.deleteAgentGroup(group.id, revision.value)
      saved.value = `Deleted the agent group ${group.name}.`
      if (editing.value?.id === group.id) startNew()
      pageError.value = ''
    } catch (failure) {
      // The API refuses a group with members or child groups ("id: the agent group still has members …").
      pageError.value = `Could not delete ${group.name}: ${problemOf(failure, []).form.replace(/^id:\s*/, '')}.`
    }
    await load()
  }

  const errors = problem.value.fields
  const group = editing.value
  // A group cannot move under itself; the API also refuses deeper cycles (shown beside the field).
  const parents = groups.value.filter((candidate) => candidate.id !== group?.id)
  return (
    <div class="page">
      <h1>Agent groups</h1>
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
          Delete the agent group {deleting.value.name}? Managers lose it; a group with members or child groups cannot be
          deleted.
        </Confirm>
      )}
      <div class="page-columns">
        <table class="table">
          <caption class="visually-hidden">Agent groups of the account</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Parent</th>
              <th scope="col">Description</th>
              <th scope="col">Members</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {groups.value.map((row) => (
              <tr key={row.id} class={row.id === group?.id ? 'selected' : undefined}>
                <td>{row.name}</td>
                <td>{nameOf(row.parentGroupId)}</td>
                <td>{row.description}</td>
                <td>{members(row)}</td>
                <td>{row.isEnabled ? 'Enabled' : 'Disabled'}</td>
                <td class="actions">
                  {row.id === MAIN_GROUP_ID ? (
                    <span class="muted">Built in</span>
                  ) : (
                    <>
                      <button class="button small" type="button" onClick={() => startEdit(row)}>
                        Edit<span class="visually-hidden"> {row.name}</span>
                      </button>
                      <button class="button small danger" type="button" onClick={() => (deleting.value = row)}>
                        Delete<span class="visually-hidden"> {row.name}</span>
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="group-form-title" noValidate>
          <h2 id="group-form-title">{group ? `Edit ${group.name}` : 'New agent group'}</h2>
          <InputField
            id="group-name"
            label="Name"
            value={form.value.name}
            error={errors.name}
            onInput={(value) => set('name', value)}
          />
          <div class="field">
            <label for="group-parentGroupId">Parent group</label>
            <select
              id="group-parentGroupId"
              value={String(form.value.parentGroupId)}
              aria-invalid={errors.parentGroupId ? true : undefined}
              aria-describedby={errors.parentGroupId ? 'group-parentGroupId-error' : undefined}
              onChange={(event) => set('parentGroupId', Number(event.currentTarget.value))}
            >
              {parents.map((parent) => (
                <option key={parent.id} value={String(parent.id)}>
                  {parent.name}
                </option>
              ))}
            </select>
            {errors.parentGroupId && (
              <p class="field-error" id="group-parentGroupId-error">
                {errors.parentGroupId}
              </p>
            )}
          </div>
          <div class="field wide">
            <label for="group-description">Description</label>
            <textarea
              id="group-description"
              rows={2}
              value={form.value.description}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={errors.description ? 'group-description-error' : undefined}
              onInput={(event) => set('description', event.currentTarget.value)}
            />
            {errors.description && (
              <p class="field-error" id="group-description-error">
                {errors.description}
              </p>
            )}
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={form.value.isEnabled}
              onChange={(event) => set('isEnabled', event.currentTarget.checked)}
            />
            Enabled
          </label>
          <FormFooter
            formError={problem.value.form}
            saved={saved.value}
            noun="agent group"
            editing={group !== null && group !== undefined}
            onCancel={startNew}
          />
        </form>
      </div>
    </div>
  )
}
