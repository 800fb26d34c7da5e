// Ray versions as KubeRay reads `rayClusterSpec.rayVersion` (a loose semantic version: "2.52",
// "v2.52.0" and "2.52.0-rc1" parse; "nightly" and "latest" do not).

export interface RayVersion {
  major: number
  minor: number
  patch: number
  prerelease: string
}

const LOOSE_SEMVER =
  /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/

export function parseRayVersion(text: string): RayVersion | undefined {
  const m = LOOSE_SEMVER.exec(text)
  if (!m) return undefined
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), prerelease: m[4] ?? '' }
}

/** Semantic-version order: a pre-release sorts before its release. */
export function rayVersionLessThan(a: RayVersion, b: RayVersion): boolean {
  if (a.major !== b.major) return a.major < b.major
  if (a.minor !== b.minor) return a.minor < b.minor
  if (a.patch !== b.patch) return a.patch < b.patch
  if (a.prerelease === b.prerelease) return false
  if (a.prerelease === '') return false
  if (b.prerelease === '') return true
  return a.prerelease < b.prerelease
}

export type RayVersionCheck = { ok: true } | { ok: false; problem: 'missing' | 'invalid' | 'too-old'; detail: string }

/** Whether `rayVersion` meets a minimum, and why not. */
export function checkRayVersion(rayVersion: string | undefined, minimum: string): RayVersionCheck {
  if (!rayVersion) return { ok: false, problem: 'missing', detail: '' }
  const parsed = parseRayVersion(rayVersion)
  if (!parsed) return { ok: false, problem: 'invalid', detail: 'Invalid Semantic Version' }
  const min = parseRayVersion(minimum)!
  return rayVersionLessThan(parsed, min) ? { ok: false, problem: 'too-old', detail: rayVersion } : { ok: true }
}

/**
 * KubeRay's own checks of rayVersion (priority, token auth) use k8s.io/apimachinery's
 * version.ParseGeneric: at least two dot-separated numbers, anything after them ignored, and
 * these error texts.
 */
export function parseGenericVersion(text: string): { components: number[] } | { error: string } {
  const match = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/s.exec(text)
  if (!match) return { error: `could not parse ${goQuote(text)} as version` }
  const parts = match[1].split('.')
  if (parts.length < 2) return { error: `illegal version string ${goQuote(text)}` }
  if (parts[0].startsWith('0') && parts[0] !== '0') return { error: `illegal zero-prefixed version component ${goQuote(parts[0])} in ${goQuote(text)}` }
  return { components: parts.map(Number) }
}

const goQuote = (text: string): string => JSON.stringify(text)

function genericLessThan(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d < 0
  }
  return false
}

/** Whether `rayVersion` meets a minimum the way ValidateRayClusterSpec decides it, and why not. */
export function checkGenericRayVersion(rayVersion: string | undefined, minimum: string): RayVersionCheck {
  if (!rayVersion) return { ok: false, problem: 'missing', detail: '' }
  const parsed = parseGenericVersion(rayVersion)
  if ('error' in parsed) return { ok: false, problem: 'invalid', detail: parsed.error }
  const min = parseGenericVersion(minimum) as { components: number[] }
  return genericLessThan(parsed.components, min.components) ? { ok: false, problem: 'too-old', detail: rayVersion } : { ok: true }
}
