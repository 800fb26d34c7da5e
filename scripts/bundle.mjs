// Bundles the action and the command line with ncc into dist/ (committed: runners execute dist/,
// not src/). One build of one entry, src/index.ts, so no module is committed twice:
//   dist/index.js          the entry: the action's main and post step, or the command line when
//                          dist/cli/index.js marks the run as such; everything else is loaded lazily:
//   dist/<id>.index.js     chunks: the lint and reports (shared), the action's side (@actions/core),
//                          the command line's side, submit and gate with the Kubernetes client
//                          (loaded only by submit), yaml and tinyglobby (only when a file needs them)
//   dist/cli/index.js      the command line's shim (package.json "bin"), written here
// ncc minifies only dist/index.js; the chunks are minified here the same way (names mangled, code
// not compressed). A bundle takes minutes (minifying the Kubernetes client), so dist/.inputs
// records a hash of what it was built from and an unchanged tree is not rebuilt; `--force`
// rebuilds anyway (CI does, and then compares dist/ with what is committed). dist/licenses.txt
// holds the license of every production dependency (ncc's own list misses packages that end up in
// a lazily loaded chunk).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { minify } from 'terser'

const ENTRY = 'src/index.ts'
const CLI = 'dist/cli/index.js'
const outputs = ['dist/index.js', CLI]
const STAMP = 'dist/.inputs'

/** The command line's shim: the one bundle, told that it runs as the command line (see src/index.ts). */
const CLI_SHIM = `#!/usr/bin/env node
// The command line (package.json "bin"; written by scripts/bundle.mjs): the one bundle, ../index.js,
// run as the command line rather than as the action.
import module from 'node:module'
// A command line runs again and again (pre-commit hooks, editors): Node keeps the compiled bundle in
// its compile cache (Node 22.1+; NODE_COMPILE_CACHE or the system's temporary directory), so only
// the first run compiles it.
module.enableCompileCache?.()
globalThis[Symbol.for('rayjob-action.cli')] = true
await import('../index.js')
`

/** Every file the bundles are made from, in a stable order. */
function inputs() {
  const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs']
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.push(path)
    }
  }
  walk('src')
  return files
}

function inputsHash() {
  const hash = createHash('sha256')
  for (const file of inputs()) hash.update(file).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex')
}

const hash = inputsHash()
const current = existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash && outputs.every((f) => existsSync(f))
if (current && !process.argv.includes('--force')) {
  console.log('dist/ is current: its inputs are unchanged since it was bundled (--force rebuilds it)')
  process.exit(0)
}

rmSync('dist', { recursive: true, force: true })
execFileSync('npx', ['ncc', 'build', ENTRY, '-o', 'dist', '--minify', '--quiet'], { stdio: 'inherit' })
for (const chunk of readdirSync('dist').filter((f) => /^\d+\.index\.js$/.test(f))) {
  const file = join('dist', chunk)
  // ncc's own options for dist/index.js (the chunks are ES modules too: dist/package.json says so).
  const { code } = await minify(readFileSync(file, 'utf8'), { module: true, compress: false, mangle: { keep_classnames: true, keep_fnames: true } })
  if (code === undefined) throw new Error(`terser returned nothing for ${file}`)
  writeFileSync(file, code)
}
mkdirSync('dist/cli')
writeFileSync(CLI, CLI_SHIM)
chmodSync(CLI, 0o755)
writeFileSync('dist/licenses.txt', licenses())
writeFileSync(STAMP, `${hash}\n`)

/** Name, version, license and license text of every package `npm ls --omit=dev` lists. */
function licenses() {
  const dirs = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' }).trim().split('\n').slice(1)
  const seen = new Set()
  const parts = []
  for (const dir of dirs.sort()) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const id = `${pkg.name}@${pkg.version}`
    if (seen.has(id)) continue
    seen.add(id)
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    parts.push(`${id}\n${pkg.license ?? 'see the package'}\n${file ? readFileSync(join(dir, file), 'utf8').trim() : '(no license file in the package)'}\n`)
  }
  return parts.join('\n')
}
