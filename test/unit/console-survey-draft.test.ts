import { describe, expect, it } from 'vitest'
import { revisionOf, writeRevised } from '../../web/src/api/config-revision.ts'
import { createHttpClient } from '../../web/src/api/http.ts'
import { bodyOf, type Survey } from '../../web/src/api/surveys.ts'
import { fieldError, fromLocalInput, toLocalInput } from '../../web/src/state/campaign-forms.ts'
import {
  addEntry,
  addQuestion,
  bodyOfDraft,
  draftOf,
  emptyDraft,
  errorsOf,
  moveQuestion,
  removeEntry,
  removeQuestion,
  updateEntry,
  updateQuestion,
} from '../../web/src/state/survey-draft.ts'

/** The console's survey editor model (web/src/state/survey-draft.ts) and the revision helpers. */

const stored: Survey = {
  id: 7,
  name: 'Pre-chat',
  type: 'preChat',
  header: '',
  skillIds: [],
  isDefault: true,
  deleted: false,
  questions: [
    {
      id: 11,
      logicId: 1,
      order: 0,
      type: 'Dropdown Box',
      label: 'About?',
      mandatory: true,
      validationType: 'alpha_numeric',
      entries: [
        { value: 'buy', displayValue: 'Buying', checked: false, showLogicIds: [] },
        { value: 'help', displayValue: 'help', checked: false, showLogicIds: [2, 3], skillId: 4 },
      ],
    },
    {
      id: 12,
      logicId: 2,
      order: 1,
      type: 'Text Field',
      label: 'Order?',
      mandatory: true,
      validationType: 'numeric',
      entries: [],
    },
    {
      id: 13,
      logicId: 3,
      order: 2,
      type: 'Text Area',
      label: 'More?',
      mandatory: false,
      validationType: 'alpha_numeric',
      entries: [],
    },
  ],
}

describe('survey draft', () => {
  it('round-trips a stored survey: show-logic moves to the revealed questions and back', () => {
    const draft = draftOf(stored)
    const help = draft.questions[0]!.entries[1]!.key
    expect(draft.questions.map((question) => question.shownWhen)).toEqual([[], [help], [help]])
    expect(draft.questions[0]!.entries[1]!.displayValue).toBe('') // the same as the value
    expect(bodyOfDraft(draft)).toEqual(bodyOf(stored))
  })

  it('keeps ids and logic ids across moves, renumbers orders, and drops the logic of removed choices', () => {
    let draft = draftOf(stored)
    draft = moveQuestion(draft, draft.questions[2]!.key, -1)!
    expect(moveQuestion(draft, draft.questions[0]!.key, -1)).toBeUndefined()
    let body = bodyOfDraft(draft)
    expect(body.questions.map((question) => [question.id, question.logicId, question.order])).toEqual([
      [11, 1, 0],
      [13, 3, 1],
      [12, 2, 2],
    ])
    expect(body.questions[0]!.entries[1]!.showLogicIds).toEqual([3, 2])

    draft = removeEntry(draft, draft.questions[0]!.key, draft.questions[0]!.entries[1]!.key)
    body = bodyOfDraft(draft)
    expect(body.questions[0]!.entries).toHaveLength(1)
    expect(draft.questions.every((question) => question.shownWhen.length === 0)).toBe(true)

    draft = removeQuestion(draft, draft.questions[0]!.key)
    expect(bodyOfDraft(draft).questions.map((question) => question.id)).toEqual([13, 12])
  })

  it('gives new questions fresh logic ids, a first choice for selection types, and no entries to text types', () => {
    let draft = addQuestion(emptyDraft('exit'))
    expect(draft.questions.map((question) => question.logicId)).toEqual([1, 2])
    const second = draft.questions[1]!.key
    draft = updateQuestion(draft, second, { type: 'Checkbox', label: 'Topics' })
    expect(draft.questions[1]!.entries).toHaveLength(1)
    draft = addEntry(draft, second)
    const [a, b] = draft.questions[1]!.entries
    draft = updateEntry(draft, second, a!.key, { value: 'billing' })
    draft = updateEntry(draft, second, b!.key, { value: 'shipping', displayValue: 'Shipping', checked: true })
    draft = updateQuestion(draft, draft.questions[0]!.key, { shownWhen: [b!.key] })
    const body = bodyOfDraft(draft)
    expect(body.questions[1]!.entries).toEqual([
      { value: 'billing', displayValue: 'billing', checked: false, showLogicIds: [] },
      { value: 'shipping', displayValue: 'Shipping', checked: true, showLogicIds: [1] },
    ])
    // A selection question turned into a text one sends no entries (and so reveals nothing).
    const text = bodyOfDraft(updateQuestion(draft, second, { type: 'Text Field' }))
    expect(text.questions[1]!.entries).toEqual([])
  })

  it('maps the API validation messages to the survey field or the question they name', () => {
    expect(errorsOf('questions.2.label: must not be empty')).toEqual({
      survey: {},
      questions: { 2: { label: 'must not be empty' } },
    })
    expect(errorsOf('questions.0.entries.1.showLogicIds: unknown or deleted id 9')!.questions[0]).toEqual({
      entries: 'unknown or deleted id 9',
    })
    expect(errorsOf('body.name: must NOT have fewer than 1 characters')!.survey).toEqual({
      name: 'must NOT have fewer than 1 characters',
    })
    expect(errorsOf('questions.id: must be unique in the survey')!.survey).toEqual({
      questions: 'must be unique in the survey',
    })
    expect(errorsOf('Revision mismatch: current revision is 4')).toBeUndefined()
  })
})

describe('campaign forms', () => {
  it('converts dates between the API and datetime-local inputs', () => {
    expect(toLocalInput('2027-04-30 23:59:59')).toBe('2027-04-30T23:59:59')
    expect(toLocalInput(null)).toBe('')
    expect(fromLocalInput('2027-04-30T23:59')).toBe('2027-04-30 23:59:00')
    expect(fromLocalInput('')).toBeNull()
    expect(fieldError('body.visitorBehaviors.0: must be integer')).toEqual({
      field: 'visitorBehaviors',
      text: 'must be integer',
    })
    expect(fieldError('Not found')).toBeUndefined()
  })
})

describe('config revisions', () => {
  it('reads ac-revision and sends it as If-Match on PUT and DELETE, not on POST', async () => {
    const calls: RequestInit[] = []
    const http = createHttpClient({
      bearer: () => 'b',
      onUnauthorized: () => {},
      fetch: async (_url, init) => {
        calls.push(init)
        return new Response('{"id":1}', { status: 200, headers: { 'ac-revision': '8' } })
      },
    })
    expect((await writeRevised(http, 'PUT', '/x', 7, { a: 1 })).revision).toBe(8)
    await writeRevised(http, 'POST', '/x', 7, { a: 1 })
    expect((calls[0]!.headers as Record<string, string>)['If-Match']).toBe('"7"')
    expect((calls[1]!.headers as Record<string, string>)['If-Match']).toBeUndefined()
    expect(revisionOf({ status: 200, location: undefined, etag: undefined, data: null })).toBe(-1)
  })
})
