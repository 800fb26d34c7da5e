#!/usr/bin/env node
// The command line (package.json "bin"; written by scripts/bundle.mjs): the one bundle, ../index.js,
// run as the command line rather than as the action.
import module from 'node:module'
// A command line runs again and again (pre-commit hooks, editors): Node keeps the compiled bundle in
// its compile cache (Node 22.1+; NODE_COMPILE_CACHE or the system's temporary directory), so only
// the first run compiles it.
module.enableCompileCache?.()
globalThis[Symbol.for('rayjob-action.cli')] = true
await import('../index.js')
