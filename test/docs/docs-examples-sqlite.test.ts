import { describeDocExamples } from './docs-runner.ts'

describeDocExamples('sqlite')
