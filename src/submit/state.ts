// What the main step leaves for the post step (GitHub's step state), kept apart from the submit code
// so the post step of a lint-only run can see there is nothing to do without loading it.
import type { Runner } from '../runner/types.js'

export const STATE_JOB = 'rayjob'
export const STATE_DONE = 'rayjob-done'

/** The job a submit step created, as saved for the post step. */
export interface SavedJob {
  namespace: string
  name: string
  submissionId: string
  /** The step token written on the RayJob this step creates (see PrepareOptions.stepToken). */
  stepToken?: string
  /** The RayJob's UID, once the create (or the adoption of an earlier try's RayJob) returned it. */
  uid?: string
}

/** True when the main step submitted a job and ended before settling it (a cancelled workflow). */
export function needsCleanup(runner: Runner): boolean {
  return runner.getState(STATE_JOB) !== '' && runner.getState(STATE_DONE) !== 'true'
}
