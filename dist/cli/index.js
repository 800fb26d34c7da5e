#!/usr/bin/env node
// The command line (package.json "bin"; written by scripts/bundle.mjs): the one bundle, ../index.js,
// run as the command line rather than as the action.
globalThis[Symbol.for('rayjob-action.cli')] = true
await import('../index.js')
