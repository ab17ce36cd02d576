import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import type { AvailableAgent, TransferSkill } from '../api/agent.ts'
import { explain } from '../state/failures.ts'
import type { ChatModel, WorkspaceStore } from '../state/workspace.ts'

/** Transfer to a skill with an Online agent, or to an Online agent, with a note for them. */
export function TransferForm({ store, chat, onDone }: { store: WorkspaceStore; chat: ChatModel; onDone: () => void }) {
  const skills = useSignal<TransferSkill[]>([])
  const agents = useSignal<AvailableAgent[]>([])
  const target = useSignal('')
  const note = useSignal('')
  const error = useSignal('')
  const loading = useSignal(true)
  const select = useRef<HTMLSelectElement>(null)

  useEffect(() => {
    store
      .transferOptions(chat.key)
      .then((options) => {
        skills.value = options.skills
        agents.value = options.agents
      })
      .catch((failure: unknown) => (error.value = `The transfer targets could not be loaded. ${explain(failure)}`))
      .finally(() => {
        loading.value = false
        // Opened from the keyboard (Alt+T) or a click: the first field takes the focus.
        requestAnimationFrame(() => select.current?.focus())
      })
  }, [chat.key])

  const submit = async (event: Event) => {
    event.preventDefault()
    const [kind, id] = target.value.split(':')
    if (!kind || !id) {
      error.value = 'Choose a skill or an agent.'
      return
    }
    const label =
      kind === 'skill'
        ? (skills.value.find((skill) => skill.id === id)?.name ?? 'skill')
        : (agents.value.find((agent) => agent['@id'] === id)?.nickname ?? 'agent')
    try {
      await store.transfer(
        chat.key,
        kind === 'skill' ? { skill: Number(id) } : { agent: Number(id) },
        note.value,
        label,
      )
      onDone()
    } catch (failure) {
      error.value = explain(failure)
    }
  }

  return (
    <form class="transfer card" onSubmit={(event) => void submit(event)} aria-label="Transfer the chat">
      <label for={`transfer-target-${chat.key}`}>Transfer to</label>
      <select
        id={`transfer-target-${chat.key}`}
        ref={select}
        value={target.value}
        onChange={(event) => (target.value = event.currentTarget.value)}
        disabled={loading.value}
      >
        <option value="">{loading.value ? 'Loading…' : 'Choose a skill or an agent'}</option>
        <optgroup label="Skills">
          {skills.value.map((skill) => (
            <option key={skill.id} value={`skill:${skill.id}`}>
              {skill.name} ({skill.onlineAgents} online)
            </option>
          ))}
        </optgroup>
        <optgroup label="Agents online">
          {agents.value.map((agent) => (
            <option key={agent['@id']} value={`agent:${agent['@id']}`}>
              {agent.nickname} ({agent.chats} chats)
            </option>
          ))}
        </optgroup>
      </select>
      <label for={`transfer-note-${chat.key}`}>Note for the next agent</label>
      <textarea
        id={`transfer-note-${chat.key}`}
        rows={2}
        value={note.value}
        onInput={(event) => (note.value = event.currentTarget.value)}
      />
      {error.value && (
        <p class="field-error" role="alert">
          {error.value}
        </p>
      )}
      <div class="row">
        <button class="button primary" type="submit">
          Transfer
        </button>
        <button class="button" type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
