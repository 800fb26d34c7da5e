// Generates the bench's RayJob documents: seeded from three of KubeRay's sample manifests (copied
// into ./kuberay/manifests, see NOTICE there), varied with a seeded random generator (names,
// namespaces, labels, submission modes, shutdown/TTL, deadlines, Ray versions, resources, 1-4 worker
// groups), and about one in ten given a typical mistake. Comments of the samples are kept, so the
// documents look like the ones people write. Deterministic for a given seed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isMap, isSeq, parseAllDocuments } from 'yaml'

const SEEDS_DIR = new URL('./kuberay/manifests/', import.meta.url)

/** mulberry32: small, fast, good enough to vary test data reproducibly (the tests use it too). */
export function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The RayJob documents of the seed manifests (other kinds, e.g. ConfigMaps, dropped). */
function loadSeeds() {
  const seeds = []
  for (const file of readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = readFileSync(new URL(file, SEEDS_DIR), 'utf8')
    for (const doc of parseAllDocuments(text)) {
      if (doc.get('kind') === 'RayJob') seeds.push({ file, doc })
    }
  }
  if (seeds.length === 0) throw new Error(`no RayJob seed manifests in ${SEEDS_DIR.pathname}`)
  return seeds
}

const NAMESPACES = [undefined, 'default', 'ml-training', 'batch', 'research', 'team-a', 'team-b']
const RAY_VERSIONS = ['2.41.0', '2.46.0', '2.49.1', '2.52.0']
const TEAMS = ['search', 'ads', 'vision', 'nlp', 'recsys', 'platform']
const MODES = [undefined, undefined, 'K8sJobMode', 'HTTPMode', 'SidecarMode']
const CPUS = ['1', '2', '4', '8']
const MEMORY = ['2Gi', '4Gi', '8Gi', '16Gi']

/** Mistakes people make, one per faulty document: the schema ones both tools see, the others only rayjob-action. */
const MISTAKES = [
  // unknown field (a typo): schema
  (doc) => {
    const value = doc.getIn(['spec', 'shutdownAfterJobFinishes']) ?? true
    doc.deleteIn(['spec', 'shutdownAfterJobFinishes'])
    doc.setIn(['spec', 'shutdownAfterJobFinish'], value)
  },
  // wrong type: schema
  (doc) => doc.setIn(['spec', 'rayClusterSpec', 'workerGroupSpecs', 0, 'replicas'], '2'),
  // unknown submission mode: KubeRay's validation (the v1.7.0 CRD has no enum on submissionMode)
  (doc) => doc.setIn(['spec', 'submissionMode'], 'K8sMode'),
  // unknown field in a pod template container: schema
  (doc) => doc.setIn(['spec', 'rayClusterSpec', 'headGroupSpec', 'template', 'spec', 'containers', 0, 'imagePullPolicies'], 'Always'),
  // required field missing (container name): schema
  (doc) => doc.deleteIn(['spec', 'rayClusterSpec', 'workerGroupSpecs', 0, 'template', 'spec', 'containers', 0, 'name']),
  // minReplicas above maxReplicas: KubeRay's validation
  (doc) => {
    doc.setIn(['spec', 'rayClusterSpec', 'workerGroupSpecs', 0, 'minReplicas'], 6)
    doc.setIn(['spec', 'rayClusterSpec', 'workerGroupSpecs', 0, 'maxReplicas'], 2)
  },
  // TTL without shutdownAfterJobFinishes: KubeRay's validation
  (doc) => {
    doc.setIn(['spec', 'shutdownAfterJobFinishes'], false)
    doc.setIn(['spec', 'ttlSecondsAfterFinished'], 60)
  },
  // a name that is not a DNS-1035 label: KubeRay's validation
  (doc) => doc.setIn(['metadata', 'name'], `Train_Job.${doc.getIn(['metadata', 'name'])}`),
  // duplicate worker group names: KubeRay's validation
  (doc) => {
    const groups = doc.getIn(['spec', 'rayClusterSpec', 'workerGroupSpecs'])
    if (isSeq(groups) && groups.items.length > 1) doc.setIn(['spec', 'rayClusterSpec', 'workerGroupSpecs', 1, 'groupName'], doc.getIn(['spec', 'rayClusterSpec', 'workerGroupSpecs', 0, 'groupName']))
    else doc.setIn(['spec', 'rayClusterSpec', 'workerGroupSpecs', 0, 'groupName'], '')
  },
  // runtimeEnvYAML that is not YAML: KubeRay's validation
  (doc) => doc.setIn(['spec', 'runtimeEnvYAML'], 'pip: [torch\nworking_dir: "s3://bucket/code.zip"\n')
]

/** One varied RayJob document from a seed. */
export function vary(seed, i, rnd) {
  const pick = (list) => list[Math.floor(rnd() * list.length)]
  const doc = seed.clone()
  varyMetadata(doc, i, rnd, 'pipelines')

  const mode = pick(MODES)
  if (mode) doc.setIn(['spec', 'submissionMode'], mode)
  const shutdown = rnd() < 0.7
  doc.setIn(['spec', 'shutdownAfterJobFinishes'], shutdown)
  if (shutdown && rnd() < 0.6) doc.setIn(['spec', 'ttlSecondsAfterFinished'], pick([0, 10, 60, 300, 3600]))
  else doc.deleteIn(['spec', 'ttlSecondsAfterFinished'])
  if (rnd() < 0.4) doc.setIn(['spec', 'activeDeadlineSeconds'], pick([600, 1800, 7200, 86400]))
  if (rnd() < 0.3 && mode !== 'SidecarMode') doc.setIn(['spec', 'backoffLimit'], pick([0, 1, 3]))
  if (shutdown && rnd() < 0.15) doc.setIn(['spec', 'suspend'], true) // KubeRay requires shutdownAfterJobFinishes with suspend
  if (rnd() < 0.2) doc.setIn(['spec', 'entrypointNumCpus'], pick([1, 2]))

  varyCluster(doc, ['spec', 'rayClusterSpec'], rnd, { headLimits: 'always' })
  const faulty = rnd() < 0.1
  if (faulty) pick(MISTAKES)(doc)
  return { text: doc.toString(), faulty }
}

/** A name of its own (seed name, team, index), a namespace, and sometimes team labels and a CI annotation. */
export function varyMetadata(doc, i, rnd, partOf) {
  const pick = (list) => list[Math.floor(rnd() * list.length)]
  const team = pick(TEAMS)
  const base = String(doc.getIn(['metadata', 'name'])).slice(0, 30)
  doc.setIn(['metadata', 'name'], `${base}-${team}-${i}`)
  const namespace = pick(NAMESPACES)
  if (namespace) doc.setIn(['metadata', 'namespace'], namespace)
  if (rnd() < 0.6) {
    doc.setIn(['metadata', 'labels', 'app.kubernetes.io/part-of'], `${team}-${partOf}`)
    doc.setIn(['metadata', 'labels', 'team'], team)
  }
  if (rnd() < 0.2) doc.setIn(['metadata', 'annotations', 'ci.example.com/run'], String(100000 + i))
}

/**
 * The cluster spec at path `c`: a Ray version (and the images' tags with it), the head's CPU limit
 * (`headLimits: 'always'`, or only where the seed has limits), and 1-4 worker groups, copies of
 * the seed's first group, each with its own name and sizes.
 */
export function varyCluster(doc, c, rnd, { headLimits }) {
  const pick = (list) => list[Math.floor(rnd() * list.length)]
  const rayVersion = pick(RAY_VERSIONS)
  doc.setIn([...c, 'rayVersion'], rayVersion)
  const setImage = (path) => {
    const image = doc.getIn(path)
    if (typeof image === 'string') doc.setIn(path, image.replace(/:\d+\.\d+\.\d+/, `:${rayVersion}`))
  }
  const head = [...c, 'headGroupSpec', 'template', 'spec', 'containers', 0]
  setImage([...head, 'image'])
  if (headLimits === 'always' || doc.hasIn([...head, 'resources', 'limits'])) doc.setIn([...head, 'resources', 'limits', 'cpu'], pick(CPUS))

  const groups = doc.getIn([...c, 'workerGroupSpecs'])
  if (!isSeq(groups) || !isMap(groups.items[0])) return
  const first = groups.items[0]
  const count = 1 + Math.floor(rnd() * rnd() * 4)
  groups.items = Array.from({ length: count }, (_, g) => {
    const group = g === 0 ? first : first.clone()
    const min = Math.floor(rnd() * 3)
    const max = min + 1 + Math.floor(rnd() * 8)
    group.set('groupName', g === 0 ? String(first.get('groupName') ?? 'workers') : `${pick(['cpu', 'gpu', 'highmem', 'spot'])}-group-${g}`)
    group.set('minReplicas', min)
    group.set('maxReplicas', max)
    group.set('replicas', min + Math.floor(rnd() * (max - min + 1)))
    return group
  })
  for (let g = 0; g < count; g++) {
    const container = [...c, 'workerGroupSpecs', g, 'template', 'spec', 'containers', 0]
    setImage([...container, 'image'])
    const cpu = pick(CPUS)
    const memory = pick(MEMORY)
    for (const side of ['limits', 'requests']) {
      doc.setIn([...container, 'resources', side, 'cpu'], cpu)
      doc.setIn([...container, 'resources', side, 'memory'], memory)
    }
  }
}

/**
 * Writes `documents` RayJob documents to `dir`, `perFile` to a multi-document YAML file.
 * @returns {{ files: string[], documents: number, faulty: number, bytes: number, seeds: string[] }}
 */
export function generate(dir, { documents = 5000, perFile = 100, seed = 20260701 } = {}) {
  const seeds = loadSeeds()
  const rnd = random(seed)
  const corpus = writeCorpus(dir, { documents, perFile, prefix: 'rayjobs' }, (i) => vary(seeds[i % seeds.length].doc, i, rnd))
  return { ...corpus, seeds: [...new Set(seeds.map((s) => s.file))] }
}

/**
 * Writes `documents` documents made by `next(i)` to `dir`, `perFile` to a multi-document YAML file
 * named <prefix>-NNN.yaml.
 * @returns {{ files: string[], documents: number, faulty: number, bytes: number }}
 */
export function writeCorpus(dir, { documents, perFile, prefix }, next) {
  mkdirSync(dir, { recursive: true })
  const files = []
  let faulty = 0
  let bytes = 0
  let i = 0
  for (let f = 0; i < documents; f++) {
    const texts = []
    for (let d = 0; d < perFile && i < documents; d++, i++) {
      const out = next(i)
      if (out.faulty) faulty++
      texts.push(out.text)
    }
    const name = `${prefix}-${String(f).padStart(3, '0')}.yaml`
    const text = texts.join('---\n')
    writeFileSync(join(dir, name), text)
    bytes += Buffer.byteLength(text)
    files.push(name)
  }
  return { files, documents: i, faulty, bytes }
}
