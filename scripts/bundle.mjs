// Bundles the entry points with ncc into dist/ (committed: runners execute dist/, not src/).
//   dist/index.js          the action (main and post step): settings, lint, and the loader of ...
//   dist/submit/entry.js   ... submit and gate, with the Kubernetes client: loaded only by submit
//   dist/cli/index.js      the command line (lint)
import { execFileSync } from 'node:child_process'
import { renameSync, rmSync } from 'node:fs'

const entries = [
  ['src/index.ts', 'dist'],
  ['src/submit/entry.ts', 'dist/submit'],
  ['src/bin.ts', 'dist/cli']
]
rmSync('dist', { recursive: true, force: true })
for (const [entry, out] of entries) {
  execFileSync('npx', ['ncc', 'build', entry, '-o', out, '--minify', '--license', 'licenses.txt', '--quiet'], { stdio: 'inherit' })
}
// dist/index.js imports the submit bundle as ./submit/entry.js, the name it has in src/.
renameSync('dist/submit/index.js', 'dist/submit/entry.js')
