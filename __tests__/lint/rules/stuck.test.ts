// Mistakes KubeRay accepts but that leave a RayJob stuck: the cases are in stuck.cases.ts so that
// coverage.test.ts can count them.
import { describe } from '@jest/globals'
import { STUCK_CASES } from './stuck.cases.js'
import { runRuleCases } from './testing.js'

describe('mistakes that leave a RayJob stuck', () => runRuleCases(STUCK_CASES))
