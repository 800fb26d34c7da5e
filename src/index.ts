// The one bundle's entry, dist/index.js. It is the action (its main and its post step, action.yml)
// unless dist/cli/index.js, the command line's shim, set the CLI mark before importing it. Each
// side is loaded lazily, so the command line never loads @actions/core, and the lint never loads
// the Kubernetes client (src/main.ts loads submit only for submit).
export const CLI_MARK = Symbol.for('rayjob-action.cli')

if ((globalThis as Record<symbol, unknown>)[CLI_MARK] === true) await import('./bin.js')
else await (await import('./main.js')).main()
