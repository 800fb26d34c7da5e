import { describe, expect, it } from '@jest/globals'
import { ALL_RULES, KIND_PLANS, KUBERAY_RULES, STUCK_RULES, ruleProblems } from '../../../src/lint/rules/registry.js'
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

  it("lists a RayJob's KubeRay checks in the order KubeRay runs them, then its stuck-job checks, then the other kinds' rules", () => {
    expect(KUBERAY_RULES.slice(0, 3).map((r) => r.id)).toEqual(['name-too-long', 'name-not-dns1035', 'suspend-requires-shutdown'])
    expect(KUBERAY_RULES.at(-1)?.id).toBe('deletion-policy-none-with-shutdown')
    expect(ALL_RULES.indexOf(STUCK_RULES.at(-1)!)).toBeLessThan(ALL_RULES.findIndex((r) => r.id === 'raycluster-name-too-long'))
  })

  it("gives each kind KubeRay's own order: a RayService's metadata, then its spec around the cluster spec", () => {
    const ids = KIND_PLANS.RayService.kuberay.flatMap((step) => step.rules.map((r) => r.id))
    expect(ids.slice(0, 4)).toEqual(['rayservice-name-too-long', 'rayservice-name-not-dns1035', 'rayservice-initializing-timeout-invalid', 'rayservice-k8s-token-auth'])
    expect(ids.indexOf('head-no-containers')).toBeLessThan(ids.indexOf('rayservice-head-service-name'))
    const cron = KIND_PLANS.RayCronJob.kuberay.flatMap((step) => step.rules.map((r) => r.id))
    expect(cron).not.toContain('name-too-long')
    expect(cron.indexOf('raycronjob-time-zone-invalid')).toBeLessThan(cron.indexOf('suspend-requires-shutdown'))
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
