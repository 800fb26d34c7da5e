// report: check-run. One check run on the commit, carrying every finding as an annotation: the
// Checks API takes 50 a request, so the run is created with the first 50 and updated with each
// further 50 (the last update also completes it). No finding is dropped.
import type { Guard, Octokit } from './client.js'
import { ANNOTATIONS_PER_REQUEST, batches } from './comments.js'
import type { CheckRunAnnotation } from './comments.js'

export const CHECKS_WRITE = 'checks: write'

export interface CheckRunTarget {
  owner: string
  repo: string
  headSha: string
  name: string
  /** The workflow run, linked from the check run. */
  detailsUrl?: string
}

export type Conclusion = 'success' | 'neutral' | 'failure'

/** How far a check run got: a failure part way leaves a check run with the first `annotated` findings. */
export interface CheckRunProgress {
  url?: string
  annotated: number
}

/** Creates the check run with every annotation, completed with `conclusion`; returns its URL. */
export async function publishCheckRun(
  octokit: Octokit,
  guard: Guard,
  target: CheckRunTarget,
  annotations: readonly CheckRunAnnotation[],
  output: { title: string; summary: string },
  conclusion: Conclusion,
  now: () => number,
  progress: CheckRunProgress = { annotated: 0 }
): Promise<string> {
  const { owner, repo } = target
  const runs = batches(annotations, ANNOTATIONS_PER_REQUEST)
  const last = runs.length - 1
  const completed = () => ({ status: 'completed' as const, conclusion, completed_at: new Date(now()).toISOString() })
  const created = await guard({ doing: 'create the check run', permission: CHECKS_WRITE }, () =>
    octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      owner,
      repo,
      name: target.name,
      head_sha: target.headSha,
      ...(target.detailsUrl ? { details_url: target.detailsUrl } : {}),
      started_at: new Date(now()).toISOString(),
      ...(last === 0 ? completed() : { status: 'in_progress' as const }),
      output: { ...output, annotations: runs[0] }
    })
  )
  progress.url = created.data.html_url ?? created.data.url
  progress.annotated = runs[0].length
  for (let i = 1; i <= last; i++) {
    const from = progress.annotated + 1
    await guard({ doing: `add findings ${from} to ${from + runs[i].length - 1} of ${annotations.length} to the check run`, permission: CHECKS_WRITE }, () =>
      octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        owner,
        repo,
        check_run_id: created.data.id,
        output: { ...output, annotations: runs[i] },
        ...(i === last ? completed() : {})
      })
    )
    progress.annotated += runs[i].length
  }
  return progress.url
}
