import { describe, expect, it } from 'vitest'
import { fieldOf } from '../../web/src/api/config.ts'
import { formQuestions, questionOfError, surveyAnswers, visibleQuestions } from '../../web/src/state/agent-survey.ts'
import { csvField, csvHeader, csvRow, type HistoryRecord } from '../../web/src/api/history.ts'
import { ApiError, createHttpClient, retryAfterSeconds, toPath, withQuery } from '../../web/src/api/http.ts'

/** A fetch that answers from a queue and records what it was asked. */
function fakeFetch(answers: Array<Response | Error>) {
  const calls: Array<{ url: string; init: RequestInit }> = []
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init })
    const next = answers.shift()
    if (!next) throw new Error('no more answers')
    if (next instanceof Error) throw next
    return next
  }
  return { fetch, calls }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('console HTTP client (web/src/api/http.ts)', () => {
  const client = (answers: Array<Response | Error>, extra: { unauthorized?: (e: ApiError) => void } = {}) => {
    const fake = fakeFetch(answers)
    const connectivity: boolean[] = []
    const http = createHttpClient({
      bearer: () => 'bearer-1',
      onUnauthorized: extra.unauthorized ?? (() => undefined),
      onConnectivity: (value) => connectivity.push(value),
      fetch: fake.fetch,
      sleep: async () => undefined,
      maxAttempts: 3,
    })
    return { http, calls: fake.calls, connectivity }
  }

  it('sends the bearer header, JSON, never cookies, and follows absolute links on its own origin', async () => {
    const { http, calls } = client([json(201, { ok: 1 }, { location: 'http://10.0.0.1:8080/api/x/1?v=1' })])
    const answer = await http.request('POST', 'http://10.0.0.1:8080/api/x?v=1', { body: { a: 1 } })
    expect(answer).toMatchObject({ status: 201, location: '/api/x/1?v=1', data: { ok: 1 } })
    expect(calls[0]!.url).toBe('/api/x?v=1')
    expect(calls[0]!.init.credentials).toBe('omit')
    expect(calls[0]!.init.headers).toMatchObject({
      Authorization: 'Bearer bearer-1',
      'Content-Type': 'application/json',
      Accept: 'application/json',
    })
    expect(calls[0]!.init.body).toBe('{"a":1}')
  })

  it('turns LivePerson error envelopes, Engagement History errors and OAuth problems into ApiError', async () => {
    const { http } = client([
      json(400, { error: { time: 't', message: 'Cannot add line while not in chat', internalCode: 5 } }),
      json(403, { error: 'Unauthorized account access' }),
      new Response('oauth_problem=token_rejected&oauth_problem_advice=x', { status: 401 }),
    ])
    await expect(http.request('POST', '/a', { body: {} })).rejects.toMatchObject({
      kind: 'invalid',
      status: 400,
      message: 'Cannot add line while not in chat',
      internalCode: 5,
    })
    await expect(http.request('POST', '/b', { body: {} })).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Unauthorized account access',
    })
    await expect(http.request('POST', '/c', { body: {} })).rejects.toMatchObject({
      kind: 'auth',
      message: 'Your session is no longer valid',
    })
  })

  it('reports a 401 on an authenticated call (expired session), not on login', async () => {
    const seen: ApiError[] = []
    const { http } = client([json(401, { error: { message: 'Unauthorized' } }), json(401, { error: 'x' })], {
      unauthorized: (error) => seen.push(error),
    })
    await expect(http.request('GET', '/a')).rejects.toBeInstanceOf(ApiError)
    await expect(http.request('POST', '/login', { anonymous: true, body: {} })).rejects.toBeInstanceOf(ApiError)
    expect(seen).toHaveLength(1)
  })

  it('retries GETs on network errors, 5xx and 429 with "reconnecting" shown, then recovers', async () => {
    const { http, calls, connectivity } = client([new TypeError('fetch failed'), json(503, {}), json(200, { n: 1 })])
    expect((await http.request('GET', '/poll')).data).toEqual({ n: 1 })
    expect(calls).toHaveLength(3)
    expect(connectivity).toEqual([true, false])
  })

  it('does not repeat a POST unless asked to (idempotency key), and gives up after maxAttempts', async () => {
    const once = client([json(503, {})])
    await expect(once.http.request('POST', '/lines', { body: {} })).rejects.toMatchObject({ kind: 'server' })
    expect(once.calls).toHaveLength(1)
    const retried = client([new TypeError('down'), new TypeError('down'), new TypeError('down')])
    await expect(
      retried.http.request('POST', '/lines', { body: {}, retry: true, headers: { 'Idempotency-Key': 'k1' } }),
    ).rejects.toMatchObject({ kind: 'network' })
    expect(retried.calls).toHaveLength(3)
    expect(retried.calls.map((call) => (call.init.headers as Record<string, string>)['Idempotency-Key'])).toEqual([
      'k1',
      'k1',
      'k1',
    ])
  })

  it('waits as long as a 429 Retry-After says, tells the person, and clears the note after the next success', async () => {
    const fake = fakeFetch([
      json(429, { error: { message: 'slow down' } }, { 'retry-after': '7' }),
      json(200, { n: 2 }),
    ])
    const slept: number[] = []
    const limited: number[] = []
    const http = createHttpClient({
      bearer: () => undefined,
      onUnauthorized: () => undefined,
      onRateLimited: (seconds) => limited.push(seconds),
      fetch: fake.fetch,
      sleep: async (ms) => void slept.push(ms),
    })
    expect((await http.request('GET', '/poll')).data).toEqual({ n: 2 })
    expect(slept).toEqual([7_000])
    expect(limited).toEqual([7, 0])
    expect(retryAfterSeconds('120')).toBe(120)
    expect(retryAfterSeconds(new Date(Date.now() + 30_000).toUTCString())).toBeGreaterThanOrEqual(29)
    expect(retryAfterSeconds('soon')).toBe(0)
    expect(retryAfterSeconds('99999')).toBe(300)
    // A POST that may not be repeated carries the wait to the caller.
    const once = createHttpClient({
      bearer: () => undefined,
      onUnauthorized: () => undefined,
      fetch: fakeFetch([json(429, {}, { 'retry-after': '3' })]).fetch,
    })
    await expect(once.request('POST', '/accept', { body: {} })).rejects.toMatchObject({
      kind: 'rate-limited',
      retryAfter: 3,
    })
  })

  it('builds paths and queries', () => {
    expect(toPath('https://h.example/api/a?b=1')).toBe('/api/a?b=1')
    expect(toPath('/api/a')).toBe('/api/a')
    expect(withQuery('/a?x=1', { v: 1, from: 0, skip: undefined })).toBe('/a?x=1&v=1&from=0')
    expect(withQuery('/a', { q: 'a b&c' })).toBe('/a?q=a%20b%26c')
  })
})

describe('console CSV export and field errors', () => {
  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"')
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvField(-5)).toBe('-5')
    expect(csvField(null)).toBe('')
  })

  it('writes one row per record under a fixed header', () => {
    const record = {
      info: {
        engagementId: 'e1',
        startTime: '2026-12-07 10:00:00.000+0000',
        startTimeL: 0,
        duration: 61,
        visitorId: 'v1',
        visitorName: 'Ada, "the" visitor',
        agentNickName: 'Nat',
        chatMCS: 40,
        alertedMCS: 1,
      },
      transcript: { lines: [{ time: '', timeL: 0, source: 'visitor', text: 'hi' }] },
      lineScores: [],
      surveys: { preChat: [], postChat: [], operator: [] },
      visitorInfo: {},
    } satisfies HistoryRecord
    expect(csvHeader()).toBe(
      'engagementId,startTime,endTime,duration,visitorId,visitorName,agentLoginName,agentNickName,skillName,agentGroupName,chatMCS,alertedMCS,endReason,lines\r\n',
    )
    expect(csvRow(record)).toBe('e1,2026-12-07 10:00:00.000+0000,,61,v1,"Ada, ""the"" visitor",,Nat,,,40,1,,1\r\n')
  })

  it('finds the field an account-config validation message names', () => {
    expect(fieldOf('passwordSh: must have at least 8 characters')).toBe('passwordSh')
    expect(fieldOf("body.loginName: must have required property 'loginName'")).toBe('loginName')
    expect(fieldOf('memberOf.agentGroupId: unknown agent group 9')).toBe('memberOf')
    expect(fieldOf('Login name already exists')).toBeUndefined()
  })
})

describe('console agent survey form (web/src/state/agent-survey.ts)', () => {
  // A23's typed document: one entry collapses to a bare object, show-logic ids may be one or several.
  const questions = formQuestions({
    id: 3,
    questions: {
      question: [
        { id: 3, logicId: 3, order: 2, type: 'Text Field', label: 'Order?', mandatory: true },
        {
          id: 1,
          logicId: 1,
          order: 0,
          type: 'Radio Button',
          label: 'Resolved?',
          mandatory: true,
          entry: [{ value: 'yes' }, { value: 'no', displayValue: 'No', logic: { showLogicId: 2 } }],
        },
        {
          id: 2,
          logicId: 2,
          order: 1,
          type: 'Checkbox',
          label: 'Why not?',
          mandatory: false,
          entry: { value: 'refund', logic: { showLogicId: [3] } },
        },
      ],
    },
  })

  it('orders questions, follows show-logic chains, and answers only shown questions', () => {
    expect(questions.map((question) => question.label)).toEqual(['Resolved?', 'Why not?', 'Order?'])
    expect(visibleQuestions(questions, {}).map((question) => question.id)).toEqual([1])
    expect(visibleQuestions(questions, { 1: ['no'] }).map((question) => question.id)).toEqual([1, 2])
    expect(visibleQuestions(questions, { 1: ['no'], 2: ['refund'] }).map((question) => question.id)).toEqual([1, 2, 3])
    // A hidden question's answer is not sent; a checkbox answers a list, others one value.
    expect(surveyAnswers(questions, { 1: ['yes'], 3: ['42'] })).toEqual([{ id: 1, answer: 'yes' }])
    expect(surveyAnswers(questions, { 1: ['no'], 2: ['refund'], 3: [' '] })).toEqual([
      { id: 1, answer: 'no' },
      { id: 2, answer: ['refund'] },
    ])
  })

  it('finds the question an API error names', () => {
    expect(questionOfError('Survey question 12 "Resolved?": an answer is mandatory')).toBe(12)
    expect(questionOfError('survey: unknown survey 3')).toBeUndefined()
  })
})
