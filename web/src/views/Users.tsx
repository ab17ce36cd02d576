import { useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import { configApi, fieldOf, type Named, type NewUser, type User } from '../api/config.ts'
import { ApiError } from '../api/http.ts'
import { useApp } from '../context.ts'

const PERMISSION_GROUPS: ReadonlyArray<[string, string]> = [
  ['1', 'Agent'],
  ['2', 'Agent Manager'],
  ['3', 'Campaign Manager'],
  ['4', 'Admin'],
]
const groupLabel = (id: string) => PERMISSION_GROUPS.find(([value]) => value === id)?.[1] ?? id

const EMPTY: NewUser = {
  loginName: '',
  passwordSh: '',
  nickname: '',
  fullName: '',
  email: '',
  maxChats: 4,
  skillIds: [],
  permissionGroups: ['1'],
  memberOf: { agentGroupId: -1 },
}

/** Admin page: the account's users, a form to create one, enable/disable. */
export function Users() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => configApi(app.http, accountId), [accountId])
  const users = useSignal<User[]>([])
  const skills = useSignal<Named[]>([])
  const groups = useSignal<Named[]>([])
  const loadError = useSignal('')
  const form = useSignal<NewUser>(EMPTY)
  const fieldErrors = useSignal<Record<string, string>>({})
  const formError = useSignal('')
  const saved = useSignal('')

  const load = async () => {
    try {
      const [allUsers, allSkills, allGroups] = await Promise.all([api.users(), api.skills(), api.agentGroups()])
      users.value = allUsers.filter((user) => !user.deleted)
      skills.value = allSkills.filter((skill) => !skill.deleted)
      groups.value = allGroups.filter((group) => !group.deleted)
      loadError.value = ''
    } catch (failure) {
      loadError.value = failure instanceof Error ? failure.message : String(failure)
    }
  }
  useEffect(() => void load(), [api])

  const set = <K extends keyof NewUser>(key: K, value: NewUser[K]) => (form.value = { ...form.value, [key]: value })

  const submit = async (event: Event) => {
    event.preventDefault()
    fieldErrors.value = {}
    formError.value = ''
    saved.value = ''
    try {
      const created = await api.createUser(form.value)
      saved.value = `Created ${created.loginName}. They can sign in now.`
      form.value = EMPTY
      await load()
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure)
      const field = failure instanceof ApiError ? fieldOf(message) : undefined
      if (field && field in EMPTY) fieldErrors.value = { [field]: message.replace(/^[^:]+:\s*/, '') }
      else formError.value = message
    }
  }

  const toggle = async (user: User) => {
    try {
      await api.setEnabled(user, !user.isEnabled)
      await load()
    } catch (failure) {
      loadError.value = failure instanceof Error ? failure.message : String(failure)
    }
  }

  const input = (
    key: 'loginName' | 'passwordSh' | 'nickname' | 'fullName' | 'email',
    label: string,
    type: 'text' | 'password' | 'email' = 'text',
  ) => {
    const props = {
      id: `user-${key}`,
      value: form.value[key],
      'aria-invalid': fieldErrors.value[key] ? true : undefined,
      'aria-describedby': fieldErrors.value[key] ? `user-${key}-error` : undefined,
      autoComplete: key === 'passwordSh' ? 'new-password' : 'off',
      onInput: (event: Event) => set(key, (event.currentTarget as HTMLInputElement).value),
    }
    return (
      <div class="field">
        <label for={`user-${key}`}>{label}</label>
        {type === 'password' ? (
          <input type="password" {...props} />
        ) : type === 'email' ? (
          <input type="email" {...props} />
        ) : (
          <input type="text" {...props} />
        )}
        {fieldErrors.value[key] && (
          <p class="field-error" id={`user-${key}-error`}>
            {fieldErrors.value[key]}
          </p>
        )}
      </div>
    )
  }

  return (
    <div class="page">
      <h1>Users</h1>
      {loadError.value && (
        <p class="banner banner-warn" role="alert">
          {loadError.value}{' '}
          <button class="button small" type="button" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}
      <div class="page-columns">
        <table class="table">
          <caption class="visually-hidden">Users of the account</caption>
          <thead>
            <tr>
              <th scope="col">Login</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Skills</th>
              <th scope="col">Max chats</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.value.map((user) => (
              <tr key={user.id}>
                <td>{user.loginName}</td>
                <td>{user.fullName || user.nickname}</td>
                <td>{user.permissionGroups.map(groupLabel).join(', ')}</td>
                <td>
                  {user.skillIds
                    .map((id) => skills.value.find((skill) => skill.id === id)?.name ?? `#${id}`)
                    .join(', ')}
                </td>
                <td>{user.maxChats < 0 ? 'unlimited' : user.maxChats}</td>
                <td>
                  <button class="button small" type="button" onClick={() => void toggle(user)}>
                    {user.isEnabled ? 'Disable' : 'Enable'}
                    <span class="visually-hidden"> {user.loginName}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="new-user-title">
          <h2 id="new-user-title">New user</h2>
          {input('loginName', 'Login name')}
          {input('passwordSh', 'Password', 'password')}
          {input('nickname', 'Nickname (shown to visitors)')}
          {input('fullName', 'Full name')}
          {input('email', 'Email', 'email')}
          <div class="field">
            <label for="user-maxChats">Max chats</label>
            <input
              id="user-maxChats"
              type="number"
              min={-1}
              value={form.value.maxChats}
              onInput={(event) => set('maxChats', Number(event.currentTarget.value))}
            />
          </div>
          <div class="field">
            <label for="user-role">Permission group</label>
            <select
              id="user-role"
              value={form.value.permissionGroups[0]}
              onChange={(event) => set('permissionGroups', [event.currentTarget.value])}
            >
              {PERMISSION_GROUPS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="user-group">Agent group</label>
            <select
              id="user-group"
              value={String(form.value.memberOf.agentGroupId)}
              onChange={(event) => set('memberOf', { agentGroupId: Number(event.currentTarget.value) })}
            >
              {groups.value.map((group) => (
                <option key={group.id} value={String(group.id)}>
                  {group.name}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="field">
            <legend>Skills</legend>
            {skills.value.map((skill) => (
              <label key={skill.id} class="check">
                <input
                  type="checkbox"
                  checked={form.value.skillIds.includes(skill.id)}
                  onChange={(event) =>
                    set(
                      'skillIds',
                      event.currentTarget.checked
                        ? [...form.value.skillIds, skill.id]
                        : form.value.skillIds.filter((id) => id !== skill.id),
                    )
                  }
                />
                {skill.name}
              </label>
            ))}
          </fieldset>
          {formError.value && (
            <p class="field-error" role="alert">
              {formError.value}
            </p>
          )}
          {saved.value && (
            <p class="banner banner-info" role="status">
              {saved.value}
            </p>
          )}
          <button class="button primary" type="submit">
            Create user
          </button>
        </form>
      </div>
    </div>
  )
}
