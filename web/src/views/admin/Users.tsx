import { useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import {
  MAIN_GROUP_ID,
  configApi,
  userFields,
  type AgentGroup,
  type Skill,
  type User,
  type UserFields,
} from '../../api/config.ts'
import { useApp } from '../../context.ts'
import { NO_PROBLEM, messageOf, problemOf, type FormProblem } from '../../state/admin-form.ts'
import { CheckGroup, InputField, ProblemBanner } from './Field.tsx'
import { FormFooter } from './FormFooter.tsx'

const PERMISSION_GROUPS: ReadonlyArray<[string, string]> = [
  ['1', 'Agent'],
  ['2', 'Agent Manager'],
  ['3', 'Campaign Manager'],
  ['4', 'Admin'],
]
const groupLabel = (id: string) => PERMISSION_GROUPS.find(([value]) => value === id)?.[1] ?? id

/** The fields an API error may name on this form. */
const FIELDS = [
  'loginName',
  'passwordSh',
  'nickname',
  'fullName',
  'email',
  'maxChats',
  'skillIds',
  'permissionGroups',
  'memberOf',
  'isEnabled',
]

const EMPTY: UserFields = {
  loginName: '',
  passwordSh: '',
  nickname: '',
  fullName: '',
  email: '',
  maxChats: 4,
  skillIds: [],
  permissionGroups: ['1'],
  memberOf: { agentGroupId: MAIN_GROUP_ID },
  isEnabled: true,
}

/**
 * Admin page: the account's users; a form that creates one or edits every field the API has
 * (`PUT` with `If-Match`); a password reset; enable/disable from the list.
 */
export function Users() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => configApi(app.http, accountId), [accountId])
  const users = useSignal<User[]>([])
  const skills = useSignal<Skill[]>([])
  const groups = useSignal<AgentGroup[]>([])
  const revision = useSignal<string | undefined>(undefined)
  const pageError = useSignal('')
  /** The user being edited, or null for the new-user form. */
  const editing = useSignal<User | null>(null)
  const form = useSignal<UserFields>(EMPTY)
  const problem = useSignal<FormProblem>(NO_PROBLEM)
  const saved = useSignal('')
  const newPassword = useSignal('')
  const passwordProblem = useSignal<FormProblem>(NO_PROBLEM)

  const load = async () => {
    try {
      const [allUsers, allSkills, allGroups] = await Promise.all([api.users(), api.skills(), api.agentGroups()])
      users.value = allUsers.value.filter((user) => !user.deleted)
      skills.value = allSkills.value.filter((skill) => !skill.deleted)
      groups.value = allGroups.value.filter((group) => !group.deleted)
      // The revision is the account's: the last of the three answers is as new as any.
      revision.value = allGroups.revision ?? allUsers.revision
      const current = editing.value && users.value.find((user) => user.id === editing.value?.id)
      if (editing.value) {
        editing.value = current ?? null
        form.value = current ? userFields(current) : EMPTY
      }
    } catch (failure) {
      pageError.value = messageOf(failure)
    }
  }
  useEffect(() => void load(), [api])

  const set = <K extends keyof UserFields>(key: K, value: UserFields[K]) =>
    (form.value = { ...form.value, [key]: value })

  const startEdit = (user: User) => {
    editing.value = user
    form.value = userFields(user)
    problem.value = NO_PROBLEM
    passwordProblem.value = NO_PROBLEM
    newPassword.value = ''
    saved.value = ''
    // The form replaces the new-user form; its first field takes the focus.
    requestAnimationFrame(() => document.getElementById('user-loginName')?.focus())
  }
  const startNew = () => {
    editing.value = null
    form.value = EMPTY
    problem.value = NO_PROBLEM
    saved.value = ''
  }

  const failed = async (failure: unknown, target: typeof problem) => {
    target.value = problemOf(failure, FIELDS)
    if (target.value.stale) await load()
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    problem.value = NO_PROBLEM
    saved.value = ''
    try {
      const user = editing.value
      if (user) {
        // The password changes only through "Reset password".
        const updated = await api.updateUser(user.id, { ...form.value, passwordSh: undefined }, revision.value)
        saved.value = `Saved ${updated.loginName}.`
      } else {
        const created = await api.createUser(form.value)
        saved.value = `Created ${created.loginName}. They can sign in now.`
        form.value = EMPTY
      }
      await load()
    } catch (failure) {
      await failed(failure, problem)
    }
  }

  const resetPassword = async (event: Event) => {
    event.preventDefault()
    const user = editing.value
    if (!user) return
    passwordProblem.value = NO_PROBLEM
    saved.value = ''
    try {
      await api.updateUser(user.id, { ...userFields(user), passwordSh: newPassword.value }, revision.value)
      newPassword.value = ''
      saved.value = `New password set for ${user.loginName}. Their other sessions have ended.`
      await load()
    } catch (failure) {
      await failed(failure, passwordProblem)
    }
  }

  const toggle = async (user: User) => {
    try {
      await api.updateUser(user.id, { ...userFields(user), isEnabled: !user.isEnabled }, revision.value)
      pageError.value = ''
    } catch (failure) {
      pageError.value = problemOf(failure, []).form
    }
    await load()
  }

  const errors = problem.value.fields
  const skillName = (id: number) => skills.value.find((skill) => skill.id === id)?.name ?? `#${id}`
  const groupName = (id: number | undefined) => groups.value.find((group) => group.id === id)?.name ?? ''
  const user = editing.value

  return (
    <div class="page">
      <h1>Users</h1>
      <ProblemBanner
        message={pageError.value}
        onReload={() => {
          pageError.value = ''
          void load()
        }}
      />
      <div class="page-columns">
        <div class="stack">
          <table class="table">
            <caption class="visually-hidden">Users of the account</caption>
            <thead>
              <tr>
                <th scope="col">Login</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Skills</th>
                <th scope="col">Group</th>
                <th scope="col">Max chats</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.value.map((row) => (
                <tr key={row.id} class={row.id === user?.id ? 'selected' : undefined}>
                  <td>{row.loginName}</td>
                  <td>
                    {row.fullName || row.nickname}
                    {!row.isEnabled && <span class="tag">disabled</span>}
                  </td>
                  <td>{row.permissionGroups.map(groupLabel).join(', ')}</td>
                  <td>{row.skillIds.map(skillName).join(', ')}</td>
                  <td>{groupName(row.memberOf?.agentGroupId)}</td>
                  <td>{row.maxChats < 0 ? 'unlimited' : row.maxChats}</td>
                  <td class="actions">
                    <button class="button small" type="button" onClick={() => startEdit(row)}>
                      Edit<span class="visually-hidden"> {row.loginName}</span>
                    </button>
                    <button class="button small" type="button" onClick={() => void toggle(row)}>
                      {row.isEnabled ? 'Disable' : 'Enable'}
                      <span class="visually-hidden"> {row.loginName}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {user && (
            <form
              class="card form"
              onSubmit={(event) => void resetPassword(event)}
              aria-labelledby="reset-title"
              noValidate
            >
              <h2 id="reset-title">Reset the password of {user.loginName}</h2>
              <InputField
                id="reset-passwordSh"
                label="New password"
                type="password"
                autoComplete="new-password"
                value={newPassword.value}
                error={passwordProblem.value.fields.passwordSh}
                hint="At least 8 characters. Their other sessions end."
                onInput={(value) => (newPassword.value = value)}
              />
              {passwordProblem.value.form && (
                <p class="field-error" role="alert">
                  {passwordProblem.value.form}
                </p>
              )}
              <button class="button" type="submit">
                Set password
              </button>
            </form>
          )}
        </div>
        <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="user-form-title" noValidate>
          <h2 id="user-form-title">{user ? `Edit ${user.loginName}` : 'New user'}</h2>
          <InputField
            id="user-loginName"
            label="Login name"
            value={form.value.loginName}
            error={errors.loginName}
            onInput={(value) => set('loginName', value)}
          />
          {!user && (
            <InputField
              id="user-passwordSh"
              label="Password"
              type="password"
              autoComplete="new-password"
              value={form.value.passwordSh ?? ''}
              error={errors.passwordSh}
              onInput={(value) => set('passwordSh', value)}
            />
          )}
          <InputField
            id="user-nickname"
            label="Nickname (shown to visitors)"
            value={form.value.nickname}
            error={errors.nickname}
            onInput={(value) => set('nickname', value)}
          />
          <InputField
            id="user-fullName"
            label="Full name"
            value={form.value.fullName}
            error={errors.fullName}
            onInput={(value) => set('fullName', value)}
          />
          <InputField
            id="user-email"
            label="Email"
            type="email"
            value={form.value.email}
            error={errors.email}
            onInput={(value) => set('email', value)}
          />
          <InputField
            id="user-maxChats"
            label="Max chats"
            type="number"
            min={-1}
            value={form.value.maxChats}
            error={errors.maxChats}
            onInput={(value) => set('maxChats', value === '' ? Number.NaN : Number(value))}
          />
          <div class="field">
            <label for="user-memberOf">Agent group</label>
            <select
              id="user-memberOf"
              value={String(form.value.memberOf.agentGroupId)}
              aria-invalid={errors.memberOf ? true : undefined}
              aria-describedby={errors.memberOf ? 'user-memberOf-error' : undefined}
              onChange={(event) => set('memberOf', { agentGroupId: Number(event.currentTarget.value) })}
            >
              {groups.value.map((group) => (
                <option key={group.id} value={String(group.id)}>
                  {group.name}
                </option>
              ))}
            </select>
            {errors.memberOf && (
              <p class="field-error" id="user-memberOf-error">
                {errors.memberOf}
              </p>
            )}
          </div>
          <CheckGroup
            id="user-permissionGroups"
            half
            legend="Permission groups"
            options={PERMISSION_GROUPS}
            selected={form.value.permissionGroups}
            error={errors.permissionGroups}
            onChange={(selected) => set('permissionGroups', selected)}
          />
          <CheckGroup
            id="user-skillIds"
            half
            legend="Skills"
            options={skills.value.map((skill) => [String(skill.id), skill.name])}
            selected={form.value.skillIds.map(String)}
            error={errors.skillIds}
            onChange={(selected) => set('skillIds', selected.map(Number))}
          />
          {user && (
            <label class="check">
              <input
                type="checkbox"
                checked={form.value.isEnabled ?? true}
                onChange={(event) => set('isEnabled', event.currentTarget.checked)}
              />
              Enabled (may sign in)
            </label>
          )}
          <FormFooter
            formError={problem.value.form}
            saved={saved.value}
            noun="user"
            editing={user !== null && user !== undefined}
            onCancel={startNew}
          />
        </form>
      </div>
    </div>
  )
}
