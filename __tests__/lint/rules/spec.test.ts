// ValidateRayJobMetadata and ValidateRayJobSpec: the cases (with KubeRay's own unit-test names)
// are in spec.cases.ts so that coverage.test.ts can count them.
import { describe } from '@jest/globals'
import { METADATA_CASES, SPEC_CASES } from './spec.cases.js'
import { runRuleCases } from './testing.js'

describe('ValidateRayJobMetadata', () => runRuleCases(METADATA_CASES))
describe('ValidateRayJobSpec', () => runRuleCases(SPEC_CASES))
