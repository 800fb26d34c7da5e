import { describe, expect, it } from '@jest/globals'
import { ALL_RULES, KUBERAY_RULES, STUCK_RULES, ruleProblems } from '../../../src/lint/rules/registry.js'
import type { RuleDefinition } from '../../../src/lint/rules/types.js'

const sound: RuleDefinition = {
  id: 'worker-example',
  source: 'kuberay',
  since: '1.4.0',
  severity: 'error',
  title: 'an example',
  message: 'worker group {g} is wrong',
  params: ['g'],
  hint: 'Fix it.',
  check: () => undefined
}

describe('the rule registry', () => {
  it('accepts a sound rule', () => {
    expect(ruleProblems(sound)).toEqual([])
  })

  it('refuses what would reach a user broken', () => {
    expect(ruleProblems({ ...sound, params: [] })).toEqual(['its message uses {g} but params does not name them'])
    expect(ruleProblems({ ...sound, params: ['g', 'n'] })).toEqual(['params names n, which its message does not use'])
    expect(ruleProblems({ ...sound, until: '1.4.0' })).toEqual(['since 1.4.0 is not before until 1.4.0'])
    expect(ruleProblems({ ...sound, since: '1.4.9' })).toEqual(['since 1.4.9 is not a KubeRay release the lint knows'])
    expect(ruleProblems({ ...sound, id: 'Worker_Example' })).toEqual(['its id is not lower-case words joined by hyphens'])
    expect(ruleProblems({ ...sound, message: (v) => (v === '1.7.0' ? '{g} and {n}' : '{g}') })).toEqual(['its message uses {n} but params does not name them'])
  })

  it('lists KubeRay checks first in the order KubeRay runs them, then the stuck-job checks', () => {
    expect(KUBERAY_RULES.slice(0, 3).map((r) => r.id)).toEqual(['name-too-long', 'name-not-dns1035', 'suspend-requires-shutdown'])
    expect(KUBERAY_RULES.at(-1)?.id).toBe('deletion-policy-none-with-shutdown')
    expect(ALL_RULES.at(-1)).toBe(STUCK_RULES.at(-1))
  })

  it("points each KubeRay rule at KubeRay's source of the newest release that applies it, and no rule at a document outside this repository", () => {
    const byId = new Map(ALL_RULES.map((r) => [r.id, r]))
    expect(byId.get('name-too-long')?.reference).toEqual({
      text: 'KubeRay ValidateRayJobMetadata',
      url: 'https://github.com/ray-project/kuberay/blob/v1.7.0/ray-operator/controllers/ray/utils/validation.go'
    })
    expect(byId.get('deletion-policy-with-selector')?.reference.url).toContain('/blob/v1.4.2/')
    expect(byId.get('head-no-containers')?.reference.text).toBe('KubeRay ValidateRayClusterSpec')
    expect(byId.get('head-no-dashboard-port')?.reference).toEqual({ text: 'stuck job' })
    for (const r of ALL_RULES) expect(`${r.reference.text} ${r.reference.url ?? ''}`).not.toMatch(/§|\b[MSCDLR]\d+\b/)
  })
})
