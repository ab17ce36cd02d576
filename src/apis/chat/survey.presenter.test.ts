import { describe, expect, it } from 'vitest'
import type { Survey } from '../../core/account-config/account-config.types.ts'
import { renderJson, renderXml } from '../../http/wire/codec.ts'
import { presentSurvey } from './survey.presenter.ts'

const survey: Survey = {
  id: 9001,
  accountId: 'a',
  name: 'Wrap-up',
  type: 'agent',
  header: 'Tell us <more>',
  skillIds: [],
  isDefault: true,
  deleted: false,
  updatedAt: 0,
  questions: [
    {
      id: 2,
      logicId: 2,
      order: 1,
      type: 'Text Area',
      label: 'Notes',
      mandatory: false,
      validationType: 'alpha_numeric',
      entries: [],
    },
    {
      id: 1,
      logicId: 1,
      order: 0,
      type: 'Radio Button (side by side)',
      label: 'Resolved?',
      mandatory: true,
      validationType: 'alpha_numeric',
      entries: [{ value: 'yes', displayValue: 'Yes', checked: true, showLogicIds: [2, 3] }],
    },
  ],
}

describe('presentSurvey (chat-api.md §14)', () => {
  it('lists questions by order; one entry is a bare object; several showLogicIds are an array', () => {
    const { document, render } = presentSurvey(survey, { style: 'typed', lastKnownValues: new Map([[2, 'hi']]) })
    expect(JSON.parse(renderJson(document, render))).toEqual({
      survey: {
        id: 9001,
        title: '',
        header: 'Tell us <more>',
        questions: {
          question: [
            {
              type: 'Radio Button (side by side)',
              validationType: 'alpha_numeric',
              id: 1,
              logicId: 1,
              order: 0,
              mandatory: true,
              label: 'Resolved?',
              entry: { checked: true, value: 'yes', displayValue: 'Yes', logic: { showLogicId: [2, 3] } },
            },
            {
              type: 'Text Area',
              validationType: 'alpha_numeric',
              id: 2,
              logicId: 2,
              order: 1,
              mandatory: false,
              label: 'Notes',
              lastKnownValue: 'hi',
            },
          ],
        },
      },
    })
  })

  it('renders strings in the string style, and escapes XML text', () => {
    const { document, render } = presentSurvey(survey, { style: 'strings' })
    const json = JSON.parse(renderJson(document, render)) as {
      survey: { id: unknown; questions: { question: unknown[] } }
    }
    expect(json.survey.id).toBe('9001')
    expect(json.survey.questions.question[0]).toMatchObject({
      mandatory: 'true',
      order: '0',
      logicId: '1',
      id: '1',
      entry: { checked: 'true', logic: { showLogicId: ['2', '3'] } },
    })
    expect(renderXml(document)).toContain(
      '<header>Tell us &lt;more&gt;</header>' +
        '<questions><question><mandatory>true</mandatory><validationType>alpha_numeric</validationType>' +
        '<order>0</order><logicId>1</logicId><id>1</id><type>Radio Button (side by side)</type><label>Resolved?</label>' +
        '<entry><checked>true</checked><value>yes</value><displayValue>Yes</displayValue>' +
        '<logic><showLogicId>2</showLogicId><showLogicId>3</showLogicId></logic></entry></question>',
    )
  })
})
