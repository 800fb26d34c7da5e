// Submit's surface: what the action's main and post steps load (lazily: a lint never does).
export { runSubmit } from './run.js'
export { cleanupAfterCancel } from './post-step.js'
