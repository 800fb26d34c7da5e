// The post step (runs after the main step, also when the workflow is cancelled).
import { actionsRunner } from './runner/actions.js'

// Nothing to clean up unless the main step left a submitted job behind (see submit/run.ts).
if (actionsRunner.getState('rayjob')) {
  const { cleanupAfterCancel } = await import('./submit/cleanup.js')
  await cleanupAfterCancel(actionsRunner)
}
