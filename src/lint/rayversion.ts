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
