import { useSignal } from '@preact/signals'
import { useEffect, useMemo, useRef } from 'preact/hooks'
import { API_KEY_PERMISSIONS, keysApi, type ApiKey, type AppKey, type NewApiKey } from '../../api/keys.ts'
import { useApp } from '../../context.ts'
import { NO_PROBLEM, messageOf, problemOf, type FormProblem } from '../../state/admin-form.ts'
import { CheckGroup, Confirm, ProblemBanner } from './Field.tsx'

/** What `parley apikey create` grants by default (docs/auth.md): no configuration writes, no Visit API. */
const DEFAULT_PERMISSIONS = ['engagementHistory', 'monitoring', 'agent', 'visitor', 'configRead', 'operationalRealtime']
const permissionLabel = (name: string) => API_KEY_PERMISSIONS.find(([value]) => value === name)?.[1] ?? name
const when = (ms: number) => new Date(ms).toLocaleString()

type Revoking = { kind: 'app' | 'api'; appKey: string }

/**
 * Admin page: the account's visitor app keys and OAuth 1.0a API keys (Parley's keys extension of
 * the configuration API): list, create, revoke. A new API key's secrets are shown once, here, and
 * kept in this component only: a reload or another page forgets them.
 */
export function Keys() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => keysApi(app.http, accountId), [accountId])
  const appKeys = useSignal<AppKey[]>([])
  const apiKeys = useSignal<ApiKey[]>([])
  const pageError = useSignal('')
  const permissions = useSignal<string[]>(DEFAULT_PERMISSIONS)
  const problem = useSignal<FormProblem>(NO_PROBLEM)
  const created = useSignal<NewApiKey | null>(null)
  const status = useSignal('')
  const revoking = useSignal<Revoking | null>(null)

  const load = async () => {
    try {
      const [apps, apis] = await Promise.all([api.appKeys(), api.apiKeys()])
      appKeys.value = apps
      apiKeys.value = apis
    } catch (failure) {
      pageError.value = messageOf(failure)
    }
  }
  useEffect(() => void load(), [api])

  const createApiKey = async (event: Event) => {
    event.preventDefault()
    problem.value = NO_PROBLEM
    status.value = ''
    try {
      created.value = await api.createApiKey(permissions.value)
      await load()
    } catch (failure) {
      problem.value = problemOf(failure, ['permissions'])
    }
  }

  const createAppKey = async () => {
    status.value = ''
    pageError.value = ''
    try {
      const key = await api.createAppKey()
      status.value = `Created the app key ${key.appKey}.`
      await load()
    } catch (failure) {
      pageError.value = messageOf(failure)
    }
  }

  const revoke = async ({ kind, appKey }: Revoking) => {
    revoking.value = null
    pageError.value = ''
    try {
      if (kind === 'api') await api.revokeApiKey(appKey)
      else await api.revokeAppKey(appKey)
      status.value = `Revoked the ${kind === 'api' ? 'API' : 'app'} key ${appKey}.`
      if (created.value?.appKey === appKey) created.value = null
    } catch (failure) {
      pageError.value = `Could not revoke ${appKey}: ${messageOf(failure)}`
    }
    await load()
  }

  return (
    <div class="page">
      <h1>Keys</h1>
      <ProblemBanner
        message={pageError.value}
        onReload={() => {
          pageError.value = ''
          void load()
        }}
      />
      {status.value && (
        <p class="banner banner-info" role="status">
          {status.value}
        </p>
      )}
      {revoking.value && (
        <Confirm
          confirmLabel="Revoke key"
          onConfirm={() => revoking.value && void revoke(revoking.value)}
          onCancel={() => (revoking.value = null)}
        >
          Revoke the {revoking.value.kind === 'api' ? 'API' : 'visitor app'} key {revoking.value.appKey}? Every request
          made with it is refused from now on.
        </Confirm>
      )}
      {created.value && <NewKeyCard apiKey={created.value} onDone={() => (created.value = null)} />}
      <div class="page-columns">
        <section aria-labelledby="api-keys-title" class="stack">
          <h2 id="api-keys-title">API keys (OAuth 1.0a)</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Consumer key (appKey)</th>
                <th scope="col">Permissions</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {apiKeys.value.map((key) => (
                <tr key={key.appKey}>
                  <td class="mono">{key.appKey}</td>
                  <td>{key.permissions.map(permissionLabel).join(', ')}</td>
                  <td>{when(key.createdAt)}</td>
                  <td>
                    <button
                      class="button small danger"
                      type="button"
                      onClick={() => (revoking.value = { kind: 'api', appKey: key.appKey })}
                    >
                      Revoke<span class="visually-hidden"> API key {key.appKey}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 id="app-keys-title">Visitor app keys</h2>
          <p class="field-hint">
            The <code>appKey</code> of the visitor Server Chat API. App keys are public by nature (web pages embed
            them), so they stay listed.
          </p>
          <table class="table" aria-labelledby="app-keys-title">
            <thead>
              <tr>
                <th scope="col">App key</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {appKeys.value.map((key) => (
                <tr key={key.appKey}>
                  <td class="mono">{key.appKey}</td>
                  <td>{when(key.createdAt)}</td>
                  <td>
                    <button
                      class="button small danger"
                      type="button"
                      onClick={() => (revoking.value = { kind: 'app', appKey: key.appKey })}
                    >
                      Revoke<span class="visually-hidden"> app key {key.appKey}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div>
            <button class="button" type="button" onClick={() => void createAppKey()}>
              Create app key
            </button>
          </div>
        </section>
        <form
          class="card form"
          onSubmit={(event) => void createApiKey(event)}
          aria-labelledby="new-key-title"
          noValidate
        >
          <h2 id="new-key-title">New API key</h2>
          <CheckGroup
            id="key-permissions"
            legend="Permissions"
            options={API_KEY_PERMISSIONS}
            selected={permissions.value}
            error={problem.value.fields.permissions}
            onChange={(selected) => (permissions.value = selected)}
          />
          {problem.value.form && (
            <p class="field-error" role="alert">
              {problem.value.form}
            </p>
          )}
          <button class="button primary" type="submit">
            Create API key
          </button>
        </form>
      </div>
    </div>
  )
}

/** The new key's four values, each with a copy button; shown until dismissed, never again. */
function NewKeyCard({ apiKey, onDone }: { apiKey: NewApiKey; onDone: () => void }) {
  const copied = useSignal('')
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => headingRef.current?.focus(), [apiKey.appKey])
  const values: Array<[string, string]> = [
    ['Consumer key (appKey)', apiKey.appKey],
    ['Consumer secret', apiKey.secret],
    ['Access token', apiKey.accessToken],
    ['Access token secret', apiKey.accessTokenSecret],
  ]
  const copy = async (label: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text)
      copied.value = `${label} copied.`
    } catch {
      copied.value = `Copying is not allowed here: select the ${label.toLowerCase()} and copy it.`
    }
  }
  const json = JSON.stringify({
    appKey: apiKey.appKey,
    secret: apiKey.secret,
    accessToken: apiKey.accessToken,
    accessTokenSecret: apiKey.accessTokenSecret,
  })
  return (
    <section class="card new-key" aria-labelledby="created-key-title">
      <h2 id="created-key-title" tabIndex={-1} ref={headingRef}>
        New API key: copy the secrets now
      </h2>
      <p>They are shown only this once. Parley keeps them for checking signatures but never shows them again.</p>
      <div class="key-values">
        {values.map(([label, value], index) => (
          <div class="key-value" key={label}>
            <label for={`created-key-${index}`}>{label}</label>
            <input id={`created-key-${index}`} class="mono" type="text" readOnly value={value} />
            <button class="button small" type="button" onClick={() => void copy(label, value)}>
              Copy<span class="visually-hidden"> {label.toLowerCase()}</span>
            </button>
          </div>
        ))}
      </div>
      <div class="row">
        <button class="button small" type="button" onClick={() => void copy('All four values (JSON)', json)}>
          Copy all as JSON
        </button>
        <button class="button small primary" type="button" onClick={onDone}>
          I have saved them
        </button>
      </div>
      <p role="status" class="field-hint">
        {copied.value}
      </p>
    </section>
  )
}
