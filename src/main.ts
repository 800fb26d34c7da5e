// The action's entry: read the settings, run the chosen command, set the exit status.
import { kubeconfigSecrets } from './kube/secrets.js'
import { runLint } from './lint/run.js'
import { actionsRunner, readActionInput } from './runner/actions.js'
import type { Runner } from './runner/types.js'
import { readSettings } from './settings.js'
import { VERSION } from './version.js'

export async function run(runner: Runner = actionsRunner, input = readActionInput): Promise<void> {
  try {
    // Mask credentials first, before anything (even an input error) can print them.
    runner.mask(input('dashboard-token').trim())
    const kubeconfig = input('kubeconfig')
    if (kubeconfig.trim()) kubeconfigSecrets(kubeconfig).forEach((s) => runner.mask(s))

    const settings = readSettings(input)
    if (settings.command === 'lint') {
      await runLint(settings.lint, runner, VERSION)
      return
    }
    // Loaded only for submit, so the lint never loads the Kubernetes client or any network code.
    const { runSubmit } = await import('./submit/run.js')
    await runSubmit(settings, runner)
  } catch (error) {
    runner.fail(error instanceof Error ? error.message : String(error))
  }
}
