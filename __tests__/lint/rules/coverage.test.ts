// Every rule the linter knows must be triggered by at least one case: a rule added without a
// test fails here. Each case is linted again and only the rules it really reports count.
import { expect, test } from '@jest/globals'
import { ALL_RULES } from '../../../src/lint/rules/registry.js'
import { CLUSTER_CASES } from './cluster.cases.js'
import { DELETION_CASES } from './deletion.cases.js'
import { INPUT_CASES } from './input.cases.js'
import { RAYCLUSTER_CASES, RAYCRONJOB_CASES, RAYSERVICE_CASES } from './kinds.cases.js'
import { METADATA_CASES, SPEC_CASES } from './spec.cases.js'
import { STUCK_CASES } from './stuck.cases.js'
import { lintFileBytes, lintYaml } from './testing.js'
import type { RuleCase } from './testing.js'

const ALL_CASES: RuleCase[] = [...METADATA_CASES, ...SPEC_CASES, ...DELETION_CASES, ...CLUSTER_CASES, ...STUCK_CASES, ...INPUT_CASES, ...RAYCLUSTER_CASES, ...RAYSERVICE_CASES, ...RAYCRONJOB_CASES]

/** Rules no manifest can trigger, each tested directly where the reason is explained. */
const UNREACHABLE_BY_MANIFEST: Record<string, string> = {
  'worker-replicas-unset': 'C6: the CRD defaults minReplicas and maxReplicas; cluster.test.ts runs the check on the undefaulted spec as KubeRay does'
}

function triggeredRules(): Set<string> {
  const triggered = new Set<string>()
  for (const c of ALL_CASES) {
    const { findings } = c.bytes ? lintFileBytes(c.bytes(), c) : lintYaml(c.yaml, c)
    const reported = new Set(findings.map((f) => f.ruleId))
    for (const expected of c.findings) if (reported.has(expected.ruleId)) triggered.add(expected.ruleId)
  }
  return triggered
}

test('every rule is triggered by at least one test case', () => {
  const triggered = triggeredRules()
  const untested = ALL_RULES.map((r) => r.id).filter((id) => !triggered.has(id) && !(id in UNREACHABLE_BY_MANIFEST))
  expect(untested).toEqual([])
})

test('every KubeRay and stuck rule has a near miss: a case close to it that must not trip it', () => {
  const nearMissed = new Set(ALL_CASES.flatMap((c) => c.absent ?? []))
  const rules = ALL_RULES.filter((r) => (r.source === 'kuberay' || r.source === 'stuck') && !(r.id in UNREACHABLE_BY_MANIFEST))
  expect(rules.map((r) => r.id).filter((id) => !nearMissed.has(id))).toEqual([])
})

test('the rules no manifest can trigger are still rules the linter knows', () => {
  const known = new Set(ALL_RULES.map((r) => r.id))
  expect(Object.keys(UNREACHABLE_BY_MANIFEST).filter((id) => !known.has(id))).toEqual([])
})
