// Submit, phase 5: how the step ends. The on-timeout / on-cancel action, the outputs, the job
// summary and the verdict, from KubeRay's final status and Ray's own.
import { formatDuration } from '../gate/duration.js'
import { finalJobStatus } from '../gate/final-status.js'
import { perMinute } from '../clients/request-log.js'
import { describeState, isRayTerminal, stuckExplanation } from '../gate/status.js'
import { describeExpired } from '../gate/phases.js'
import { describeFault } from '../gate/pod-faults.js'
import { diagnosticsMarkdown, diagnosticsText } from '../report/diagnostics.js'
import { collectDiagnostics, rayTime } from './diagnostics.js'
import { writeLogFile } from './log-file.js'
import { buildSubmitSummary } from '../report/submit-summary.js'
import type { SubmitReport } from '../report/submit-summary.js'
import { confirm } from './attempt.js'
import type { Ending, JobContext, RayView } from './attempt.js'
import { applyStopAction } from './cleanup.js'
import { listedSubmission, parseDashboardURL } from './dashboard.js'
import { STATE_DONE } from './state.js'
import type { StopAction } from '../settings.js'

/** Outputs, summary, the on-timeout/on-cancel action, and the step's verdict; returns the summary's facts (for the pull request comment). */
export async function finishStep(job: JobContext, view: RayView, ending: Ending): Promise<SubmitReport> {
  const { runner, prepared, narrator } = job
  const name = `${prepared.namespace}/${prepared.name}`
  const snapshot = job.follower.snapshot
  const handle = { kube: job.kube, namespace: prepared.namespace, name: prepared.name, submissionId: prepared.submissionId, dashboard: view.dashboard, clock: job.clock }
  // Before on-timeout may delete the RayCluster: the log is read from its head. Not on cancel (10 s to stop the job) or without a wait.
  const logFile = ending.kind === 'cancelled' || ending.kind === 'submitted' ? undefined : await writeLogFile(job, view)
  const { failure, stop } = failureOf(job, view, ending)
  // Why it failed, as the cluster saw it, before on-timeout removes what it would show (not on cancel: the runner gives the step 10 s, and stopping the job comes first).
  const diagnostics = failure && ending.kind !== 'cancelled' ? await diagnose(job, view) : undefined
  if (stop) {
    const [input, action, why] = stop
    if (!job.owned && action !== 'keep') runner.info(`${input}: ${action} acts on RayJob ${name}, which this step did not create.`)
    await applyStopAction(action, handle, why, runner)
  }
  runner.saveState(STATE_DONE, 'true')

  await refreshRayStatus(job, view)
  const final = job.follower.snapshot
  const jobStatus = finalJobStatus(view.ray?.status, final.jobStatus)
  const message = final.message || view.ray?.message || ''
  const durationSeconds = Math.round((job.clock.now() - narrator.startedAt) / 1000)
  // Only for a job Ray ran (KubeRay read a status from Ray): a RayJob KubeRay refused never had a Ray job to list.
  if (!view.confirmed && prepared.submissionId && ending.kind === 'verdict' && final.jobStatus) {
    // The output is only ever what Ray itself lists; say why it stays empty rather than leave a blank.
    runner.info(`submission-id is not set: Ray did not list submission ${prepared.submissionId} before its RayCluster was gone (KubeRay's status names it; Ray could not confirm it).`)
  }
  runner.setOutput('job-status', jobStatus)
  runner.setOutput('deployment-status', final.deploymentStatus)
  runner.setOutput('reason', final.reason)
  runner.setOutput('message', message)
  runner.setOutput('duration-seconds', durationSeconds)
  reportRequestCounts(job, view)

  setRayOutputs(job, view)
  runner.setOutput('log-file', logFile ?? '')

  const outcome: SubmitReport['outcome'] = ending.kind === 'verdict' ? (ending.verdict.passed ? 'passed' : 'failed') : ending.kind === 'error' || ending.kind === 'fault' ? 'failed' : ending.kind
  const report: SubmitReport = {
    outcome,
    namespace: prepared.namespace,
    name: prepared.name,
    rayClusterName: final.rayClusterName || snapshot.rayClusterName,
    submissionId: prepared.submissionId,
    submissionIdConfirmed: view.confirmed,
    submissionMode: prepared.submissionMode,
    jobStatus,
    deploymentStatus: final.deploymentStatus,
    reason: final.reason,
    message,
    durationSeconds,
    dashboardVia: view.dashboard ? `${view.dashboard.baseUrl} (${view.dashboard.via})` : '',
    headService: final.dashboardURL ? parseDashboardURL(final.dashboardURL, prepared.namespace).service : '',
    lastLogLines: view.driverLog?.lastLines ?? [],
    failure
  }
  await runner.summary(buildSubmitSummary(report, formatDuration) + (diagnostics ? `\n${diagnosticsMarkdown(diagnostics)}` : ''))
  if (failure) {
    const tail = view.driverLog?.lastLines.slice(-15) ?? []
    runner.fail(tail.length ? `${failure}\nLast lines of the driver log:\n${tail.join('\n')}` : failure)
  } else if (ending.kind === 'verdict') {
    runner.info(`${ending.verdict.summary} in ${formatDuration(durationSeconds)} (${narrator.story || describeState(final)})`)
  } else {
    runner.info(`RayJob ${name} submitted as ${prepared.submissionId}; not waiting for it (wait: false)`)
  }
  return report
}

/**
 * Ray's last word on the job for the outputs, unless already read after it ended; and the
 * confirmation of the submission ID, if the job ended before Ray was asked (two requests at most).
 */
async function refreshRayStatus(job: JobContext, view: RayView): Promise<void> {
  if (!view.dashboard || (view.confirmed && isRayTerminal(view.ray?.status))) return
  try {
    if (!view.confirmed) {
      const listed = await listedSubmission(view.dashboard, job.prepared.submissionId, (m) => job.runner.debug(m))
      if (listed) confirm(job, view, listed)
      return
    }
    view.ray = (await view.dashboard.getJob(job.prepared.submissionId)) ?? view.ray
  } catch (error) {
    job.runner.debug(`reading Ray's final job status failed: ${(error as Error).message}`)
  }
}

/** The requests the step made, in the debug log (scripts/measure-gate.mjs reads it): since the create, and while waiting for the end. */
function reportRequestCounts(job: JobContext, view: RayView): void {
  const windows: [string, number | undefined][] = [
    ['Since the RayJob was created', job.narrator.startedAt],
    ['While waiting', view.waitStartedAt]
  ]
  for (const [label, since] of windows) {
    if (since === undefined) continue
    const window = job.clock.now() - since
    const api = job.requests.countSince('api', since)
    const dashboard = job.requests.countSince('dashboard', since)
    // A rate over less than a minute says little: give the counts, and the rate once there is one.
    const rate = (n: number) => (window >= 60_000 ? ` (${perMinute(n, window).toFixed(1)}/min)` : '')
    job.runner.debug(`${label} ${formatDuration(window / 1000)}: ${api} request(s) to the API server${rate(api)}, ${dashboard} to the Dashboard${rate(dashboard)}`)
  }
}

/** Ray's own facts about the job as outputs: exit code, error type, times, and KubeRay's attempt count. */
function setRayOutputs(job: JobContext, view: RayView): void {
  const ray = view.ray
  job.runner.setOutput('driver-exit-code', ray?.driver_exit_code ?? '')
  job.runner.setOutput('error-type', ray?.error_type ?? '')
  job.runner.setOutput('start-time', rayTime(ray?.start_time))
  job.runner.setOutput('end-time', rayTime(ray?.end_time))
  const status = (job.follower.latest?.status ?? {}) as { failed?: number; succeeded?: number }
  const attempts = (status.failed ?? 0) + (status.succeeded ?? 0)
  job.runner.setOutput('attempts', Math.max(attempts, view.ray || job.follower.snapshot.jobStatus ? 1 : 0))
}

/** The diagnostics, printed in a group of the step log; a failure to collect them is only a debug line. */
async function diagnose(job: JobContext, view: RayView) {
  const { prepared, runner } = job
  try {
    const diagnostics = await collectDiagnostics({
      kube: job.kube,
      namespace: prepared.namespace,
      name: prepared.name,
      rayJob: job.follower.latest,
      rayClusterName: job.follower.snapshot.rayClusterName,
      submitter: prepared.submissionMode === 'K8sJobMode',
      ray: view.ray,
      faults: job.watchdog.currentFaults
    })
    // Pod logs and event messages come from the cluster: printed so that the runner takes none of it as a workflow command.
    runner.startGroup(`Diagnostics of RayJob ${prepared.namespace}/${prepared.name}`)
    runner.untrusted(diagnosticsText(diagnostics))
    runner.endGroup()
    return diagnostics
  } catch (error) {
    runner.debug(`collecting the diagnostics failed: ${(error as Error).message}`)
    return undefined
  }
}

/** Why the step fails, if it does, and the on-timeout / on-cancel action that then applies (input, action, why). */
function failureOf(job: JobContext, view: RayView, ending: Ending): { failure?: string; stop?: ['on-timeout' | 'on-cancel', StopAction, string] } {
  const { prepared, settings, narrator } = job
  const name = `${prepared.namespace}/${prepared.name}`
  const snapshot = job.follower.snapshot
  const { onTimeout, onCancel } = settings.submit
  switch (ending.kind) {
    case 'timeout':
      if (ending.phase) return { failure: describeExpired(ending.phase, name, describeState(snapshot, view.ray)), stop: ['on-timeout', onTimeout, 'timed out'] }
      return {
        failure: `Timed out after ${formatDuration(settings.submit.timeoutSeconds)}: RayJob ${name} ${stuckExplanation(snapshot, view.ray, narrator.stuckForSeconds(), view.outage, job.clock.now())}`,
        stop: ['on-timeout', onTimeout, 'timed out']
      }
    case 'fault':
      return { failure: `RayJob ${name} cannot run (fail-fast): ${describeFault(ending.fault)}`, stop: ['on-timeout', onTimeout, 'gave up on a fault that will not heal'] }
    case 'cancelled':
      return { failure: `The workflow was cancelled while RayJob ${name} was ${describeState(snapshot, view.ray)}`, stop: ['on-cancel', onCancel, 'cancelled'] }
    case 'verdict':
      if (ending.verdict.passed) return {}
      // The head is gone and the job may still be running: give it up as a timeout would.
      return { failure: ending.verdict.summary, stop: ending.verdict.unfinished ? ['on-timeout', onTimeout, 'gave up'] : undefined }
    case 'error':
      // The action lost track of the job, which is still the cluster's: say where it is rather than guess its fate.
      return {
        failure: `${ending.error.message}\nRayJob ${name} was left as it is: see it with kubectl -n ${prepared.namespace} get rayjob ${prepared.name}, delete it with kubectl -n ${prepared.namespace} delete rayjob ${prepared.name}`
      }
    case 'submitted':
      return {}
  }
}
