// The rules of RayCluster, RayService and RayCronJob: the cases are in kinds.cases.ts so that
// coverage.test.ts can count them.
import { describe, expect, test } from '@jest/globals'
import { expectServeConfigProblem, RAYCLUSTER_CASES, RAYCRONJOB_CASES, RAYSERVICE_CASES, rayService } from './kinds.cases.js'
import { lintYaml, runRuleCases } from './testing.js'

describe('RayCluster', () => runRuleCases(RAYCLUSTER_CASES))
describe('RayService', () => runRuleCases(RAYSERVICE_CASES.filter((c) => !c.name.includes('is not YAML'))))
describe('RayCronJob', () => runRuleCases(RAYCRONJOB_CASES))

test('RayService: a serveConfigV2 that is not YAML names the YAML error', () => {
  const { findings } = lintYaml(rayService('serveConfigV2: "applications: [unclosed"'))
  const finding = findings.find((f) => f.ruleId === 'serve-config-not-yaml')
  expect(finding?.message.startsWith(expectServeConfigProblem)).toBe(true)
})
