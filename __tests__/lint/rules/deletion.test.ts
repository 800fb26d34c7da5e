// The deletion configuration (deletionStrategy since KubeRay 1.5.0, deletionPolicy in 1.3–1.4):
// the cases are in deletion.cases.ts so that coverage.test.ts can count them.
import { describe } from '@jest/globals'
import { DELETION_CASES } from './deletion.cases.js'
import { runRuleCases } from './testing.js'

describe('validateDeletionConfiguration', () => runRuleCases(DELETION_CASES))
