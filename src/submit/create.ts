// Submit, phase 2: check the permissions, then put the RayJob in the cluster, or find the one an
// earlier try of this same step put there, and tell it from anyone else's.
import { backoffDelays, sleep, systemClock } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'
import { describePermission, KubeApiError } from '../kube/client.js'
import type { KubeClient, KubeObject, Permission } from '../kube/client.js'
import type { SubmitSettings } from '../settings.js'
import type { RunContext } from './identity.js'
import { createdByThisStep, relationTo, SubmitInputError } from './prepare.js'
import type { PreparedRayJob } from './prepare.js'

/**
 * What submit will do in the namespace, as RBAC permissions (the README's Role grants exactly these
 * by default). `readsAuthSecret`: the manifest's cluster uses Ray token authentication and no
 * dashboard-token is given, so the token is read from KubeRay's auth Secret.
 */
export function permissionsNeeded(settings: Pick<SubmitSettings, 'dashboardUrl' | 'onTimeout' | 'onCancel'> & Partial<Pick<SubmitSettings, 'workingDirectory'>>, readsAuthSecret = false): Permission[] {
  const rayJobs = (verb: string): Permission => ({ verb, group: 'ray.io', resource: 'rayjobs' })
  const needed = [rayJobs('get'), rayJobs('create'), rayJobs('watch')]
  if (readsAuthSecret) needed.push({ verb: 'get', group: '', resource: 'secrets' })
  // stop falls back to deleting a RayJob whose job Ray does not have yet.
  if (settings.onTimeout !== 'keep' || settings.onCancel !== 'keep') needed.push(rayJobs('delete'))
  if (!settings.dashboardUrl) {
    const proxy = (verb: string): Permission => ({ verb, group: '', resource: 'services', subresource: 'proxy' })
    needed.push(proxy('get'), proxy('create'))
    // The working directory's package is uploaded with PUT, which RBAC calls update.
    if (settings.workingDirectory) needed.push(proxy('update'))
  }
  return needed
}

/** Stops before anything is created when the credentials lack a permission submit needs. */
export async function checkPermissions(kube: KubeClient, namespace: string, needed: Permission[], credentials: string): Promise<void> {
  const missing = await kube.missingPermissions(namespace, needed)
  if (missing.length === 0) return
  throw new SubmitInputError(
    `the credentials from ${credentials} may not ${missing.map(describePermission).join(', ')} in namespace ${namespace}: add ${missing.length > 1 ? 'these' : 'it'} to the Role bound to this identity (the README lists the Role submit needs). Nothing was created.`
  )
}

export interface Created {
  rayJob: KubeObject
  /** True when the RayJob was already there from an earlier try of this run attempt. */
  adopted: boolean
  /** The create's answer was lost; reading back found the RayJob this step sent. */
  recovered?: string
}

/**
 * The create's outcome is unknown: the request went out, but no answer came back and reading the
 * RayJob back failed too. The RayJob may exist; the post step must look (it can tell ours by the
 * step token).
 */
export class CreateOutcomeUnknown extends Error {}

/** How long a create whose answer was lost is looked for (the API server may be restarting), and how often. */
const READ_BACK_FOR_MS = 60_000
const READ_BACK = { first: 1000, grow: 2, max: 10_000 }

/**
 * Creates the RayJob after a server-side dry run with strict field validation (so the cluster's own
 * CRD and admission judge it first), or adopts the one this run attempt created before.
 */
export async function createOrAdopt(kube: KubeClient, prepared: PreparedRayJob, run: RunContext, clock: Clock = systemClock): Promise<Created> {
  const existing = await kube.getRayJob(prepared.namespace, prepared.name)
  if (existing) return adoptOrRefuse(existing, prepared, run)
  await kube.createRayJob(prepared.namespace, prepared.object as KubeObject, true)
  try {
    return { rayJob: await kube.createRayJob(prepared.namespace, prepared.object as KubeObject, false), adopted: false }
  } catch (error) {
    // Lost a race with another try of this same attempt: follow that one, or say whose it is.
    if (error instanceof KubeApiError && error.status === 409) {
      const raced = await kube.getRayJob(prepared.namespace, prepared.name)
      if (raced && createdByThisStep(raced, prepared.stepToken)) return { rayJob: raced, adopted: false }
      if (raced) return adoptOrRefuse(raced, prepared, run)
    }
    if (answerLost(error)) return readBack(kube, prepared, error as Error, clock)
    throw error
  }
}

/** No answer, or one that does not say whether the object was stored (a gateway or server error). */
const answerLost = (error: unknown): boolean => error instanceof KubeApiError && (error.status === 0 || error.status >= 500)

/**
 * After a create whose answer was lost: the RayJob if the server stored it. Otherwise the outcome
 * stays unknown (a request cut on its way back may still be applied), and the post step looks again.
 */
async function readBack(kube: KubeClient, prepared: PreparedRayJob, createError: Error, clock: Clock): Promise<Created> {
  const until = clock.now() + READ_BACK_FOR_MS
  let lastRead: string | undefined
  for (const delay of backoffDelays(READ_BACK)) {
    try {
      const found = await kube.getRayJob(prepared.namespace, prepared.name)
      if (found && createdByThisStep(found, prepared.stepToken)) return { rayJob: found, adopted: false, recovered: createError.message.split('\n')[0] }
      if (found) {
        throw new SubmitInputError(`RayJob ${prepared.namespace}/${prepared.name} appeared while this step's create got no answer, but it is not the one this step sent (another run took the name). Nothing of this step's is running.`)
      }
      lastRead = 'it is not there'
    } catch (error) {
      if (error instanceof SubmitInputError) throw error
      lastRead = (error as Error).message.split('\n')[0]
    }
    if (clock.now() + delay > until) break
    await sleep(clock, delay)
  }
  throw new CreateOutcomeUnknown(
    `${createError.message}\nThe create may still have reached the API server; reading RayJob ${prepared.namespace}/${prepared.name} back for ${READ_BACK_FOR_MS / 1000}s did not find it (${lastRead ?? 'no read'}). The post step looks for it again and applies on-cancel if this step created it; check with kubectl -n ${prepared.namespace} get rayjob ${prepared.name}.`
  )
}

/** An existing RayJob under our name: this step's own earlier try to follow, or an error that says whose it is and what to do. */
function adoptOrRefuse(existing: KubeObject, prepared: PreparedRayJob, run: RunContext): Created {
  const relation = relationTo(existing, prepared, run)
  if (relation === 'ours') return { rayJob: existing, adopted: true }
  const name = `${prepared.namespace}/${prepared.name}`
  if (relation === 'sibling') {
    const annotations = existing.metadata?.annotations ?? {}
    const job = annotations['rayjob-action/job']
    throw new SubmitInputError(
      `RayJob ${name} already exists, created by this same workflow run attempt${job && job !== run.job ? ` in job "${job}"` : ''} from a different RayJob: two jobs or matrix legs of one run submit under the same name, and this step will not follow a job it did not submit. Give each its own name, for example name: ${prepared.name.replace(/-[a-z0-9]+-\d+$/, '')}-\${{ matrix.model }} (with name-suffix: run). Nothing was created.`
    )
  }
  const labels = existing.metadata?.labels ?? {}
  const runId = labels['rayjob-action/run-id']
  const owner = runId
    ? `run ${runId} attempt ${labels['rayjob-action/run-attempt'] ?? '?'} of ${labels['rayjob-action/repository'] ?? 'a repository'}`
    : labels['app.kubernetes.io/managed-by'] === 'rayjob-action'
      ? 'an earlier rayjob-action run outside a workflow'
      : 'something other than this action'
  throw new SubmitInputError(
    `RayJob ${name} already exists, created by ${owner}. Set name-suffix: run so every run gets its own name, or delete the old RayJob (kubectl -n ${prepared.namespace} delete rayjob ${prepared.name}).`
  )
}

