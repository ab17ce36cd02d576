import { describe, expect, it } from 'vitest'
import type { Survey, SurveyQuestion } from '../account-config/account-config.types.ts'
import { isParleyError } from '../errors.ts'
import { answeredSkillId, shownQuestionIds, validateSurveyAnswers } from './survey-answers.ts'

const question = (overrides: Partial<SurveyQuestion> & Pick<SurveyQuestion, 'id' | 'logicId' | 'type'>) => ({
  order: overrides.logicId - 1,
  label: `Question ${overrides.id}`,
  mandatory: false,
  validationType: 'alpha_numeric' as const,
  entries: [],
  ...overrides,
})

const entry = (value: string, showLogicIds: number[] = [], skillId?: number) => ({
  value,
  displayValue: value.toUpperCase(),
  checked: false,
  showLogicIds,
  ...(skillId === undefined ? {} : { skillId }),
})

// Q1 (dropdown) reveals Q2 on "CATS"; Q2 (mandatory text) reveals nothing; Q3 checkbox; Q4 numeric; Q5 email.
const survey: Survey = {
  id: 40216,
  accountId: 'a',
  name: 'Pre-chat',
  type: 'preChat',
  header: '',
  skillIds: [],
  isDefault: true,
  deleted: false,
  updatedAt: 0,
  questions: [
    question({
      id: 11,
      logicId: 1,
      type: 'Dropdown Box',
      mandatory: true,
      label: 'With whom?',
      entries: [entry('CATS', [2], 7), entry('DOGS', [], 8)],
    }),
    question({ id: 12, logicId: 2, type: 'Text Field', mandatory: true, label: 'Cat name?' }),
    question({ id: 13, logicId: 3, type: 'Checkbox', entries: [entry('1'), entry('2'), entry('3')] }),
    question({ id: 14, logicId: 4, type: 'Text Field', validationType: 'numeric' }),
    question({ id: 15, logicId: 5, type: 'Text Area', validationType: 'email' }),
    question({ id: 16, logicId: 6, type: 'Radio Button', entries: [entry('yes'), entry('no')] }),
  ],
}

/** The VALIDATION_FAILED message of a rejected submission. */
function rejection(answers: Array<{ id: number; answers: string[] }>): string {
  try {
    validateSurveyAnswers(survey, answers)
  } catch (error) {
    if (isParleyError(error) && error.code === 'VALIDATION_FAILED') return error.message
    throw error
  }
  throw new Error('accepted')
}

describe('shownQuestionIds (show-logic)', () => {
  it('shows questions no entry reveals, and revealed ones only when a shown answer picks the entry', () => {
    expect([...shownQuestionIds(survey, [])].sort()).toEqual([11, 13, 14, 15, 16])
    expect(shownQuestionIds(survey, [{ id: 11, answers: ['CATS'] }]).has(12)).toBe(true)
    expect(shownQuestionIds(survey, [{ id: 11, answers: ['DOGS'] }]).has(12)).toBe(false)
  })

  it('follows chains: a revealed question can reveal another', () => {
    const chained: Survey = {
      ...survey,
      questions: [
        question({ id: 1, logicId: 1, type: 'Radio Button', entries: [entry('a', [2])] }),
        question({ id: 2, logicId: 2, type: 'Radio Button', entries: [entry('b', [3])] }),
        question({ id: 3, logicId: 3, type: 'Text Field' }),
      ],
    }
    expect([...shownQuestionIds(chained, [{ id: 2, answers: ['b'] }])]).toEqual([1])
    expect([
      ...shownQuestionIds(chained, [
        { id: 1, answers: ['a'] },
        { id: 2, answers: ['b'] },
      ]),
    ]).toEqual([1, 2, 3])
  })
})

describe('validateSurveyAnswers', () => {
  it('accepts complete valid answers, several Checkbox answers and any alpha_numeric text', () => {
    expect(() =>
      validateSurveyAnswers(survey, [
        { id: 11, answers: ['CATS'] },
        { id: 12, answers: ['Tom & Jerry <3'] },
        { id: 13, answers: ['1', '3'] },
        { id: 14, answers: ['42.5'] },
        { id: 15, answers: ['natalie@example.com'] },
        { id: 16, answers: ['no'] },
      ]),
    ).not.toThrow()
  })

  it('rejects a missing mandatory answer, naming the question by id and label', () => {
    expect(rejection([])).toBe('Survey question 11 "With whom?": an answer is mandatory')
    expect(rejection([{ id: 11, answers: ['  '] }])).toBe('Survey question 11 "With whom?": an answer is mandatory')
  })

  it('requires a mandatory question only when show-logic shows it', () => {
    expect(() => validateSurveyAnswers(survey, [{ id: 11, answers: ['DOGS'] }])).not.toThrow()
    expect(rejection([{ id: 11, answers: ['CATS'] }])).toBe('Survey question 12 "Cat name?": an answer is mandatory')
  })

  it('rejects wrong types for numeric and email questions', () => {
    const base = [{ id: 11, answers: ['DOGS'] }]
    expect(rejection([...base, { id: 14, answers: ['twelve'] }])).toBe(
      'Survey question 14 "Question 14": the answer must be a number',
    )
    expect(rejection([...base, { id: 15, answers: ['not-an-email'] }])).toBe(
      'Survey question 15 "Question 15": the answer must be an email address',
    )
    expect(() => validateSurveyAnswers(survey, [...base, { id: 14, answers: ['-7'] }])).not.toThrow()
  })

  it('rejects an unknown question id and an unknown entry value', () => {
    expect(
      rejection([
        { id: 11, answers: ['DOGS'] },
        { id: 99, answers: ['x'] },
      ]),
    ).toBe('Survey question 99: not a question of survey 40216')
    expect(rejection([{ id: 11, answers: ['BIRDS'] }])).toBe(
      'Survey question 11 "With whom?": "BIRDS" is not one of its entries',
    )
  })

  it('rejects several answers to single-choice and free-text questions', () => {
    expect(rejection([{ id: 11, answers: ['CATS', 'DOGS'] }])).toBe(
      'Survey question 11 "With whom?": takes one answer, got 2',
    )
    expect(
      rejection([
        { id: 11, answers: ['DOGS'] },
        { id: 16, answers: ['yes', 'no'] },
      ]),
    ).toBe('Survey question 16 "Question 16": takes one answer, got 2')
  })

  it('treats "Radio Button (side by side)" as a single-choice question with entries', () => {
    const sideBySide: Survey = {
      ...survey,
      questions: [
        question({ id: 21, logicId: 1, type: 'Radio Button (side by side)', entries: [entry('1'), entry('2', [2])] }),
        question({ id: 22, logicId: 2, type: 'Text Field', mandatory: true }),
      ],
    }
    const rejected = (answers: Array<{ id: number; answers: string[] }>): string => {
      try {
        validateSurveyAnswers(sideBySide, answers)
      } catch (error) {
        if (isParleyError(error)) return error.message
        throw error
      }
      throw new Error('accepted')
    }
    expect(() => validateSurveyAnswers(sideBySide, [{ id: 21, answers: ['1'] }])).not.toThrow()
    expect(rejected([{ id: 21, answers: ['3'] }])).toBe(
      'Survey question 21 "Question 21": "3" is not one of its entries',
    )
    expect(rejected([{ id: 21, answers: ['1', '2'] }])).toBe(
      'Survey question 21 "Question 21": takes one answer, got 2',
    )
    // Its entries drive show-logic like any other selection question.
    expect(rejected([{ id: 21, answers: ['2'] }])).toBe('Survey question 22 "Question 22": an answer is mandatory')
  })
})

describe('answeredSkillId (runWithRules)', () => {
  it('is the skill of the first picked entry that has one', () => {
    expect(answeredSkillId(survey, [{ id: 11, answers: ['DOGS'] }])).toBe(8)
    expect(answeredSkillId(survey, [{ id: 16, answers: ['yes'] }])).toBeUndefined()
    expect(answeredSkillId(survey, [])).toBeUndefined()
  })
})
