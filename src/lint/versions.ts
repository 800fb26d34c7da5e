// KubeRay releases the linter knows, which CRD schema each one uses, and each release's operator
// feature gates with their defaults (KubeRay's ray-operator/pkg/features/features.go at each tag).

/** A KubeRay release as "major.minor.patch", e.g. "1.5.1". */
export type KubeRayVersion = `${number}.${number}.${number}`

export const KUBERAY_RELEASES: readonly KubeRayVersion[] = [
  '1.1.0', '1.1.1',
  '1.2.0', '1.2.1', '1.2.2',
  '1.3.0', '1.3.1', '1.3.2',
  '1.4.0', '1.4.1', '1.4.2',
  '1.5.0', '1.5.1', '1.5.2',
  '1.6.0', '1.6.1', '1.6.2',
  '1.7.0'
]

export const DEFAULT_KUBERAY_VERSION: KubeRayVersion = '1.7.0'

/** Compares two versions: negative if a < b, 0 if equal, positive if a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

export const atLeast = (version: string, since: string): boolean => compareVersions(version, since) >= 0

/**
 * Reads a user's KubeRay version ("1.6.2", "v1.6.2", or "1.6" for the newest patch of 1.6).
 * Returns undefined when it is not a release the linter knows.
 */
export function parseKubeRayVersion(input: string): KubeRayVersion | undefined {
  const text = input.trim().replace(/^v/i, '')
  if (/^\d+\.\d+$/.test(text)) {
    return [...KUBERAY_RELEASES].reverse().find((r) => r.startsWith(`${text}.`))
  }
  return KUBERAY_RELEASES.find((r) => r === text)
}

/** The CRD schema shipped for a release: KubeRay's CRD only changes between minors, so the last patch of each minor stands for the minor. */
export function crdReleaseFor(version: KubeRayVersion): string {
  const minor = version.split('.').slice(0, 2).join('.')
  const last = [...KUBERAY_RELEASES].reverse().find((r) => r.startsWith(`${minor}.`))
  return last ?? DEFAULT_KUBERAY_VERSION
}

interface GateSpec {
  since: string
  /** first release without the gate */
  until?: string
  /** release from which it defaults to on, if any */
  onSince?: string
}

const GATES: Record<string, GateSpec> = {
  RayClusterStatusConditions: { since: '1.2.0', onSince: '1.3.0' },
  RayJobDeletionPolicy: { since: '1.3.0', onSince: '1.6.0' },
  RayMultiHostIndexing: { since: '1.5.0', onSince: '1.6.0' },
  RayServiceIncrementalUpgrade: { since: '1.5.0', onSince: '1.7.0' },
  RayCronJob: { since: '1.6.0' },
  AsyncJobInfoQuery: { since: '1.6.0', until: '1.7.0' },
  SidecarSubmitterRestart: { since: '1.7.0' },
  GCSFaultToleranceEmbeddedStorage: { since: '1.7.0' },
  RayClusterNetworkPolicy: { since: '1.7.0' },
  RayClusterMTLS: { since: '1.7.0' },
  RayClusterHistoryServer: { since: '1.7.0' },
  KubernetesWAS: { since: '1.7.0' }
}

export type FeatureGates = Readonly<Record<string, boolean>>

/** The gates a release's operator knows, with their default values. */
export function defaultFeatureGates(version: KubeRayVersion): FeatureGates {
  const gates: Record<string, boolean> = {}
  for (const [name, spec] of Object.entries(GATES)) {
    if (!atLeast(version, spec.since) || (spec.until && atLeast(version, spec.until))) continue
    gates[name] = spec.onSince !== undefined && atLeast(version, spec.onSince)
  }
  return gates
}

/**
 * Applies a `--feature-gates` style string ("A=true,B=false") over the release defaults.
 * Like the operator, it refuses a gate the release does not know.
 */
export function parseFeatureGates(
  input: string,
  version: KubeRayVersion
): { gates: FeatureGates; errors: string[] } {
  const gates: Record<string, boolean> = { ...defaultFeatureGates(version) }
  const errors: string[] = []
  for (const raw of input.split(/[,\n]/)) {
    const item = raw.trim()
    if (!item) continue
    const match = /^([A-Za-z0-9]+)\s*=\s*(true|false)$/i.exec(item)
    if (!match) {
      errors.push(`feature gate "${item}" is not of the form Name=true or Name=false`)
      continue
    }
    const [, name, value] = match
    if (!(name in gates)) {
      const known = Object.keys(gates).join(', ') || 'none'
      errors.push(`KubeRay ${version} has no feature gate "${name}" (it knows: ${known})`)
      continue
    }
    gates[name] = value.toLowerCase() === 'true'
  }
  return { gates, errors }
}
