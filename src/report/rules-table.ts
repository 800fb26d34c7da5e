// The rules as Markdown tables, one per kind, for the README (kept true by __tests__/readme.test.ts). Pure.
import { KIND_PLANS } from '../lint/rules/registry.js'
import type { KindPlan } from '../lint/rules/registry.js'
import type { RuleInfo } from '../lint/rules/types.js'
import { compareVersions } from '../lint/versions.js'
import type { RayKind } from '../manifest/model.js'

const SOURCE: Record<RuleInfo['source'], string> = {
  kuberay: 'KubeRay',
  schema: 'CRD schema',
  stuck: 'stuck job',
  input: 'input'
}

const later = (a: string, b: string | undefined): string => (b && compareVersions(b, a) > 0 ? b : a)

/** One table row per rule; `since` replaces the rule's own first release where the kind checks it later. */
export function rulesTable(rules: readonly RuleInfo[], since: (rule: RuleInfo) => string = (r) => r.since): string {
  const rows = rules.map((r) => {
    const first = since(r)
    const versions = r.until ? `${first} – before ${r.until}` : `${first}+`
    const from = r.reference.url ? `[${r.reference.text}](${r.reference.url})` : SOURCE[r.source]
    return `| \`${r.id}\` | ${from} | ${versions} | ${r.severity} | ${r.title.replace(/\|/g, '\\|')} |`
  })
  return ['| rule | from | KubeRay | severity | what |', '|---|---|---|---|---|', ...rows].join('\n')
}

/** A kind's rules in KubeRay's order, each with the first release that checks it on this kind. */
function kindRules(plan: KindPlan): { rules: RuleInfo[]; since: (rule: RuleInfo) => string } {
  const first = new Map<string, string>()
  const rules: RuleInfo[] = []
  for (const step of [...plan.kuberay, ...plan.stuck]) {
    for (const rule of step.rules) {
      if (first.has(rule.id)) continue
      first.set(rule.id, later(later(rule.since, step.from), plan.since))
      rules.push(rule)
    }
  }
  return { rules, since: (rule) => first.get(rule.id) ?? rule.since }
}

const OWN_PREFIX: Record<Exclude<RayKind, 'RayJob'>, string> = { RayCluster: 'raycluster-', RayService: 'rayservice-', RayCronJob: 'raycronjob-' }

/** What each kind borrows from the RayJob table, said once instead of repeating its rows. */
const BORROWED: Record<Exclude<RayKind, 'RayJob'>, string> = {
  RayCluster:
    "Its `spec` also gets the cluster rules of the RayJob table (from `head-no-containers` to `tls-managed-settings`) from KubeRay 1.3.0 or the rule's own release, without a prefix, and the stuck rules `worker-group-name-duplicate` and `worker-replicas-clamped`.",
  RayService:
    'Its `spec.rayClusterConfig` also gets the cluster rules of the RayJob table (from `head-no-containers` to `tls-managed-settings`) from KubeRay 1.4.0, prefixed "The RayService spec is invalid: " from 1.6.0, and the stuck rules `worker-group-name-duplicate` and `worker-replicas-clamped`.',
  RayCronJob:
    'Its `spec.jobTemplate` also gets every RayJob rule but the two on the name (KubeRay checks the template as a RayJob without metadata), each KubeRay message prefixed "invalid RayJob template: ".'
}

/** The README's rules section: the rules of every kind, then one table per KubeRay kind. */
export function rulesSection(allRules: readonly RuleInfo[]): string {
  const common = allRules.filter((r) => r.source === 'input' || r.source === 'schema')
  const rayJob = kindRules(KIND_PLANS.RayJob)
  const parts = [
    '#### Every kind: reading the file, the CRD schema',
    '',
    rulesTable(common),
    '',
    '#### RayJob',
    '',
    rulesTable(rayJob.rules, rayJob.since)
  ]
  for (const kind of ['RayCluster', 'RayService', 'RayCronJob'] as const) {
    const { rules, since } = kindRules(KIND_PLANS[kind])
    const own = rules.filter((r) => r.id.startsWith(OWN_PREFIX[kind]) || r.id.startsWith('serve-'))
    parts.push('', `#### ${kind}`, '', BORROWED[kind], '', rulesTable(own, since))
  }
  return parts.join('\n')
}
