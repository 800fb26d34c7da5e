// Derives the compact CRD schema data the linter ships (src/lint/schema/data.js) from KubeRay's CRDs
// of the four kinds (RayJob, RayCluster, RayService, RayCronJob), for the last patch of every minor in
// KUBERAY_RELEASES (src/lint/versions.ts), each taken from that release's own ray-operator source.
// Run by hand (needs `go` and `tar`) when a KubeRay release is added to versions.ts:
//   node scripts/derive-schemas.mjs
// then commit src/lint/schema/data.js and update src/lint/schema/NOTICE. The output is committed;
// nothing runs this script in CI or at run time.
//
// Where each release's CRDs (ray-operator/config/crd/bases/ray.io_<plural>.yaml) come from:
// - the Go module github.com/ray-project/kuberay/ray-operator@v<release>, found with
//   `go mod download -json` (from the module cache, else the module proxy);
// - only when the proxy refuses the version itself (as for 1.7.0) and third_party/kuberay holds
//   ray-operator-v<release>.tar.gz: that copy, after its sha256 is checked against
//   third_party/kuberay/SHA256SUMS (as third_party/kuberay/source.sh does). Anything else stops the script.
//
// The CRDs are ~1.3 MB each, mostly core/v1 pod templates repeated in every position, kind and
// release; identical subtrees are stored once (one table for all kinds), so all of them fit in a
// small file.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const MODULE = 'github.com/ray-project/kuberay/ray-operator'
/** The kinds shipped, with the plural that names their CRD file. */
const KINDS = { RayJob: 'rayjobs', RayCluster: 'rayclusters', RayService: 'rayservices', RayCronJob: 'raycronjobs' }
/** Kinds a release may lack (its CRD file is absent): RayCronJob came with KubeRay 1.6. */
const OPTIONAL_KINDS = new Set(['RayCronJob'])

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, 'src/lint/schema/data.js')
const thirdParty = join(root, 'third_party/kuberay')

/** The last patch of each minor of KUBERAY_RELEASES: the releases whose CRDs are shipped (see crdReleaseFor). */
function crdReleases() {
  const source = readFileSync(join(root, 'src/lint/versions.ts'), 'utf8')
  const list = source.match(/KUBERAY_RELEASES[^=]*=\s*\[([^\]]*)\]/)?.[1]
  if (!list) throw new Error('KUBERAY_RELEASES not found in src/lint/versions.ts')
  const last = new Map()
  for (const [, release] of list.matchAll(/'(\d+\.\d+\.\d+)'/g)) last.set(release.split('.').slice(0, 2).join('.'), release)
  return [...last.values()]
}

const work = mkdtempSync(join(tmpdir(), 'derive-schemas-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

/** The go command's own refusal of a version (source.sh's kuberay_proxy_refused); a network error is not one. */
const refused = (error, release) =>
  new RegExp(`${MODULE.replaceAll('.', '\\.')}@v${release.replaceAll('.', '\\.')}: .*(403 Forbidden|404 Not Found|410 Gone|not available|unknown revision|invalid version)`).test(error)

/** The folder holding a release's CRDs, and a line saying where it came from. */
function crdSource(release) {
  // Outside any module (an empty folder as the working directory), so that no go.mod or go.sum is touched.
  const cwd = mkdtempSync(join(work, 'go-'))
  const go = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@v${release}`], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-modcacherw', GONOSUMDB: 'github.com/ray-project/kuberay', GOTOOLCHAIN: 'local', GOWORK: 'off' }
  })
  if (go.error) throw new Error(`go mod download ${MODULE}@v${release}: ${go.error.message}`)
  let info
  try {
    info = JSON.parse(go.stdout)
  } catch {
    throw new Error(`go mod download ${MODULE}@v${release} failed (exit ${go.status}): ${go.stderr || go.stdout}`)
  }
  if (!info.Error && info.Dir) {
    return { dir: join(info.Dir, 'config/crd/bases'), origin: `Go module ${MODULE}@v${release} (${info.Sum})` }
  }
  const error = info.Error ?? `exit ${go.status}: ${go.stderr}`
  const copy = join(thirdParty, `ray-operator-v${release}.tar.gz`)
  if (!refused(error, release) || !existsSync(copy)) throw new Error(`go mod download ${MODULE}@v${release}: ${error}`)
  const { dest, sha256 } = extractCopy(release, copy)
  return { dir: join(dest, 'ray-operator/config/crd/bases'), origin: `third_party/kuberay/ray-operator-v${release}.tar.gz (sha256 ${sha256}, verified; the proxy refuses this version)` }
}

/** Checks the in-repository copy's sha256 against SHA256SUMS, then extracts those very bytes; returns the folder and the sha256. */
function extractCopy(release, copy) {
  const name = `ray-operator-v${release}.tar.gz`
  const sums = readFileSync(join(thirdParty, 'SHA256SUMS'), 'utf8')
  const want = sums.split('\n').map((line) => line.trim().split(/\s+/)).find(([, file]) => file === name || file === `*${name}`)?.[0]
  if (!want) throw new Error(`${copy} is not listed in third_party/kuberay/SHA256SUMS: refusing to use it`)
  const bytes = readFileSync(copy)
  const got = createHash('sha256').update(bytes).digest('hex')
  if (got !== want) throw new Error(`${copy}: sha256 ${got}, but SHA256SUMS says ${want}: refusing to use it`)
  const dest = mkdtempSync(join(work, `v${release}-`))
  writeFileSync(join(dest, '.src.tar.gz'), bytes)
  const tar = spawnSync('tar', ['-xzf', join(dest, '.src.tar.gz'), '-C', dest, '--no-same-owner', 'ray-operator/go.mod', 'ray-operator/config/crd/bases'], { encoding: 'utf8' })
  if (tar.status !== 0) throw new Error(`tar -xzf ${copy} failed: ${tar.stderr || tar.error?.message}`)
  if (!/^module github\.com\/ray-project\/kuberay\/ray-operator$/m.test(readFileSync(join(dest, 'ray-operator/go.mod'), 'utf8'))) {
    throw new Error(`${copy} does not hold ${MODULE} in ray-operator/`)
  }
  return { dest, sha256: got }
}

const nodes = []
const index = new Map()

/** Stores one schema node (children first) and returns its index in the shared table. */
function intern(schema) {
  const node = {}
  if (schema.type) node.t = schema.type
  if (schema.properties) {
    node.p = {}
    for (const [name, child] of Object.entries(schema.properties)) node.p[name] = intern(child)
  }
  if (schema.required?.length) node.r = schema.required
  if (schema.items) node.i = intern(schema.items)
  if (schema.additionalProperties !== undefined) {
    node.a = typeof schema.additionalProperties === 'object' ? intern(schema.additionalProperties) : schema.additionalProperties
  }
  if (schema.enum) node.e = schema.enum
  if (schema.default !== undefined) node.d = schema.default
  if (schema.format) node.f = schema.format
  if (schema.minimum !== undefined) node.mn = schema.minimum
  if (schema.maximum !== undefined) node.mx = schema.maximum
  if (schema.minLength !== undefined) node.mnl = schema.minLength
  if (schema.maxLength !== undefined) node.mxl = schema.maxLength
  if (schema.minItems !== undefined) node.mni = schema.minItems
  if (schema.maxItems !== undefined) node.mxi = schema.maxItems
  if (schema.pattern) node.pt = schema.pattern
  if (schema['x-kubernetes-int-or-string']) node.ios = 1
  if (schema['x-kubernetes-preserve-unknown-fields']) node.pu = 1
  if (schema['x-kubernetes-embedded-resource']) node.er = 1
  if (schema.nullable) node.n = 1
  if (schema['x-kubernetes-list-type']) node.lt = schema['x-kubernetes-list-type']
  if (schema['x-kubernetes-list-map-keys']) node.lk = schema['x-kubernetes-list-map-keys']
  if (schema['x-kubernetes-validations']) {
    node.c = schema['x-kubernetes-validations'].map((v) => [v.rule, v.message ?? ''])
  }
  const key = JSON.stringify(node)
  let id = index.get(key)
  if (id === undefined) {
    id = nodes.length
    nodes.push(node)
    index.set(key, id)
  }
  return id
}

// kind → release → served API version → { root, deprecationWarning? }
const kinds = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, {}]))
const origins = []
for (const release of crdReleases()) {
  const { dir, origin } = crdSource(release)
  origins.push(`${release}: ${origin}`)
  for (const [kind, plural] of Object.entries(KINDS)) {
    const file = join(dir, `ray.io_${plural}.yaml`)
    if (!existsSync(file)) {
      if (OPTIONAL_KINDS.has(kind)) continue
      throw new Error(`${release}: ${file} is missing`)
    }
    const crd = parse(readFileSync(file, 'utf8'))
    if (crd.spec?.names?.kind !== kind) throw new Error(`${file} defines ${crd.spec?.names?.kind}, not ${kind}`)
    const served = {}
    for (const version of crd.spec.versions) {
      if (version.served === false) continue
      served[version.name] = {
        root: intern(version.schema.openAPIV3Schema),
        ...(version.deprecated ? { deprecationWarning: version.deprecationWarning ?? '' } : {})
      }
    }
    kinds[kind][release] = served
  }
}

const json = JSON.stringify({ kinds, nodes })
writeFileSync(
  out,
  `// Generated by scripts/derive-schemas.mjs from KubeRay's RayJob, RayCluster, RayService and RayCronJob\n` +
    `// CRDs (Apache License 2.0, Copyright The KubeRay Authors; see NOTICE in this folder). Do not edit by hand.\n` +
    origins.map((line) => `// ${line}\n`).join('') +
    `const data = JSON.parse(${JSON.stringify(json)})\n` +
    `// The RayJob schemas under their former name (release → API version), for readers of that shape.\n` +
    `data.releases = data.kinds.RayJob\n` +
    `export default data\n`
)
for (const line of origins) console.log(line)
const counts = Object.entries(kinds).map(([kind, releases]) => `${kind} ${Object.keys(releases).join(' ')}`)
console.log(`${counts.join('; ')}\n${nodes.length} unique schema nodes, ${json.length} bytes of JSON`)
