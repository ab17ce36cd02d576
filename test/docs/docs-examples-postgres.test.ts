import { describe, it } from 'vitest'
import { dialectsUnderTest } from '../support/dialects.ts'
import { describeDocExamples } from './docs-runner.ts'

if (dialectsUnderTest().includes('postgres')) describeDocExamples('postgres')
else describe('documentation examples [postgres]', () => it.skip('needs PARLEY_TEST_POSTGRES_URL', () => {}))
