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
import { connectDashboard, rayTokenFor } from './submit.js'

export async function cleanupAfterCancel(runner: Runner, input: InputReader): Promise<void> {
  try {
    const saved = JSON.parse(runner.getState(STATE_JOB)) as SavedJob
    const settings = readSettings(input)
    runner.info(`The main step ended before RayJob ${saved.namespace}/${saved.name} finished (cancelled?): applying on-cancel: ${settings.submit.onCancel}`)
    if (settings.submit.onCancel === 'keep') {
      runner.warning(`RayJob ${saved.namespace}/${saved.name} keeps running (on-cancel: keep). Stop it with: kubectl -n ${saved.namespace} delete rayjob ${saved.name}`)
      return
    }
    const { kube } = connectToCluster(settings.submit, runner)
    try {
      const rayJob = await kube.getRayJob(saved.namespace, saved.name)
      if (!rayJob) return runner.info(`RayJob ${saved.namespace}/${saved.name} is already gone.`)
      const spec = (rayJob.spec ?? {}) as Record<string, unknown>
      // The main step may have ended before its create: a RayJob of that name with another ID is not ours.
      if (spec.jobId !== saved.submissionId) {
        return runner.info(`RayJob ${saved.namespace}/${saved.name} is not the one this step submitted (spec.jobId ${String(spec.jobId)}, not ${saved.submissionId}): left alone.`)
      }
      const snapshot = snapshotOf(rayJob)
      const prepared = { object: rayJob, namespace: saved.namespace, name: saved.name, submissionId: saved.submissionId, submissionMode: String(spec.submissionMode ?? 'K8sJobMode'), backoffLimit: 0 }
      const dashboard = snapshot.dashboardURL
        ? await connectDashboard(kube, saved.namespace, snapshot, { directUrl: settings.submit.dashboardUrl, token: await rayTokenFor(kube, prepared, snapshot, settings.submit.dashboardToken, (m) => runner.info(m)) })
        : undefined
      await applyStopAction(settings.submit.onCancel, { kube, ...saved, dashboard }, 'cancelled', runner)
    } finally {
      await kube.close()
    }
  } catch (error) {
    runner.warning(`The post step could not apply on-cancel: ${(error as Error).message}`)
  }
}
