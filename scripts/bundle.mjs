// Bundles the entry points with ncc into dist/ (committed: runners execute dist/, not src/).
//   dist/index.js          the action (main and post step): settings, lint, and the loader of ...
//   dist/submit/entry.js   ... submit and gate, with the Kubernetes client: loaded only by submit
//   dist/cli/index.js      the command line (lint)
// A bundle takes minutes (minifying the Kubernetes client), so dist/.inputs records a hash of what
// it was built from and an unchanged tree is not rebuilt; `--force` rebuilds anyway (CI does, and
// then compares dist/ with what is committed). dist/licenses.txt holds the license of every
// production dependency (ncc's own list misses packages that end up in a lazily loaded file).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const entries = [
  ['src/index.ts', 'dist'],
  ['src/submit/entry.ts', 'dist/submit'],
  ['src/bin.ts', 'dist/cli']
]
const outputs = ['dist/index.js', 'dist/submit/entry.js', 'dist/cli/index.js']
const STAMP = 'dist/.inputs'

/** Every file the bundles are made from, in a stable order. */
function inputs() {
  const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs']
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (!/\.test\.ts$|\.cases\.ts$|testing\.ts$/.test(name)) files.push(path)
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
for (const [entry, out] of entries) {
  execFileSync('npx', ['ncc', 'build', entry, '-o', out, '--minify', '--quiet'], { stdio: 'inherit' })
}
// dist/index.js imports the submit bundle as ./submit/entry.js, the name it has in src/.
renameSync('dist/submit/index.js', 'dist/submit/entry.js')
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
