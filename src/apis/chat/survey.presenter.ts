import {
  SELECTION_QUESTION_TYPES,
  type Survey,
  type SurveyEntry,
} from '../../core/account-config/account-config.types.ts'
import type { WireNode, WireValue } from '../../http/wire/codec.ts'
import { COLLAPSE, type Presented } from './chat-links.ts'

/**
 * `strings`: every scalar a string (pre-chat and offline surveys, V4/V5); `typed`: numbers and
 * booleans as such (exit and agent surveys, V17/A23), as LivePerson's examples of each show.
 */
export type SurveyValueStyle = 'strings' | 'typed'

export interface SurveyPresentOptions {
  style: SurveyValueStyle
  /** `lastKnownValue` per question id (Text Field / Text Area only); missing ones are `""`. */
  lastKnownValues?: ReadonlyMap<number, string>
}

const TEXT_TYPES = new Set(['Text Field', 'Text Area'])

function entryNode(entry: SurveyEntry, scalar: (value: number | boolean) => WireValue): WireNode {
  const showLogicIds = entry.showLogicIds.map(scalar)
  return {
    checked: scalar(entry.checked),
    value: entry.value,
    // Only when it says something the value does not (the pre-chat example has none).
    displayValue: entry.displayValue === entry.value ? undefined : entry.displayValue,
    // One id is a bare value, several an array (chat-api.md §14); none: no `logic`.
    logic: showLogicIds.length === 0 ? undefined : { showLogicId: showLogicIds },
  }
}

/**
 * A survey in chat-api.md §14's format (V4, V5, V17, A23): questions by `order`, key order as in
 * LivePerson's example of each style, `entry` for selection types, `lastKnownValue` for text types.
 * A single question or entry renders as a bare object (wire-conventions.md §7).
 */
export function presentSurvey(survey: Survey, options: SurveyPresentOptions): Presented {
  const typed = options.style === 'typed'
  const scalar = (value: number | boolean): WireValue => (typed ? value : String(value))
  const questions = [...survey.questions]
    .sort((a, b) => a.order - b.order || a.id - b.id)
    .map((question): WireNode => {
      const selection = SELECTION_QUESTION_TYPES.includes(question.type)
      const tail: WireNode = {
        label: question.label,
        entry: selection ? question.entries.map((entry) => entryNode(entry, scalar)) : undefined,
        lastKnownValue: TEXT_TYPES.has(question.type) ? (options.lastKnownValues?.get(question.id) ?? '') : undefined,
      }
      return typed
        ? {
            type: question.type,
            validationType: question.validationType,
            id: question.id,
            logicId: question.logicId,
            order: question.order,
            mandatory: question.mandatory,
            ...tail,
          }
        : {
            mandatory: scalar(question.mandatory),
            validationType: question.validationType,
            order: scalar(question.order),
            logicId: scalar(question.logicId),
            id: scalar(question.id),
            type: question.type,
            ...tail,
          }
    })
  return {
    document: {
      survey: {
        id: scalar(survey.id),
        title: '',
        header: survey.header,
        questions: { question: questions },
      },
    },
    render: COLLAPSE,
  }
}
