import { beforeAll, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { adminConfigApi, idsOf, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'

interface SurveyDocument {
  id: number
  isDefault: boolean
  questions: Array<{ id: number; logicId: number; label: string }>
}

const exitSurvey = (overrides: Record<string, unknown> = {}) => ({
  name: 'Post-chat Survey v2 (All Channels)',
  type: 'exit',
  isDefault: true,
  questions: [
    {
      type: 'Radio Button',
      label: 'Would you like us to email you a transcript of this chat?',
      entries: [
        { value: 'yes', displayValue: 'Yes', showLogicIds: [2] },
        { value: 'no', displayValue: 'No' },
      ],
    },
    { type: 'Text Field', label: 'If yes, please provide your email:', validationType: 'email' },
  ],
  ...overrides,
})

describeEachDialect('account configuration: surveys', (dialect) => {
  const context = useTestApp(dialect)
  let api: ConfigApi

  beforeAll(async () => {
    ;({ api } = await adminConfigApi(context))
  })

  it('creates a survey with question defaults and the documented shape', async () => {
    const response = await api.post('/le-surveys/surveys', exitSurvey())
    expect(response.statusCode).toBe(201)
    const survey = response.json<SurveyDocument>()
    expect(survey).toEqual({
      id: expect.any(Number),
      name: 'Post-chat Survey v2 (All Channels)',
      type: 'exit',
      header: '',
      skillIds: [],
      isDefault: true,
      deleted: false,
      questions: [
        {
          id: expect.any(Number),
          logicId: 1,
          order: 0,
          type: 'Radio Button',
          label: 'Would you like us to email you a transcript of this chat?',
          mandatory: false,
          validationType: 'alpha_numeric',
          entries: [
            { value: 'yes', displayValue: 'Yes', checked: false, showLogicIds: [2] },
            { value: 'no', displayValue: 'No', checked: false, showLogicIds: [] },
          ],
        },
        {
          id: expect.any(Number),
          logicId: 2,
          order: 1,
          type: 'Text Field',
          label: 'If yes, please provide your email:',
          mandatory: false,
          validationType: 'email',
          entries: [],
        },
      ],
    })
    expect(survey.questions[0]!.id).not.toBe(survey.questions[1]!.id)
    expect(response.headers.location).toMatch(new RegExp(`/le-surveys/surveys/${survey.id}$`))
  })

  it('keeps question ids sent back on update and assigns new ones', async () => {
    const survey = (await api.post('/le-surveys/surveys', exitSurvey({ isDefault: false }))).json<SurveyDocument>()
    const [first] = survey.questions
    const put = await api.put(`/le-surveys/surveys/${survey.id}`, {
      name: 'Edited',
      type: 'exit',
      questions: [
        { id: first!.id, type: 'Text Area', label: 'Comments' },
        { type: 'Checkbox', label: 'Topics', entries: [{ value: 'a' }] },
      ],
    })
    expect(put.statusCode).toBe(200)
    const questions = put.json<SurveyDocument>().questions
    expect(questions[0]).toMatchObject({ id: first!.id, type: 'Text Area', logicId: 1 })
    expect(questions[1]!.id).not.toBe(first!.id)
    expect(questions[1]).toMatchObject({
      entries: [{ value: 'a', displayValue: 'a', checked: false, showLogicIds: [] }],
    })
  })

  it('keeps at most one default survey per type', async () => {
    const first = (await api.post('/le-surveys/surveys', exitSurvey({ type: 'preChat' }))).json<SurveyDocument>()
    const second = (await api.post('/le-surveys/surveys', exitSurvey({ type: 'preChat' }))).json<SurveyDocument>()
    expect(second.isDefault).toBe(true)
    expect((await api.get(`/le-surveys/surveys/${first.id}`)).json()).toMatchObject({ isDefault: false })
    const agent = (await api.post('/le-surveys/surveys', exitSurvey({ type: 'agent' }))).json<SurveyDocument>()
    expect((await api.get(`/le-surveys/surveys/${second.id}`)).json()).toMatchObject({ isDefault: true })
    expect(agent.isDefault).toBe(true)
  })

  it('rejects invalid surveys with 400 naming the field', async () => {
    const skill = (await api.post('/le-users/skills', { name: 'Sales' })).json<{ id: number }>()
    expect((await api.post('/le-surveys/surveys', exitSurvey({ skillIds: [skill.id] }))).statusCode).toBe(201)
    const cases: Array<[Record<string, unknown>, string]> = [
      [exitSurvey({ type: 'weird' }), 'type'],
      [exitSurvey({ questions: [] }), 'questions'],
      [exitSurvey({ questions: undefined }), 'questions'],
      [exitSurvey({ name: undefined }), 'name'],
      [exitSurvey({ skillIds: [987654321] }), 'skillIds'],
      [exitSurvey({ questions: [{ type: 'Slider', label: 'x' }] }), 'questions.0.type'],
      [exitSurvey({ questions: [{ type: 'Radio Button', label: 'x' }] }), 'questions.0.entries'],
      [
        exitSurvey({
          questions: [
            { type: 'Text Field', label: 'a', logicId: 1 },
            { type: 'Text Field', label: 'b', logicId: 1 },
          ],
        }),
        'logicId',
      ],
      [
        exitSurvey({ questions: [{ type: 'Checkbox', label: 'a', entries: [{ value: 'x', showLogicIds: [9] }] }] }),
        'showLogicIds',
      ],
      [exitSurvey({ questions: [{ type: 'Text Field', label: 'a', validationType: 'phone' }] }), 'validationType'],
    ]
    for (const [body, field] of cases) {
      const response = await api.post('/le-surveys/surveys', body)
      expect(response.statusCode, field).toBe(400)
      expect(response.json().error.message, field).toContain(field)
    }
  })

  it('updates with POST + override, soft-deletes, and answers 404 and 400 as documented', async () => {
    const survey = (await api.post('/le-surveys/surveys', exitSurvey({ type: 'offline' }))).json<SurveyDocument>()
    const path = `/le-surveys/surveys/${survey.id}`
    const override = await api.post(path, exitSurvey({ type: 'offline', header: 'Hi' }), {
      'x-http-method-override': 'PUT',
    })
    expect(override.json()).toMatchObject({ header: 'Hi' })
    expect((await api.put(path, exitSurvey({ id: survey.id + 1 }))).statusCode).toBe(400)
    const deleted = await api.del(path)
    expect(deleted.json()).toMatchObject({ deleted: true, isDefault: false })
    expect(idsOf(await api.get('/le-surveys/surveys'))).not.toContain(survey.id)
    expect(idsOf(await api.get('/le-surveys/surveys?include_deleted=true'))).toContain(survey.id)
    expect((await api.put(path, exitSurvey())).statusCode).toBe(404)
    expect((await api.get('/le-surveys/surveys/987654321')).statusCode).toBe(404)
  })

  it('round-trips an entry skillId (runWithRules, a Parley extension) and rejects a skill of another account', async () => {
    const skill = (await api.post('/le-users/skills', { name: 'Cats' })).json<{ id: number }>()
    const body = exitSurvey({
      type: 'preChat',
      questions: [
        {
          type: 'Dropdown Box',
          label: 'With whom?',
          entries: [{ value: 'CATS', skillId: skill.id }, { value: 'DOGS' }],
        },
      ],
    })
    const created = await api.post('/le-surveys/surveys', body)
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json<SurveyDocument>().id
    expect((await api.get(`/le-surveys/surveys/${id}`)).json().questions[0].entries).toEqual([
      { value: 'CATS', displayValue: 'CATS', checked: false, showLogicIds: [], skillId: skill.id },
      { value: 'DOGS', displayValue: 'DOGS', checked: false, showLogicIds: [] },
    ])
    const other = await adminConfigApi(context)
    const rejected = await other.api.post('/le-surveys/surveys', body)
    expect(rejected.statusCode).toBe(400)
    expect(rejected.json().error.message).toContain('questions.entries.skillId')
  })
})
