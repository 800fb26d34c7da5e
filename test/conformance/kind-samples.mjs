#!/usr/bin/env node
// Generates test/conformance/cases/kind-samples.json: for every KubeRay release of versions.json,
// the sample manifests of that release (ray-operator/config/samples, every *.yaml / *.yml below
// it) that hold a RayJob, RayCluster, RayService or RayCronJob, and what KubeRay's own validation
// of that release says about each (kuberay-check --kind <kind>, with the release's default
// feature gates). The TS conformance test compares the linter against this file.
//
//   node test/conformance/kind-samples.mjs [version...]      # default: required + optional
//
// Needs the checkers (bash test/conformance/build.sh) and the releases' sources: the Go module
// cache (`go mod download`, from the Go module proxy) or, for a release the proxy refuses (1.7.0),
// the sha256-checked copy in third_party/kuberay (same rule as build.sh, same helper functions).
// YAML is read as Kubernetes reads it: the options of src/yaml/options.ts (KUBERNETES_YAML),
// repeated here because this script runs without a TypeScript loader.
//
// Output, per release: "origin" (where the samples came from), "validators" (kind -> what the
// checker calls, from --version; a kind the release does not have has "absent" instead),
// "gateSettings" (the --feature-gates settings run: the release's defaults, then those of
// __tests__/conformance/compare.ts: RayJobDeletionPolicy flipped, 1.7.0's alpha validation gates
// on), and "samples" (kind -> list of {path, doc, name, valid, error[, panic][, otherGates]}, path
// inside the module, doc = index of the YAML document in the file, valid/error with the default
// gates; otherGates maps a gate setting to its {valid, error} only where that differs), plus
// "counts" per kind (default gates). Each sample also names its file's text by sha256 ("text"),
// kept once in the top-level "texts" (sha256 -> the file as it is), and its document's first line
// ("line", 1-based), so that the TS test lints the very file without Go or the module cache. A
// release whose checker
// is missing is listed with "checker": "<status>" and no verdicts; the script then exits 1 if the
// release is required.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LineCounter, parseAllDocuments } from 'yaml'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..')
const CACHE = process.env.RAYJOB_CONFORMANCE_CACHE ?? join(homedir(), '.cache', 'rayjob-action-conformance')
const OUT = join(HERE, 'cases', 'kind-samples.json')
const MODULE = 'github.com/ray-project/kuberay/ray-operator'
const KINDS = ['RayJob', 'RayCluster', 'RayService', 'RayCronJob']

// src/yaml/options.ts: YAML 1.1 scalars with merge keys, no timestamps or base-60 (go-yaml v2).
const TIMESTAMP = 'tag:yaml.org,2002:timestamp'
const KUBERNETES_YAML = {
  version: '1.1',
  merge: true,
  customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || (tag.tag !== TIMESTAMP && tag.format !== 'TIME')),
}

const versionsFile = JSON.parse(readFileSync(join(HERE, 'versions.json'), 'utf8'))
const versions = process.argv.length > 2 ? process.argv.slice(2).map((v) => v.replace(/^v/, '')) : [...versionsFile.required, ...versionsFile.optional]

const goEnv = {
  ...process.env,
  GOFLAGS: `${process.env.GOFLAGS ?? ''} -modcacherw`,
  GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
  // as build.sh: ray-operator v1.5.2 has no checksum-database record
  GONOSUMDB: [process.env.GONOSUMDB, 'github.com/ray-project/kuberay'].filter(Boolean).join(','),
}

const bash = (script, args = []) =>
  spawnSync('bash', ['-c', `source "${join(ROOT, 'third_party', 'kuberay', 'source.sh')}"; ${script}`, 'bash', ...args], { encoding: 'utf8', env: goEnv })

const temps = []
/** The release's ray-operator folder and where it came from (the Go module proxy first, as build.sh). */
function moduleSource(version) {
  const dl = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@v${version}`], { encoding: 'utf8', env: goEnv, cwd: tmpdir() })
  if (dl.status === 0) {
    const info = JSON.parse(dl.stdout)
    if (info.Dir && existsSync(info.Dir)) return { dir: info.Dir, origin: `the Go module proxy (${MODULE}@v${version})` }
  }
  const log = join(mkdtempSync(join(tmpdir(), 'kind-samples-log-')), 'get.log')
  temps.push(dirname(log))
  writeFileSync(log, `${dl.stdout}\n${dl.stderr}`)
  if (bash('kuberay_proxy_refused "$1" "$2"', [log, version]).status !== 0) {
    throw new Error(`go mod download ${MODULE}@v${version} failed (not a refusal of the version; no fallback): ${dl.stderr || dl.stdout}`)
  }
  const dest = mkdtempSync(join(tmpdir(), `kind-samples-${version}-`))
  temps.push(dest)
  const ex = bash('kuberay_extract "$1" "$2"', [version, dest])
  if (ex.status !== 0) throw new Error(`the Go module proxy refused ${MODULE}@v${version} and the third_party copy cannot be used: ${ex.stderr}`)
  return { dir: join(dest, 'ray-operator'), origin: `${ex.stdout.trim()}; the Go module proxy refused ${MODULE}@v${version}` }
}

function yamlFiles(dir) {
  const out = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p))
    else if (/\.ya?ml$/.test(name)) out.push(p)
  }
  return out
}

/** Every RayJob/RayCluster/RayService/RayCronJob document of config/samples, by kind. */
function samplesOf(moduleDir) {
  const byKind = Object.fromEntries(KINDS.map((k) => [k, []]))
  const unreadable = []
  for (const file of yamlFiles(join(moduleDir, 'config', 'samples'))) {
    const path = relative(moduleDir, file)
    const text = readFileSync(file, 'utf8')
    const sha = createHash('sha256').update(text).digest('hex')
    const lineCounter = new LineCounter()
    const docs = parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter })
    const list = Array.isArray(docs) ? docs : [docs]
    list.forEach((doc, i) => {
      if (doc.errors.length) {
        unreadable.push({ path, doc: i, error: doc.errors[0].message.split('\n')[0] })
        return
      }
      const obj = doc.toJS({ maxAliasCount: -1 })
      if (!obj || typeof obj !== 'object' || !KINDS.includes(obj.kind) || !String(obj.apiVersion ?? '').startsWith('ray.io/')) return
      const line = lineCounter.linePos(doc.range[0]).line
      byKind[obj.kind].push({ path, doc: i, object: obj, text, sha, line })
    })
  }
  return { byKind, unreadable }
}

function checkerVersion(binary) {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`${binary} --version failed: ${run.stderr}`)
  const validators = {}
  for (const m of run.stdout.matchAll(/^ {2}(Ray\w+): (.*)$/gm)) validators[m[1]] = m[2]
  const gates = {}
  for (const m of run.stdout.matchAll(/^\s+(\w+)=(true|false)$/gm)) gates[m[1]] = m[2] === 'true'
  return { validators, gates }
}

// The gate settings besides the defaults, as __tests__/conformance/compare.ts (gateSettings):
// RayJobDeletionPolicy flipped, and 1.7.0's alpha gates that change ValidateRayClusterSpec on.
const ALPHA_17 = ['GCSFaultToleranceEmbeddedStorage', 'RayClusterNetworkPolicy', 'RayClusterMTLS', 'RayClusterHistoryServer']
function otherGateSettings(defaults) {
  const flags = []
  if ('RayJobDeletionPolicy' in defaults) flags.push(`RayJobDeletionPolicy=${!defaults.RayJobDeletionPolicy}`)
  const alpha = ALPHA_17.filter((g) => g in defaults)
  if (alpha.length) flags.push(alpha.map((g) => `${g}=true`).join(','))
  return flags
}

function runChecker(binary, kind, samples, flag) {
  const input = samples.map(({ path, doc, object }) => JSON.stringify({ ...object, _id: `${path}#${doc}` })).join('\n') + '\n'
  const args = ['--kind', kind, ...(flag ? ['--feature-gates', flag] : [])]
  const run = spawnSync(binary, args, { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  if (run.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed (exit ${run.status}): ${run.stderr}`)
  const verdicts = new Map(run.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).map((r) => [r._id, r]))
  return ({ path, doc }) => {
    const r = verdicts.get(`${path}#${doc}`)
    if (!r) throw new Error(`${binary} ${args.join(' ')} gave no answer for ${path}#${doc}`)
    return { valid: r.valid, error: r.error, ...(r.panic ? { panic: r.panic } : {}) }
  }
}

let failed = false
const result = {
  generatedBy: 'test/conformance/kind-samples.mjs',
  note: 'KubeRay verdicts (kuberay-check --kind, default feature gates) on the RayJob/RayCluster/RayService/RayCronJob documents of each release\'s ray-operator/config/samples',
  releases: {},
  texts: {},
}
for (const version of versions) {
  const binary = join(CACHE, version, 'kuberay-check')
  const status = existsSync(join(CACHE, version, 'status')) ? readFileSync(join(CACHE, version, 'status'), 'utf8').trim() : 'not built'
  const required = versionsFile.required.includes(version)
  const { dir, origin } = moduleSource(version)
  const { byKind, unreadable } = samplesOf(dir)
  const entry = { required, origin }
  result.releases[version] = entry
  if (status !== 'ok' || !existsSync(binary)) {
    entry.checker = status
    entry.samples = Object.fromEntries(KINDS.map((k) => [k, byKind[k].map(({ path, doc, object }) => ({ path, doc, name: object.metadata?.name ?? null }))]))
    process.stderr.write(`kind-samples: KubeRay ${version}: no checker (${status})${required ? ' (required)' : ''}\n`)
    if (required) failed = true
    continue
  }
  const { validators, gates } = checkerVersion(binary)
  const flags = otherGateSettings(gates)
  entry.gateSettings = ['default gates', ...flags]
  entry.validators = {}
  entry.samples = {}
  entry.counts = {}
  for (const kind of KINDS) {
    const samples = byKind[kind]
    const v = validators[kind] ?? ''
    if (v.startsWith('not checkable: ')) {
      entry.validators[kind] = { absent: v.slice('not checkable: '.length) }
      if (samples.length) throw new Error(`KubeRay ${version} has ${kind} samples but its checker says: ${v}`)
      continue
    }
    entry.validators[kind] = v
    const byDefault = runChecker(binary, kind, samples)
    const byFlag = flags.map((flag) => [flag, runChecker(binary, kind, samples, flag)])
    entry.samples[kind] = samples.map((sample) => {
      const verdict = byDefault(sample)
      const other = {}
      for (const [flag, by] of byFlag) {
        const v = by(sample)
        if (JSON.stringify(v) !== JSON.stringify(verdict)) other[flag] = v
      }
      const { path, doc, object, text, sha, line } = sample
      result.texts[sha] = text
      return {
        path,
        doc,
        text: sha,
        line,
        name: object.metadata?.name ?? object.metadata?.generateName ?? null,
        ...verdict,
        ...(Object.keys(other).length ? { otherGates: other } : {}),
      }
    })
    entry.counts[kind] = { valid: entry.samples[kind].filter((s) => s.valid).length, invalid: entry.samples[kind].filter((s) => !s.valid).length }
  }
  if (unreadable.length) entry.unreadable = unreadable
  const summary = KINDS.filter((k) => entry.counts[k]).map((k) => `${k} ${entry.counts[k].valid} valid/${entry.counts[k].invalid} invalid`).join(', ')
  process.stderr.write(`kind-samples: KubeRay ${version}: ${summary}\n`)
}
for (const t of temps) rmSync(t, { recursive: true, force: true })
writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n')
process.stderr.write(`kind-samples: wrote ${relative(ROOT, OUT)}\n`)
process.exit(failed ? 1 : 0)
