// Runs kuberay-check (test/conformance/checker, built per KubeRay version by
// test/conformance/build.sh): KubeRay's own ValidateRayJobMetadata + ValidateRayJobSpec behind a
// JSON-lines pipe.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { KubeRayVersion } from '../../src/lint/versions.js'

export const CACHE_DIR = process.env.RAYJOB_CONFORMANCE_CACHE ?? join(homedir(), '.cache', 'rayjob-action-conformance')

/** test/conformance/versions.json, shared with the global setup that builds the checkers. */
const VERSIONS = JSON.parse(readFileSync(new URL('../../test/conformance/versions.json', import.meta.url), 'utf8')) as {
  required: KubeRayVersion[]
  optional: KubeRayVersion[]
}
/** The versions the conformance test must check: one that cannot be built fails the run. */
export const REQUIRED_VERSIONS: readonly KubeRayVersion[] = VERSIONS.required
/**
 * Older releases: checked when their checker has been built (`test/conformance/build.sh 1.3.2 1.2.2
 * 1.1.1`); with RAYJOB_CONFORMANCE_OLDER=1 they are built first and required like the others.
 */
export const OPTIONAL_VERSIONS: readonly KubeRayVersion[] = VERSIONS.optional

export type Availability =
  | { available: true; binary: string; /** Where KubeRay's source came from (build.sh's origin file). */ origin: string }
  | { available: false; reason: string; /** The end of the failed build's log, when build.sh kept one. */ buildLog?: string }

function readTrimmed(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : ''
}

/** Whether the checker for a version was built, and if not, why (from build.sh's status file and log). */
export function checkerFor(version: KubeRayVersion): Availability {
  const dir = join(CACHE_DIR, version)
  const binary = join(dir, 'kuberay-check')
  const status = readTrimmed(join(dir, 'status'))
  if (status === 'ok' && existsSync(binary)) return { available: true, binary, origin: readTrimmed(join(dir, 'origin')) || 'the Go module proxy' }
  const reason = status || `not built (run: bash test/conformance/build.sh ${version})`
  const log = readTrimmed(join(dir, 'build.log'))
  return log ? { available: false, reason, buildLog: log.split('\n').slice(-30).join('\n') } : { available: false, reason }
}

export interface CheckerResult {
  _id: string
  valid: boolean
  /** KubeRay's error, exactly as the operator would write it to status.message. */
  error: string
  /** Set when KubeRay's validation panicked on the object. */
  panic?: string
}

/**
 * Validates every object with KubeRay's own code, in one process. `featureGates` is the operator's
 * --feature-gates flag; undefined runs with the release's own defaults.
 */
export function runChecker(binary: string, objects: { id: string; job: unknown }[], featureGates?: string, kind?: string): Map<string, CheckerResult> {
  const input = objects.map(({ id, job }) => JSON.stringify({ ...(job as object), _id: id })).join('\n') + '\n'
  const args = [...(kind ? ['--kind', kind] : []), ...(featureGates ? ['--feature-gates', featureGates] : [])]
  const run = spawnSync(binary, args, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  if (run.error || run.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr}`)
  }
  const results = new Map<string, CheckerResult>()
  for (const line of run.stdout.split('\n')) {
    if (!line.trim()) continue
    const result = JSON.parse(line) as CheckerResult
    results.set(result._id, result)
  }
  const missing = objects.filter(({ id }) => !results.has(id))
  if (missing.length) throw new Error(`${binary} ${args.join(' ')} gave no answer for ${missing.map((m) => m.id).join(', ')}`)
  return results
}

/** The operator feature gates a checker starts with (`kuberay-check --version`). */
export function checkerDefaultGates(binary: string): Record<string, boolean> {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`${binary} --version failed: ${run.stderr}`)
  const gates: Record<string, boolean> = {}
  for (const match of run.stdout.matchAll(/^\s+(\w+)=(true|false)$/gm)) gates[match[1]] = match[2] === 'true'
  return gates
}
