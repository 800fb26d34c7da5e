// The command line's start, loaded by the bundle's entry (src/index.ts) when dist/cli/index.js runs it.
import { main } from './cli.js'

// `rayjob-action lint | head` closes stdout early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
  process.exit(process.exitCode ?? 0)
})

process.exitCode = await main(process.argv.slice(2))
