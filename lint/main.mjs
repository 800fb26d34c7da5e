// The lint sub-action (lint/action.yml) runs the one bundle of the top-level action with command: lint.
process.env.INPUT_COMMAND = 'lint'
await import('../dist/index.js')
