// The action's entry: read the settings, run the chosen command, set the exit status. The same
// bundle runs as the post step (as actions/checkout does), which only acts for a submitted job.
// Submit's code (the Kubernetes client, undici, ws) is imported only by submit and its post step:
// chunks of the bundle that a lint never loads.
import { findingsPublisher } from './commands/github.js'
import { runLint } from './commands/lint.js'
import { actionsRunner, readActionInput } from './runner/actions.js'
import type { Runner } from './runner/types.js'
import { credentialInputs, readSettings } from './settings.js'
import type { InputReader } from './settings.js'
import { needsCleanup } from './submit/state.js'
import { VERSION } from './version.js'

const STATE_IS_POST = 'isPost'

export async function main(runner: Runner = actionsRunner, input: InputReader = readActionInput): Promise<void> {
  if (runner.getState(STATE_IS_POST)) return post(runner, input)
  runner.saveState(STATE_IS_POST, 'true')
  return run(runner, input)
}

export async function run(runner: Runner, input: InputReader): Promise<void> {
  try {
    // Mask credentials first, before anything (even an input error) can print them.
    const credentials = credentialInputs(input)
    if (credentials.dashboardToken) runner.mask(credentials.dashboardToken)
    if (credentials.githubToken) runner.mask(credentials.githubToken)
    if (credentials.kubeconfig) (await loadSecrets()).kubeconfigSecrets(credentials.kubeconfig).forEach((s) => runner.mask(s))

    const settings = readSettings(input)
    if (settings.command === 'lint') {
      await runLint(settings.lint, runner, { toolVersion: VERSION, publisher: findingsPublisher(settings, runner) })
      return
    }
    if (settings.command === 'wait') {
      const { waitCommand } = await import('./commands/wait.js')
      await waitCommand(settings, runner)
      return
    }
    const { submitCommand } = await import('./commands/submit.js')
    await submitCommand(settings, runner)
  } catch (error) {
    runner.fail(error instanceof Error ? error.message : String(error))
  }
}

/** The post step: if the main step was ended before it settled its job (a cancelled workflow), on-cancel applies now. */
async function post(runner: Runner, input: InputReader): Promise<void> {
  if (!needsCleanup(runner)) return
  const { cleanupAfterCancel } = await import('./submit/post-step.js')
  await cleanupAfterCancel(runner, input)
}

/** The kubeconfig reader (it parses YAML with `yaml`): loaded only when a kubeconfig is given, so a lint starts without `yaml`. */
function loadSecrets(): Promise<typeof import('./kube/secrets.js')> {
  return import('./kube/secrets.js')
}
