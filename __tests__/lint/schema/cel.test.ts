// The CEL rules (x-kubernetes-validations) of the KubeRay CRDs shipped in data.js, evaluated by a
// real CEL implementation. Every rule of every release is in RULES below, with values on which it
// holds and values on which it fails (or is marked a transition rule): a CRD that brings a new rule
// fails the first test until the rule is added here, so no rule is ever skipped without a word.
import { describe, expect, it } from '@jest/globals'
import { compileRule, evaluateRule } from '../../../src/lint/schema/cel.js'
import data from '../../../src/lint/schema/data.js'
import type { SchemaNode } from '../../../src/lint/schema/types.js'
import { ENTRYPOINT, cluster, expectedFinding, keyAt, lintYaml, rayJob, visible, y } from '../rules/testing.js'
import type { ExpectedFinding, LintWith } from '../rules/testing.js'

type Expectation = 'transition' | { holds: unknown[]; fails: unknown[] }

const POLICY = { policy: 'DeleteCluster' }
const RULE = { policy: 'DeleteSelf', condition: { jobStatus: 'SUCCEEDED', ttlSeconds: 10 } }

/** Every rule of every shipped CRD. */
const RULES: Record<string, Expectation> = {
  "self in ['DeleteCluster', 'DeleteWorkers', 'DeleteSelf', 'DeleteNone']": {
    holds: ['DeleteCluster', 'DeleteWorkers', 'DeleteSelf', 'DeleteNone'],
    fails: ['DeleteAll', 'deletecluster', '']
  },
  "self in ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue']": {
    holds: ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue'],
    fails: ['argo-workflows', 'ray.io/kuberay-operator ', '']
  },
  'self == oldSelf': 'transition',
  '!((has(self.onSuccess) || has(self.onFailure)) && has(self.deletionRules))': {
    holds: [{ onSuccess: POLICY, onFailure: POLICY }, { deletionRules: [RULE] }, {}, { onSuccess: POLICY, deletionRules: null }],
    fails: [{ onSuccess: POLICY, deletionRules: [RULE] }, { onFailure: POLICY, deletionRules: [RULE] }, { onSuccess: POLICY, onFailure: POLICY, deletionRules: [RULE] }]
  },
  '((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))': {
    holds: [{ onSuccess: POLICY, onFailure: POLICY }, { deletionRules: [RULE] }, { onSuccess: POLICY, deletionRules: [RULE] }],
    // A null is pruned and an unknown field (the typo onSucess) dropped before the rules run.
    fails: [{}, { onSuccess: POLICY }, { onFailure: POLICY }, { onSuccess: POLICY, onFailure: null }, { onSucess: POLICY, onFailure: POLICY }]
  },
  '!(has(self.jobStatus) && has(self.jobDeploymentStatus))': {
    holds: [{ jobStatus: 'FAILED' }, { jobDeploymentStatus: 'Failed', ttlSeconds: 10 }, {}],
    fails: [{ jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' }, { jobStatus: 'SUCCEEDED', jobDeploymentStatus: 'Failed', ttlSeconds: 0 }]
  },
  'has(self.jobStatus) || has(self.jobDeploymentStatus)': {
    holds: [{ jobStatus: 'SUCCEEDED' }, { jobDeploymentStatus: 'Failed' }, { jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' }],
    fails: [{}, { ttlSeconds: 10 }, { jobStatus: null, ttlSeconds: 10 }]
  }
}

/** Where a rule sits: the release and API version of the CRD, the field, and the schema node that carries it. */
interface Site {
  release: string
  apiVersion: string
  field: string
  node: SchemaNode
  rule: string
}

/** Every rule of every served version of every release, found by walking each schema from its root. */
function shippedRules(): Site[] {
  const sites: Site[] = []
  for (const [release, versions] of Object.entries(data.releases)) {
    for (const [apiVersion, { root }] of Object.entries(versions)) {
      const visit = (index: number, field: string, depth: number): void => {
        const node = data.nodes[index]
        for (const [rule] of node.c ?? []) sites.push({ release, apiVersion, field, node, rule })
        if (depth > 64) return
        for (const [key, child] of Object.entries(node.p ?? {})) visit(child, field ? `${field}.${key}` : key, depth + 1)
        if (node.i !== undefined) visit(node.i, `${field}[]`, depth + 1)
        if (typeof node.a === 'number') visit(node.a, `${field}{}`, depth + 1)
      }
      visit(root, '', 0)
    }
  }
  return sites
}

const SITES = shippedRules()
const ALL_RULES = new Set(data.nodes.flatMap((node) => (node.c ?? []).map(([rule]) => rule)))
const nodeWith = (rule: string): SchemaNode => SITES.find((site) => site.rule === rule)!.node

describe('every CEL rule of every shipped CRD', () => {
  it('is in the table, and the table has no rule the CRDs lack', () => {
    expect(SITES.length).toBeGreaterThan(0)
    // Every rule of every node is reachable from a release's root (so the walk below sees them all).
    expect(new Set(SITES.map((site) => site.rule))).toEqual(ALL_RULES)
    expect([...ALL_RULES].sort()).toEqual(Object.keys(RULES).sort())
  })

  it.each([...ALL_RULES])('compiles: %s', (rule) => {
    const compiled = compileRule(rule)
    expect(compiled).toMatchObject({ ok: true, transition: RULES[rule] === 'transition' })
  })

  it.each(SITES.map((site) => [`${site.release} ${site.apiVersion} ${site.field}: ${site.rule}`, site] as const))('%s', (_name, site) => {
    const expectation = RULES[site.rule]
    if (expectation === undefined) throw new Error(`no values for the rule ${site.rule}: add it to RULES`)
    if (expectation === 'transition') {
      expect(evaluateRule(site.rule, 'ray.io/kuberay-operator', site.node)).toEqual({ kind: 'transition' })
      return
    }
    expect(expectation.holds.length).toBeGreaterThan(0)
    expect(expectation.fails.length).toBeGreaterThan(0)
    for (const value of expectation.holds) expect({ value, result: evaluateRule(site.rule, value, site.node) }).toEqual({ value, result: { kind: 'true' } })
    for (const value of expectation.fails) expect({ value, result: evaluateRule(site.rule, value, site.node) }).toEqual({ value, result: { kind: 'false' } })
  })

  it('a transition rule compiles to a program that runs when oldSelf is given (on an update)', () => {
    for (const rule of Object.keys(RULES).filter((r) => RULES[r] === 'transition')) {
      const compiled = compileRule(rule)
      if (!compiled.ok) throw new Error(compiled.reason)
      expect(compiled.program({ self: 'redis', oldSelf: 'redis' })).toBe(true)
      expect(compiled.program({ self: 'redis', oldSelf: 'rocksdb' })).toBe(false)
    }
  })
})

describe('evaluateRule', () => {
  const condition = nodeWith('has(self.jobStatus) || has(self.jobDeploymentStatus)')
  const strategy = nodeWith('((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))')

  it('compiles a rule once', () => {
    expect(compileRule('has(self.a)')).toBe(compileRule('has(self.a)'))
  })

  it('a rule that does not compile is not evaluated, with the reason', () => {
    for (const rule of ['isURL(self)', 'self ==', "self in ['a', 1]", '1 + 1']) {
      expect(evaluateRule(rule, 'x')).toMatchObject({ kind: 'not-evaluated', stage: 'compile', reason: expect.any(String) })
    }
  })

  it('a runtime error or a result that is not a bool is not evaluated, with the reason', () => {
    expect(evaluateRule('self.a.b == 1', { a: 's' })).toMatchObject({ kind: 'not-evaluated', stage: 'eval' })
    expect(evaluateRule('self', { a: 1 })).toMatchObject({ kind: 'not-evaluated', stage: 'eval' })
  })

  it('a value of the wrong type below the field is not judged (the type check reports it)', () => {
    // Without the schema, has(self.onFailure) is simply false.
    expect(evaluateRule('((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))', { onSuccess: 'DeleteCluster' })).toEqual({ kind: 'false' })
    expect(evaluateRule('((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))', { onSuccess: 'DeleteCluster' }, strategy)).toMatchObject({
      kind: 'not-evaluated',
      stage: 'eval'
    })
  })

  it('self is the value the API server hands to CEL: unknown fields and nulls pruned, integer fields as ints', () => {
    expect(evaluateRule('size(self) == 1', { jobStatus: 'FAILED', jobstatus: 'FAILED', jobDeploymentStatus: null }, condition)).toEqual({ kind: 'true' })
    expect(evaluateRule('size(self) == 1', { jobStatus: 'FAILED', jobstatus: 'FAILED' })).toEqual({ kind: 'false' })
    expect(evaluateRule('type(self.ttlSeconds) == int && self.ttlSeconds == 10', { ttlSeconds: 10 }, condition)).toEqual({ kind: 'true' })
  })

  it('any CEL: macros, size() and the string functions', () => {
    expect(evaluateRule("self.deletionRules.all(r, r.policy.startsWith('Delete')) && size(self.deletionRules) == 1", { deletionRules: [RULE] }, strategy)).toEqual({
      kind: 'true'
    })
    expect(evaluateRule('self.deletionRules.exists(r, r.condition.ttlSeconds > 10)', { deletionRules: [RULE] }, strategy)).toEqual({ kind: 'false' })
  })
})

describe('the CEL rules through the lint, with line and column', () => {
  const celFindings = (yaml: string, options: LintWith = {}) => lintYaml(yaml, options).findings.filter((f) => f.ruleId === 'schema-cel').map(visible)
  const expected = (yaml: string, ...findings: Omit<ExpectedFinding, 'ruleId'>[]) => findings.map((f) => expectedFinding(yaml, { ruleId: 'schema-cel', ...f }))
  const job = (extra: string, parts: Parameters<typeof cluster>[0] = {}) => rayJob(`${ENTRYPOINT}\n${extra}\n${cluster(parts)}`)

  it('deletionStrategy with onSuccess alone: both or deletionRules (KubeRay 1.5 and later)', () => {
    const yaml = job(y`
      deletionStrategy:
        onSuccess:
          policy: DeleteCluster
    `)
    const message = 'spec.deletionStrategy: Invalid value: "object": deletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)'
    expect(celFindings(yaml)).toEqual(expected(yaml, { message, at: keyAt('deletionStrategy') }))
    expect(celFindings(yaml, { version: '1.5.2' })).toEqual(expected(yaml, { message, at: keyAt('deletionStrategy') }))
  })

  it('a null onFailure is absent: the rule fails as if it were not written (line 7: apiVersion, kind, metadata, name, spec, entrypoint, deletionStrategy)', () => {
    const yaml = job(y`
      deletionStrategy:
        onSuccess:
          policy: DeleteCluster
        onFailure: null
    `)
    expect(celFindings(yaml).map((f) => [f.message, f.line, f.column])).toEqual([
      ['spec.deletionStrategy: Invalid value: "object": deletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)', 7, 3]
    ])
  })

  it('the second deletion rule with both conditions', () => {
    const yaml = job(y`
      deletionStrategy:
        deletionRules:
          - policy: DeleteWorkers
            condition:
              jobStatus: SUCCEEDED
          - policy: DeleteCluster
            condition:
              jobStatus: FAILED
              jobDeploymentStatus: Failed
    `)
    expect(celFindings(yaml)).toEqual(
      expected(yaml, {
        message: 'spec.deletionStrategy.deletionRules[1].condition: Invalid value: "object": JobStatus and JobDeploymentStatus cannot be used together within the same deletion condition.',
        at: keyAt('condition', 'DeleteCluster')
      })
    )
  })

  it('rayClusterSpec.managedBy outside the two managers; a valid one is no finding (its transition rule does not apply to a create)', () => {
    const bad = job('', { cluster: 'managedBy: argo-workflows' })
    expect(celFindings(bad)).toEqual(
      expected(bad, {
        message: "spec.rayClusterSpec.managedBy: Invalid value: \"string\": the managedBy field value must be either 'ray.io/kuberay-operator' or 'kueue.x-k8s.io/multikueue'",
        at: keyAt('managedBy')
      })
    )
    expect(celFindings(job('managedBy: kueue.x-k8s.io/multikueue', { cluster: 'managedBy: ray.io/kuberay-operator' }))).toEqual([])
  })

  it('deletionPolicy of KubeRay 1.3.2 outside its four values', () => {
    const yaml = job('deletionPolicy: DeleteAll')
    expect(celFindings(yaml, { version: '1.3.2', gates: { RayJobDeletionPolicy: true } })).toEqual(
      expected(yaml, {
        message: "spec.deletionPolicy: Invalid value: \"string\": the deletionPolicy field value must be either 'DeleteCluster', 'DeleteWorkers', 'DeleteSelf', or 'DeleteNone'",
        at: keyAt('deletionPolicy')
      })
    )
  })

  it('a release whose CRD has no rule on the field: no CEL finding', () => {
    const yaml = job(y`
      deletionStrategy:
        onSuccess:
          policy: DeleteCluster
    `)
    expect(celFindings(yaml, { version: '1.4.2' })).toEqual([])
  })

  it('a wrongly typed field under the rule: the type error, no CEL finding', () => {
    const yaml = job(y`
      deletionStrategy:
        onSuccess: DeleteCluster
    `)
    const findings = lintYaml(yaml).findings
    expect(findings.map((f) => f.ruleId)).toContain('schema-type')
    expect(findings.filter((f) => f.ruleId === 'schema-cel')).toEqual([])
  })
})
