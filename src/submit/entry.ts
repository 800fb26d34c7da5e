// The submit bundle's surface (dist/submit/entry.js): what the action's main and post steps load.
export { runSubmit } from './run.js'
export { cleanupAfterCancel } from './post-step.js'
