import type { HttpClient } from './http.ts'
import { configBase, readRevised, writeRevised, type Revised } from './config-revision.ts'

/** Surveys of the account configuration API (`le-surveys`, docs/account-config.md, docs/surveys.md). */

export type SurveyType = 'preChat' | 'exit' | 'offline' | 'agent'
export const SURVEY_TYPES: ReadonlyArray<[SurveyType, string]> = [
  ['preChat', 'Pre-chat'],
  ['exit', 'Exit'],
  ['offline', 'Offline'],
  ['agent', 'Agent'],
]

export type QuestionType =
  'Dropdown Box' | 'Checkbox' | 'Radio Button (side by side)' | 'Radio Button' | 'Text Field' | 'Text Area'
export const QUESTION_TYPES: readonly QuestionType[] = [
  'Text Field',
  'Text Area',
  'Dropdown Box',
  'Checkbox',
  'Radio Button',
  'Radio Button (side by side)',
]
/** Types whose answers are chosen from entries. */
export const isSelection = (type: QuestionType): boolean => type !== 'Text Field' && type !== 'Text Area'

export type ValidationType = 'alpha_numeric' | 'numeric' | 'email'
export const VALIDATION_TYPES: ReadonlyArray<[ValidationType, string]> = [
  ['alpha_numeric', 'Any text'],
  ['numeric', 'A number'],
  ['email', 'An email address'],
]

export interface SurveyEntry {
  value: string
  displayValue: string
  checked: boolean
  /** Logic ids of the questions this entry reveals (show-logic). */
  showLogicIds: number[]
  /** Parley extension: the skill a `runWithRules` chat is routed to when this entry is picked. */
  skillId?: number
}

export interface SurveyQuestion {
  id?: number
  logicId: number
  order: number
  type: QuestionType
  label: string
  mandatory: boolean
  validationType: ValidationType
  entries: SurveyEntry[]
}

export interface Survey {
  id: number
  name: string
  type: SurveyType
  header: string
  skillIds: number[]
  isDefault: boolean
  deleted: boolean
  questions: SurveyQuestion[]
}

export type SurveyBody = Omit<Survey, 'id' | 'deleted'>

/** Survey fields a PUT sends back: the stored survey without its read-only fields. */
export function bodyOf(survey: Survey): SurveyBody {
  const { name, type, header, skillIds, isDefault, questions } = survey
  return { name, type, header, skillIds, isDefault, questions }
}

export function surveysApi(http: HttpClient, accountId: string) {
  const base = `${configBase(accountId)}/le-surveys/surveys`
  return {
    list: () => readRevised<Survey[]>(http, base),
    get: (id: number) => readRevised<Survey>(http, `${base}/${id}`),
    create: (body: SurveyBody, revision: number): Promise<Revised<Survey>> =>
      writeRevised(http, 'POST', base, revision, body),
    update: (id: number, body: SurveyBody, revision: number): Promise<Revised<Survey>> =>
      writeRevised(http, 'PUT', `${base}/${id}`, revision, body),
    remove: (id: number, revision: number): Promise<Revised<unknown>> =>
      writeRevised(http, 'DELETE', `${base}/${id}`, revision),
  }
}

export type SurveysApi = ReturnType<typeof surveysApi>
