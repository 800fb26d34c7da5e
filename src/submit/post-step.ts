// The post step's work: the main step submitted a job and was ended (a cancelled workflow) before
// it could decide its fate, so on-cancel decides now.
import type { InputReader } from '../settings.js'
import { readSettings } from '../settings.js'
import type { Runner } from '../runner/types.js'
import { snapshotOf } from '../gate/status.js'
import { applyStopAction } from './cleanup.js'
import { STATE_JOB } from './state.js'
import type { SavedJob } from './state.js'
import { connectToCluster } from './connect.js'
import { connectDashboard, rayTokenFor } from './dashboard.js'
import { createdByThisStep } from './prepare.js'
import type { KubeObject } from '../kube/client.js'

/** Whether the RayJob is the one this step created or adopted: its UID when the step saw it, else the step token on it. */
export function ownedByStep(rayJob: KubeObject, saved: SavedJob): boolean {
  if (saved.uid) return rayJob.metadata?.uid === saved.uid
  return createdByThisStep(rayJob, saved.stepToken)
}

export async function cleanupAfterCancel(runner: Runner, input: InputReader): Promise<void> {
  try {
    const saved = JSON.parse(runner.getState(STATE_JOB)) as SavedJob
    const settings = readSettings(input)
    runner.info(`The main step ended before RayJob ${saved.namespace}/${saved.name} finished (cancelled?): applying on-cancel: ${settings.submit.onCancel}`)
    if (settings.submit.onCancel === 'keep') {
      // A RayJob that command: wait found is someone else's: keeping it is the default, not a loose end.
      if (settings.command === 'wait') runner.info(`RayJob ${saved.namespace}/${saved.name}, which this step did not create, keeps running (on-cancel: keep).`)
      else runner.warning(`RayJob ${saved.namespace}/${saved.name} keeps running (on-cancel: keep). Stop it with: kubectl -n ${saved.namespace} delete rayjob ${saved.name}`)
      return
    }
    const { kube } = connectToCluster(settings.submit, runner)
    try {
      const rayJob = await kube.getRayJob(saved.namespace, saved.name)
      if (!rayJob) return runner.info(`RayJob ${saved.namespace}/${saved.name} is already gone.`)
      const spec = (rayJob.spec ?? {}) as Record<string, unknown>
      // The main step may have ended before its create, or another run may have taken the name: act
      // only on the RayJob this step created (its UID, or its step token), never on one merely alike.
      if (!ownedByStep(rayJob, saved)) {
        return runner.info(`RayJob ${saved.namespace}/${saved.name} is not the one this step created (it does not carry this step's token or UID): left alone.`)
      }
      const snapshot = snapshotOf(rayJob)
      const prepared = { object: rayJob, namespace: saved.namespace, name: saved.name, submissionId: saved.submissionId, submissionMode: String(spec.submissionMode ?? 'K8sJobMode'), backoffLimit: 0 }
      let dashboard
      if (snapshot.dashboardURL) {
        const token = await rayTokenFor(kube, prepared, snapshot, settings.submit.dashboardToken, (m) => runner.info(m))
        if (token) runner.mask(token) // read anew from the cluster's Secret: this step has not masked it yet
        dashboard = await connectDashboard(kube, saved.namespace, snapshot, { directUrl: settings.submit.dashboardUrl, token })
      }
      await applyStopAction(settings.submit.onCancel, { kube, ...saved, dashboard }, 'cancelled', runner)
    } finally {
      await kube.close()
    }
  } catch (error) {
    runner.warning(`The post step could not apply on-cancel: ${(error as Error).message}`)
  }
}
