// The submit sub-action (submit/action.yml) runs the one bundle of the top-level action with command: submit.
process.env.INPUT_COMMAND = 'submit'
await import('../dist/index.js')
