// Every input and output of the action, once: name, what it means, its default and allowed values,
// and which commands read it. action.yml and the sub-actions (lint/, submit/, wait/) are generated from and
// checked against this table (__tests__/action-yml.test.ts); settings.ts validates against it. Pure.
import { DEFAULT_KUBERAY_VERSION } from '../lint/versions.js'

export type CommandName = 'lint' | 'submit' | 'wait'

export interface InputSpec {
  name: string
  description: string
  /** As action.yml gives it ('' for none). */
  default: string
  /** A command whose default differs (its sub-action shows it; the top-level action.yml then shows none). */
  defaultFor?: Partial<Record<CommandName, string>>
  /** The values it takes, when it is a choice. */
  allowed?: readonly string[]
  /** The commands that read it. */
  commands: readonly CommandName[]
}

export interface OutputSpec {
  name: string
  description: string
  commands: readonly CommandName[]
}

const BOTH = ['lint', 'submit'] as const
const SUBMIT = ['submit'] as const
/** Inputs of the cluster side, which submit and wait share. */
const CLUSTER = ['submit', 'wait'] as const
const EVERY = ['lint', 'submit', 'wait'] as const
export const STOP_ACTIONS = ['stop', 'delete', 'keep'] as const

export const INPUTS: readonly InputSpec[] = [
  {
    name: 'command',
    description: '`lint` checks the manifests; `submit` lints, creates the RayJob, and (with `wait`) gates on its outcome; `wait` gates on a RayJob this step did not create.',
    default: 'lint',
    allowed: ['lint', 'submit', 'wait'],
    commands: EVERY
  },
  {
    name: 'manifests',
    description:
      'Globs relative to GITHUB_WORKSPACE, newline- or comma-separated; a leading ! excludes. Default: every *.yaml and *.yml outside node_modules and .git. For `submit` (and `wait` without rayjob-name) they must select exactly one RayJob.',
    default: '',
    commands: EVERY
  },
  { name: 'kuberay-version', description: 'The KubeRay release whose rules and CRD apply, 1.1.0 to 1.7.0 (or 1.6 for the newest 1.6 patch).', default: DEFAULT_KUBERAY_VERSION, commands: BOTH },
  { name: 'feature-gates', description: "Operator feature gates, e.g. RayJobDeletionPolicy=false,RayClusterMTLS=true. Default: that release's defaults.", default: '', commands: BOTH },
  { name: 'fail-on', description: 'Fail the step on `error`, `warning`, or `never`.', default: 'error', allowed: ['error', 'warning', 'never'], commands: BOTH },
  { name: 'sarif-file', description: 'Path inside the workspace (or RUNNER_TEMP) to write a SARIF 2.1.0 log with every finding.', default: '', commands: BOTH },
  {
    name: 'report',
    description:
      'Where the findings go: `annotations` (the default), `check-run` (one check run with every finding) or `review` (a pull request review commenting each finding in the diff). For submit and wait, `comment`: one pull request comment with the RayJob\'s result, updated on reruns (the default on pull requests when the token may write it).',
    default: '',
    commands: EVERY
  },
  {
    name: 'filter',
    description: "With report: check-run or review on a pull request, which findings are commented and fail the step (reviewdog's filter modes): `added` lines, `diff-context` (lines the diff shows), `file` (changed files), or `nofilter`.",
    default: 'added',
    allowed: ['added', 'diff-context', 'file', 'nofilter'],
    commands: BOTH
  },
  { name: 'github-token', description: 'The token for report: check-run, review and comment (masked).', default: '${{ github.token }}', commands: EVERY },
  {
    name: 'kubeconfig',
    description: 'kubeconfig content, plain or base64 (every credential in it is masked). Default: KUBECONFIG, then ~/.kube/config, then in-cluster.',
    default: '',
    commands: CLUSTER
  },
  { name: 'context', description: 'The kubeconfig context to use (default: its current-context).', default: '', commands: CLUSTER },
  { name: 'namespace', description: "Namespace for the RayJob, overriding the manifest's (default: the manifest's, then the context's, then default).", default: '', commands: CLUSTER },
  { name: 'name', description: "RayJob name, overriding the manifest's.", default: '', commands: CLUSTER },
  {
    name: 'rayjob-name',
    description: 'The RayJob to wait on (in `namespace`). Without it, wait finds the RayJob from `manifests`, `name` and `name-suffix` as submit names it.',
    default: '',
    commands: ['wait']
  },
  {
    name: 'submission-id',
    description: "The Ray submission ID the RayJob must run (e.g. an earlier submit step's output); a RayJob running another one was re-created by someone else, and the step fails.",
    default: '',
    commands: ['wait']
  },
  {
    name: 'name-suffix',
    description: '`run` appends a short suffix derived from the run id and attempt, so reruns never collide; `none` keeps the name.',
    default: 'none',
    allowed: ['none', 'run'],
    commands: CLUSTER
  },
  { name: 'dashboard-url', description: "A Ray Dashboard URL the runner can reach directly. Default: through the Kubernetes API server's service proxy.", default: '', commands: CLUSTER },
  { name: 'dashboard-token', description: "Ray token for clusters with token auth (default: read from the cluster's auth Secret).", default: '', commands: CLUSTER },
  {
    name: 'working-directory',
    description:
      "A folder inside the workspace to run the job in, packaged as `ray job submit --working-dir` packages it (.gitignore, .rayignore and the runtime env's excludes honoured; at most 100 MiB) and uploaded to the cluster's Ray Dashboard; the job's runtime_env.working_dir points at the package. For InteractiveMode RayJobs and RayJobs with clusterSelector.",
    default: '',
    commands: SUBMIT
  },
  { name: 'image', description: 'Overrides the image of every Ray container (head and worker groups) and of the submitter Pod template, if any.', default: '', commands: SUBMIT },
  { name: 'runtime-env', description: "Overrides spec.runtimeEnvYAML: Ray's runtime environment as YAML or JSON.", default: '', commands: SUBMIT },
  { name: 'entrypoint', description: 'Overrides spec.entrypoint.', default: '', commands: SUBMIT },
  { name: 'entrypoint-num-cpus', description: 'Overrides spec.entrypointNumCpus (a number, 0 or more).', default: '', commands: SUBMIT },
  { name: 'entrypoint-num-gpus', description: 'Overrides spec.entrypointNumGpus (a number, 0 or more).', default: '', commands: SUBMIT },
  { name: 'entrypoint-resources', description: 'Overrides spec.entrypointResources: a JSON object of custom resource names to numbers, e.g. {"accelerator": 1}.', default: '', commands: SUBMIT },
  {
    name: 'job-metadata',
    description: "A JSON object of strings merged into the job's metadata (spec.metadata), which Ray's job details show. The action adds the repository, run URL and commit.",
    default: '',
    commands: SUBMIT
  },
  { name: 'wait', description: 'Wait for a terminal state and pass or fail on it.', default: 'true', allowed: ['true', 'false'], commands: SUBMIT },
  { name: 'timeout', description: 'How long to wait, e.g. 90s, 15m, 2h.', default: '30m', commands: CLUSTER },
  {
    name: 'startup-timeout',
    description: 'How long the RayJob may take from creation until Ray runs the job (cluster, Pods, images, submission), e.g. 10m; `none` leaves it to `timeout`.',
    default: '10m',
    commands: CLUSTER
  },
  { name: 'queue-timeout', description: 'How long the RayJob may stay suspended or queued (Kueue) before it starts, e.g. 1h. Default: only `timeout` bounds it.', default: '', commands: CLUSTER },
  {
    name: 'fail-fast',
    description: "End the wait as soon as a Pod fault that will not heal appears (an image that cannot be pulled, a missing Secret, a crash-looping head, a quota that forbids the Pods), with Kubernetes' message.",
    default: 'true',
    allowed: ['true', 'false'],
    commands: CLUSTER
  },
  {
    name: 'backstop',
    description: "Unless the manifest sets its own, set spec.activeDeadlineSeconds to `timeout` plus one minute, so KubeRay ends the job itself should the runner die mid-wait. Only when submit waits.",
    default: 'true',
    allowed: ['true', 'false'],
    commands: SUBMIT
  },
  { name: 'logs', description: "Stream the job's driver logs into the step log.", default: 'true', allowed: ['true', 'false'], commands: CLUSTER },
  {
    name: 'on-timeout',
    description: 'On timeout, `stop` the Ray job, `delete` the RayJob, or `keep` it running (default: `stop` for submit, `keep` for wait).',
    default: 'stop',
    defaultFor: { wait: 'keep' },
    allowed: STOP_ACTIONS,
    commands: CLUSTER
  },
  {
    name: 'on-cancel',
    description: 'When the workflow is cancelled mid-wait, `stop` the Ray job, `delete` the RayJob, or `keep` it running (default: `stop` for submit, `keep` for wait).',
    default: 'stop',
    defaultFor: { wait: 'keep' },
    allowed: STOP_ACTIONS,
    commands: CLUSTER
  }
]

export const OUTPUTS: readonly OutputSpec[] = [
  { name: 'manifests', description: 'Number of KubeRay documents checked (RayJobs, RayClusters, RayServices and RayCronJobs).', commands: BOTH },
  { name: 'findings', description: 'Number of findings (not counting silenced ones).', commands: BOTH },
  { name: 'errors', description: 'Number of error findings.', commands: BOTH },
  { name: 'warnings', description: 'Number of warning findings.', commands: BOTH },
  { name: 'sarif-file', description: 'Absolute path of the SARIF log, when one was written.', commands: BOTH },
  { name: 'check-run-url', description: 'The check run with the findings, when report: check-run wrote one.', commands: BOTH },
  { name: 'review-url', description: 'The pull request review with the findings, when report: review wrote one.', commands: BOTH },
  { name: 'submission-id', description: "The Ray submission ID, written once the Dashboard's job API returns the job.", commands: CLUSTER },
  { name: 'rayjob-name', description: 'Name of the RayJob (the one created, or waited on).', commands: CLUSTER },
  { name: 'namespace', description: 'Namespace of the RayJob.', commands: CLUSTER },
  { name: 'ray-cluster-name', description: 'The RayCluster the job runs on.', commands: CLUSTER },
  { name: 'dashboard-url', description: 'The Dashboard URL the action used (service proxy or direct).', commands: CLUSTER },
  { name: 'job-status', description: "Ray's job status at the end (SUCCEEDED, FAILED, STOPPED, ...).", commands: CLUSTER },
  { name: 'deployment-status', description: "KubeRay's jobDeploymentStatus at the end (Complete, Failed, ValidationFailed, ...).", commands: CLUSTER },
  { name: 'reason', description: "KubeRay's failure reason, if any.", commands: CLUSTER },
  { name: 'message', description: "KubeRay's or Ray's status message.", commands: CLUSTER },
  { name: 'duration-seconds', description: 'Seconds from submission (for wait: from the start of the wait) to the terminal state.', commands: CLUSTER },
  { name: 'driver-exit-code', description: "The driver's exit code, as Ray reports it (empty when Ray has none).", commands: CLUSTER },
  { name: 'error-type', description: "Ray's error type for a failed job (e.g. JOB_ENTRYPOINT_COMMAND_ERROR), if any.", commands: CLUSTER },
  { name: 'start-time', description: 'When Ray started the job (ISO 8601), if it did.', commands: CLUSTER },
  { name: 'end-time', description: 'When Ray ended the job (ISO 8601), if it did.', commands: CLUSTER },
  { name: 'attempts', description: 'How many times KubeRay ran the job (1, or more with backoffLimit).', commands: CLUSTER },
  { name: 'log-file', description: "The full driver log, read again from Ray once the job ended, written under RUNNER_TEMP (for actions/upload-artifact); empty when Ray had no log to give.", commands: CLUSTER }
]

/** The input's table entry; throws for a name the table lacks (a typo in the code, not the user's). */
export function inputSpec(name: string): InputSpec {
  const spec = INPUTS.find((i) => i.name === name)
  if (!spec) throw new Error(`no input "${name}" in the input table`)
  return spec
}
