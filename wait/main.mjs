// The wait sub-action (wait/action.yml) runs the one bundle of the top-level action with command: wait.
process.env.INPUT_COMMAND = 'wait'
await import('../dist/index.js')
