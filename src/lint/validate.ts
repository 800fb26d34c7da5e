// A kind's plan (rules/registry.ts, KIND_PLANS) run over one defaulted object: which rules it
// breaks, where, in whose words, and which one KubeRay itself reports. Pure.
import type { Obj, Path } from '../manifest/model.js'
import type { KindPlan, ValidationStep } from './rules/registry.js'
import type { Scope } from './rules/scope.js'
import type { JobView, MessagePrefix, Params, RuleDefinition, RuleInfo, Violation } from './rules/types.js'
import { makeView } from './rules/types.js'
import { atLeast } from './versions.js'
import type { FeatureGates, KubeRayVersion } from './versions.js'

/** One broken rule, placed in the document and worded as KubeRay (or the linter) words it. */
export interface RuleHit {
  rule: RuleDefinition & RuleInfo
  path: Path
  part: 'key' | 'value'
  message: string
  /** The one error KubeRay reports (it stops at its first failing check). */
  reported?: boolean
}

export interface Judged {
  /** The object after the API server's defaulting. */
  object: Obj
  /** The object as written. */
  written: Obj
  version: KubeRayVersion
  gates: FeatureGates
}

/** KubeRay's checks of the kind, marking the one KubeRay reports. */
export function kuberayHits(plan: KindPlan, judged: Judged): RuleHit[] {
  const hits = runSteps(plan.kuberay, judged)
  markWhatKubeRayReports(hits)
  return hits.map(({ hit }) => hit)
}

/** The stuck rules of the kind: mistakes KubeRay accepts that leave the object stuck. */
export function stuckHits(plan: KindPlan, judged: Judged): RuleHit[] {
  return runSteps(plan.stuck, judged).map(({ hit }) => hit)
}

interface Ordered {
  hit: RuleHit
  /** Position in KubeRay's evaluation order: step, then rule (or worker group, then rule). */
  order: [number, number, number, number]
}

function runSteps(steps: readonly ValidationStep[], judged: Judged): Ordered[] {
  const out: Ordered[] = []
  // Most steps of a kind look at the same part of the object: one view for each part.
  const views = new Map<Scope, JobView>()
  const viewFor = (scope: Scope): JobView => {
    let view = views.get(scope)
    if (!view) views.set(scope, (view = makeView(scope.view(judged.object), judged.version, judged.gates, scope.view(judged.written))))
    return view
  }
  steps.forEach((step, stepIndex) => {
    if (!step.rules.some((rule) => appliesFrom(rule, step, judged.version))) return
    const view = viewFor(step.scope)
    const firstLoopRule = step.rules.findIndex((r) => r.workerLoop)
    step.rules.forEach((rule, index) => {
      if (!appliesFrom(rule, step, judged.version) || (rule.when && !rule.when(view))) return
      for (const violation of violationsOf(rule.check(view))) {
        // KubeRay runs all per-group checks for group 0, then group 1, ...: order those by group first.
        const order: Ordered['order'] = rule.workerLoop ? [stepIndex, firstLoopRule, violation.loopIndex ?? 0, index] : [stepIndex, index, 0, 0]
        const message = (step.wrap ?? '') + renderMessage(rule, violation.params, judged.version, step.prefix)
        out.push({ hit: { rule, path: step.scope.place(violation.path), part: violation.part ?? 'key', message }, order })
      }
    })
  })
  return out
}

const violationsOf = (result: Violation | Violation[] | undefined): Violation[] => (result === undefined ? [] : Array.isArray(result) ? result : [result])

function appliesFrom(rule: RuleDefinition, step: ValidationStep, version: KubeRayVersion): boolean {
  if (!atLeastRemembered(version, rule.since)) return false
  if (step.from && !atLeastRemembered(version, step.from)) return false
  return !(rule.until && atLeastRemembered(version, rule.until))
}

const atLeastAnswers = new Map<string, Map<string, boolean>>()
/** atLeast, remembered: every rule asks it for every document, and there are only a few versions. */
function atLeastRemembered(version: string, since: string): boolean {
  let answers = atLeastAnswers.get(version)
  if (!answers) atLeastAnswers.set(version, (answers = new Map()))
  let answer = answers.get(since)
  if (answer === undefined) answers.set(since, (answer = atLeast(version, since)))
  return answer
}

/** KubeRay stops at its first failing check (the deletionRules checks are joined into one error): mark that one. */
function markWhatKubeRayReports(hits: Ordered[]): void {
  if (hits.length === 0) return
  const cmp = (a: Ordered, b: Ordered) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2] || a.order[3] - b.order[3]
  const first = [...hits].sort(cmp)[0]
  for (const { hit } of hits) {
    const joined = first.hit.rule.joinGroup !== undefined && hit.rule.joinGroup === first.hit.rule.joinGroup
    hit.reported = hit === first.hit || joined
  }
}

/** KubeRay's prefixes, and the first release that adds each. */
const PREFIXES: Record<MessagePrefix, { text: string; since: KubeRayVersion }> = {
  metadata: { text: 'The RayJob metadata is invalid: ', since: '1.5.0' },
  spec: { text: 'The RayJob spec is invalid: ', since: '1.5.0' },
  'service-metadata': { text: 'The RayService metadata is invalid: ', since: '1.6.0' },
  'service-spec': { text: 'The RayService spec is invalid: ', since: '1.6.0' },
  none: { text: '', since: '1.1.0' }
}

/**
 * The message KubeRay (or the linter) gives for a violation, with KubeRay's prefix where that
 * release adds one; `prefix` replaces the rule's own (a cluster rule on a RayService's cluster spec).
 */
export function renderMessage(rule: RuleDefinition, params: Params | undefined, version: KubeRayVersion, prefix?: MessagePrefix): string {
  const template = typeof rule.message === 'function' ? rule.message(version) : rule.message
  const text = template.replace(/\{(\w+)\}/g, (whole, key: string) => (params && key in params ? String(params[key]) : whole))
  const wording = rule.source === 'kuberay' ? PREFIXES[prefix ?? rule.prefix ?? 'none'] : PREFIXES.none
  return (atLeast(version, wording.since) ? wording.text : '') + text
}
