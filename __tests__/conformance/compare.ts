// Puts the linter's verdict next to KubeRay's: the same documents, the same KubeRay release, the
// same operator feature gates.
import { lintText } from '../../src/lint/lint.js'
import { ruleInfo } from '../../src/lint/rules/registry.js'
import type { Finding } from '../../src/lint/findings.js'
import { defaultFeatureGates, parseFeatureGates } from '../../src/lint/versions.js'
import type { FeatureGates, KubeRayVersion } from '../../src/lint/versions.js'
import type { CheckerResult } from './checker.js'

export interface GateSetting {
  /** For test names and failure reports. */
  label: string
  /** The operator's --feature-gates flag; undefined = the release's defaults. */
  flag?: string
  gates: FeatureGates
}

/** Alpha gates of KubeRay 1.7.0 that change what ValidateRayClusterSpec accepts. */
const ALPHA_17 = ['GCSFaultToleranceEmbeddedStorage', 'RayClusterNetworkPolicy', 'RayClusterMTLS', 'RayClusterHistoryServer']

/** The gate settings each release is checked with: its defaults, and every validation-relevant gate flipped. */
export function gateSettings(version: KubeRayVersion): GateSetting[] {
  const defaults = defaultFeatureGates(version)
  const settings: GateSetting[] = [{ label: 'default gates', gates: defaults }]
  const flip = (flag: string): void => {
    const { gates, errors } = parseFeatureGates(flag, version)
    if (errors.length) throw new Error(errors.join('; '))
    settings.push({ label: flag, flag, gates })
  }
  if ('RayJobDeletionPolicy' in defaults) flip(`RayJobDeletionPolicy=${!defaults.RayJobDeletionPolicy}`)
  const alpha = ALPHA_17.filter((g) => g in defaults)
  if (alpha.length) flip(alpha.map((g) => `${g}=true`).join(','))
  return settings
}

export const isKubeRayRule = (f: Finding): boolean => ruleInfo(f.ruleId)?.source === 'kuberay'
export const isSchemaRule = (f: Finding): boolean => ruleInfo(f.ruleId)?.source === 'schema'

export function lintJob(id: string, job: unknown, version: KubeRayVersion, gates: FeatureGates): Finding[] {
  // JSON is YAML: the document reaches the linter exactly as the checker reads it.
  return lintText(`${id}.json`, JSON.stringify(job), { kuberayVersion: version, featureGates: gates }).findings
}

const CONVERSION = ': error converting YAML to JSON: '
const LABEL_PROBLEM = /; (?=invalid label (?:key|value) )/

/**
 * A message in the form both sides can be held to:
 * - errors.Join puts one error per line, and the per-status TTL checks come out of a Go map, so
 *   the lines are compared in any order;
 * - the label errors of a group are joined with "; " in Go's (random) map order, so those too;
 * - runtimeEnvYAML that is not YAML at all: the explanation after "error converting YAML to JSON: "
 *   is go-yaml's own wording, which the linter's parser does not copy; everything before it must match.
 */
function canonical(messages: string[]): string[] {
  return messages
    .flatMap((m) => {
      const at = m.indexOf(CONVERSION)
      return m.startsWith('failed to unmarshal RuntimeEnvYAML: ') && at >= 0 ? [`${m.slice(0, at + CONVERSION.length)}…`] : m.split('\n')
    })
    .map((line) => {
      const at = line.indexOf('invalid label ')
      if (at < 0 || !LABEL_PROBLEM.test(line)) return line
      return line.slice(0, at) + line.slice(at).split(LABEL_PROBLEM).sort().join('; ')
    })
    .sort()
}

/** Why the linter and KubeRay disagree on one document, or undefined when they agree. */
export function disagreement(kuberay: CheckerResult, findings: Finding[]): string | undefined {
  if (kuberay.panic) return `KubeRay's validation panicked: ${kuberay.panic}`
  if (kuberay.error.startsWith('checker: ')) return `the checker could not read the object: ${kuberay.error}`
  const reported = findings.filter((f) => isKubeRayRule(f) && f.kuberayReports)
  if (kuberay.valid) return reported.length ? 'KubeRay accepts it, the linter says KubeRay refuses it' : undefined
  if (!reported.length) return 'KubeRay refuses it, the linter finds nothing KubeRay would report'
  const expected = canonical([kuberay.error])
  const actual = canonical(reported.map((f) => f.message))
  return JSON.stringify(expected) === JSON.stringify(actual) ? undefined : 'both refuse it, with different messages'
}

export function describeFindings(findings: Finding[]): string {
  if (!findings.length) return '    (no findings)'
  return findings
    .map((f) => `    ${f.kuberayReports ? '*' : '-'} ${f.ruleId} [${ruleInfo(f.ruleId)?.source ?? '?'}${f.field ? ` at ${f.field}` : ''}]: ${f.message.replace(/\n/g, '\n        ')}`)
    .join('\n')
}
