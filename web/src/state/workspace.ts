import { batch, computed, signal } from '@preact/signals'
import {
  asList,
  linkOf,
  nextFrom,
  type AgentApi,
  type Availability,
  type ChatEvent,
  type ChatInfo,
  type CustomVariable,
  type EngagementAttributeEvent,
  type RingingChat,
  type Survey,
  type SurveyAnswer,
  type Visit,
  type VisitorContext,
} from '../api/agent.ts'
import { ApiError, backoffMs } from '../api/http.ts'
import { explain } from './failures.ts'

/** One chat the agent holds (or held: ended and transferred chats stay until closed). */
export interface ChatModel {
  key: string
  url: string
  events: ChatEvent[]
  info: ChatInfo | null
  /** `open` while chatting, `ended` after the end, `gone` after a transfer or requeue. */
  status: 'open' | 'ended' | 'gone'
  statusText: string
  unread: number
  visitUrl?: string
  side?: SidePanelData
  /** A line the agent typed that the server refused because the chat had ended meanwhile. */
  unsent?: string
  /** The agent survey was sent for this chat. */
  surveyDone?: boolean
}

/** A chat ringing the agent, with the client time its figures were read (for a ticking wait). */
export interface RingingEntry extends RingingChat {
  readAt: number
}

export interface SidePanelData {
  visit?: Visit
  customVariables: CustomVariable[]
  attributes: EngagementAttributeEvent[]
  context?: VisitorContext
  error?: string
}

export interface WorkspaceDeps {
  agent: AgentApi
  accountId: string
  userId: number
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
  /** Visitor lines and ringing, for the ARIA live region. */
  announce: (text: string) => void
  /** A chat started ringing (sound and desktop notification). */
  onRing: (count: number) => void
  /** A26-style role hint from A6: true when the user is an agent manager. */
  onPrivilegeGroup: (group: string) => void
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Seconds a chat poll is held (D10 `wait`); lines arrive at once, typing within this time. */
  chatWait?: number
  ringPollMs?: number
}

const SESSION_KEY = 'parley.console.agentSession'

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })

/**
 * The agent workspace's state on the Chat Agent API: one agent session per tab (reused across
 * reloads), ringing and held chats polled every 2 s, each chat long-polled with `wait`, and
 * reconnection with backoff that never drops a line (the next poll asks `from` the last event).
 */
export function createWorkspaceStore(deps: WorkspaceDeps) {
  const { agent } = deps
  const sleep = deps.sleep ?? abortableSleep
  const chatWait = deps.chatWait ?? 3
  const ringPollMs = deps.ringPollMs ?? 2_000
  const stopper = new AbortController()

  const sessionUrl = signal<string | null>(null)
  const status = signal<'starting' | 'ready' | 'error'>('starting')
  const error = signal('')
  const agentName = signal('')
  const maxChats = signal(0)
  const availability = signal<Availability>('Online')
  const ringingChats = signal<RingingEntry[]>([])
  const ringing = computed(() => ringingChats.value.length)
  const chats = signal<ReadonlyMap<string, ChatModel>>(new Map())
  const selected = signal<string | null>(null)
  const notice = signal('')
  /** What "Try again" next to the notice does (an accept that failed), if anything. */
  const noticeRetry = signal<(() => void) | null>(null)
  const chatList = computed(() => [...chats.value.values()])
  const unreadTotal = computed(() => chatList.value.reduce((sum, chat) => sum + chat.unread, 0))
  const running = new Map<string, AbortController>()

  const update = (key: string, change: (chat: ChatModel) => ChatModel) => {
    const chat = chats.value.get(key)
    if (!chat) return
    const next = new Map(chats.value)
    next.set(key, change(chat))
    chats.value = next
  }

  async function openSession(): Promise<string> {
    const stored = deps.storage.getItem(SESSION_KEY)
    if (stored) {
      const [owner, url] = stored.split(' ', 2)
      if (owner === `${deps.accountId}:${deps.userId}` && url) {
        try {
          await agent.getSession(url)
          return url
        } catch (failure) {
          if (!(failure instanceof ApiError) || failure.kind !== 'not-found') throw failure
        }
      }
    }
    // Admins and agent managers start Away (docs/console.md): chats only when they choose to.
    const url = await agent.startSession(deps.accountId, 'byRole')
    deps.storage.setItem(SESSION_KEY, `${deps.accountId}:${deps.userId} ${url}`)
    return url
  }

  async function loadSide(key: string): Promise<void> {
    const chat = chats.value.get(key)
    if (!chat) return
    try {
      const [attributes, context, visit, customVariables] = await Promise.all([
        agent.engagementAttributes(chat.url),
        agent.visitorContext(chat.url),
        chat.visitUrl ? agent.visit(chat.visitUrl) : Promise.resolve(undefined),
        chat.visitUrl ? agent.customVariables(chat.visitUrl) : Promise.resolve([]),
      ])
      update(key, (current) => ({
        ...current,
        side: { attributes, context, customVariables, ...(visit ? { visit } : {}) },
      }))
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure)
      update(key, (current) => ({
        ...current,
        side: { attributes: [], customVariables: [], ...current.side, error: message },
      }))
    }
  }

  /** Long-polls one chat until it ends or is no longer the agent's. */
  async function followChat(key: string): Promise<void> {
    const controller = new AbortController()
    running.set(key, controller)
    stopper.signal.addEventListener('abort', () => controller.abort())
    let failures = 0
    let first = true
    while (!controller.signal.aborted) {
      const chat = chats.value.get(key)
      if (!chat || chat.status !== 'open') break
      const from = chat.events.length === 0 ? 0 : nextFrom(chat.events, 0)
      try {
        const doc = await agent.chat(chat.url, from, first ? 0 : chatWait, controller.signal)
        failures = 0
        const fresh = asList(doc.events?.event).filter((event) => Number(event['@id']) >= from)
        const visitUrl = linkOf(doc.link, 'visit-id')
        const isSelected = selected.value === key && document.visibilityState !== 'hidden'
        const visitorLines = fresh.filter((event) => event['@type'] === 'line' && event.source === 'visitor')
        const ended = doc.info.state === 'ended'
        update(key, (current) => ({
          ...current,
          events: [...current.events, ...fresh],
          info: doc.info,
          ...(visitUrl ? { visitUrl } : {}),
          unread: first || isSelected ? current.unread : current.unread + visitorLines.length,
          status: ended ? 'ended' : current.status,
          statusText: ended ? 'The chat has ended.' : current.statusText,
        }))
        if (!first) {
          for (const line of visitorLines) deps.announce(`${doc.info.visitorName}: ${line.text ?? 'sent rich content'}`)
          if (visitorLines.length > 0) void refreshContext(key)
        }
        if (first) void loadSide(key)
        first = false
        if (ended) break
      } catch (failure) {
        if (controller.signal.aborted) break
        if (failure instanceof ApiError && failure.kind === 'not-found') {
          update(key, (current) => ({
            ...current,
            status: 'gone',
            statusText: current.statusText || 'This chat is no longer yours (transferred or returned to the queue).',
          }))
          break
        }
        if (failure instanceof ApiError && failure.kind === 'auth') break
        failures++
        await sleep(backoffMs(Math.min(failures, 6)), controller.signal)
      }
    }
    running.delete(key)
  }

  async function refreshContext(key: string): Promise<void> {
    const chat = chats.value.get(key)
    if (!chat) return
    try {
      const context = await agent.visitorContext(chat.url)
      update(key, (current) => ({
        ...current,
        side: { attributes: [], customVariables: [], ...current.side, context },
      }))
    } catch {
      // The panel keeps the previous figures; the next visitor line tries again.
    }
  }

  function track(key: string, url: string): void {
    if (chats.value.has(key)) return
    const next = new Map(chats.value)
    next.set(key, { key, url, events: [], info: null, status: 'open', statusText: '', unread: 0 })
    chats.value = next
    if (selected.value === null) selected.value = key
    void followChat(key)
  }

  /** Ringing, held chats and availability every 2 s; a lost session is replaced by a new one. */
  async function pollSession(): Promise<void> {
    let failures = 0
    let lastRinging = 0
    while (!stopper.signal.aborted) {
      const session = sessionUrl.value
      if (!session) break
      try {
        const [list, held, state] = await Promise.all([
          agent.ringingChats(session, stopper.signal),
          agent.chatSessions(session, stopper.signal),
          agent.availability(session),
        ])
        failures = 0
        const count = list.length
        const readAt = Date.now()
        batch(() => {
          ringingChats.value = list.map((entry) => ({ ...entry, readAt }))
          availability.value = state
          for (const entry of held) track(entry.key, entry.url)
        })
        if (count > lastRinging) {
          deps.onRing(count)
          deps.announce(
            count === 1 ? 'A chat is waiting to be accepted.' : `${count} chats are waiting to be accepted.`,
          )
        }
        lastRinging = count
        await sleep(ringPollMs, stopper.signal)
      } catch (failure) {
        if (stopper.signal.aborted) break
        if (failure instanceof ApiError && failure.kind === 'auth') break
        if (failure instanceof ApiError && failure.kind === 'not-found') {
          // The agent session ended (idle timeout, another tab's logout): open a new one.
          deps.storage.removeItem(SESSION_KEY)
          try {
            sessionUrl.value = await openSession()
          } catch {
            // Retried on the next round.
          }
          continue
        }
        failures++
        await sleep(backoffMs(Math.min(failures, 6)), stopper.signal)
      }
    }
  }

  return {
    sessionUrl,
    status,
    error,
    agentName,
    maxChats,
    availability,
    ringing,
    ringingChats,
    chats,
    chatList,
    selected,
    notice,
    noticeRetry,
    unreadTotal,

    async start(): Promise<void> {
      try {
        const url = await openSession()
        sessionUrl.value = url
        const info = await agent.info(url)
        agentName.value = info.displayName || info.agentName
        maxChats.value = Number(info.maxChats)
        availability.value = info.availability.chat
        status.value = 'ready'
        void pollSession()
        agent
          .availableAgents(url)
          .then((agents) => {
            const me = agents.find((entry) => entry['@id'] === String(deps.userId))
            if (me) deps.onPrivilegeGroup(me.privilegeGroup)
          })
          .catch(() => undefined)
      } catch (failure) {
        status.value = 'error'
        error.value = failure instanceof Error ? failure.message : String(failure)
      }
    },

    stop(): void {
      stopper.abort()
    },

    async setAvailability(next: Exclude<Availability, 'Offline'>): Promise<void> {
      const url = sessionUrl.value
      if (!url) return
      availability.value = await agent.setAvailability(url, next)
    },

    /** A9: the oldest ringing chat becomes the agent's and is selected. */
    async accept(): Promise<void> {
      const url = sessionUrl.value
      if (!url || ringing.value === 0) return
      try {
        const chatUrl = await agent.accept(url)
        const key = decodeURIComponent(chatUrl.split('/').pop() ?? '')
        ringingChats.value = ringingChats.value.slice(1)
        track(key, chatUrl)
        selected.value = key
        notice.value = ''
        noticeRetry.value = null
      } catch (failure) {
        const gone = failure instanceof ApiError && failure.kind === 'not-found'
        notice.value = gone
          ? 'That chat is no longer waiting (the visitor left or another agent took it).'
          : `Could not accept the chat. ${explain(failure)}`
        noticeRetry.value = gone ? null : () => void this.accept()
      }
    },

    select(key: string): void {
      if (!chats.value.has(key)) return
      selected.value = key
      update(key, (chat) => ({ ...chat, unread: 0 }))
    },

    /** Moves the selection by `step` through the list (keyboard navigation). */
    move(step: number): void {
      const list = chatList.value
      if (list.length === 0) return
      const index = list.findIndex((chat) => chat.key === selected.value)
      const next = list[(index + step + list.length) % list.length]
      if (next) this.select(next.key)
    },

    /**
     * A14 line. Refused because the chat ended meanwhile (the visitor left), the chat is marked
     * ended and keeps the text (`unsent`) so nothing typed is lost; other failures are rethrown.
     */
    async send(key: string, text: string): Promise<void> {
      const chat = chats.value.get(key)
      if (!chat) return
      try {
        await agent.sendLine(chat.url, text, crypto.randomUUID())
      } catch (failure) {
        if (!(failure instanceof ApiError) || (failure.kind !== 'invalid' && failure.kind !== 'not-found'))
          throw failure
        const state = await agent
          .chat(chat.url, nextFrom(chat.events, 0), 0)
          .then((doc) => doc.info.state)
          .catch(() => (failure.kind === 'not-found' ? 'gone' : 'unknown'))
        if (state === 'unknown' || state === 'chatting') throw failure
        running.get(key)?.abort()
        update(key, (current) => ({
          ...current,
          status: state === 'ended' ? 'ended' : 'gone',
          statusText:
            state === 'ended'
              ? 'The chat ended before your line was sent (the visitor left). Your text is kept below.'
              : 'This chat is no longer yours, so your line was not sent. Your text is kept below.',
          unsent: text,
        }))
      }
    },

    /** A23: the account's agent survey for this chat, or null when it has none (404). */
    async survey(key: string): Promise<Survey | null> {
      const chat = chats.value.get(key)
      if (!chat) return null
      try {
        return await agent.agentSurvey(chat.url)
      } catch (failure) {
        if (failure instanceof ApiError && failure.kind === 'not-found') return null
        throw failure
      }
    },

    /** A23 PUT; the API's 400 (which names the question) is rethrown for the form to place. */
    async submitSurvey(key: string, surveyId: number, answers: SurveyAnswer[]): Promise<void> {
      const chat = chats.value.get(key)
      if (!chat) return
      await agent.submitAgentSurvey(chat.url, surveyId, answers)
      update(key, (current) => ({ ...current, surveyDone: true }))
    },

    async setTyping(key: string, typing: boolean): Promise<void> {
      const chat = chats.value.get(key)
      if (!chat || chat.status !== 'open') return
      await agent.setTyping(chat.url, typing).catch(() => undefined)
    },

    async end(key: string): Promise<void> {
      const chat = chats.value.get(key)
      if (!chat) return
      await agent.end(chat.url)
      update(key, (current) => ({ ...current, status: 'ended', statusText: 'You ended the chat.' }))
      running.get(key)?.abort()
    },

    async transferOptions(key: string) {
      const chat = chats.value.get(key)
      const url = sessionUrl.value
      if (!chat || !url) return { skills: [], agents: [] }
      const [skills, agents] = await Promise.all([agent.transferSkills(chat.url), agent.availableAgents(url)])
      return {
        skills,
        agents: agents.filter((entry) => entry['@chatState'] === '2' && entry['@id'] !== String(deps.userId)),
      }
    },

    async transfer(key: string, target: { skill: number } | { agent: number }, note: string, label: string) {
      const chat = chats.value.get(key)
      if (!chat) return
      await agent.transfer(chat.url, target, note)
      running.get(key)?.abort()
      update(key, (current) => ({ ...current, status: 'gone', statusText: `Transferred to ${label}.` }))
    },

    /** Removes an ended or transferred chat from the list. */
    close(key: string): void {
      running.get(key)?.abort()
      const next = new Map(chats.value)
      next.delete(key)
      chats.value = next
      if (selected.value === key) selected.value = next.keys().next().value ?? null
    },
  }
}

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>
