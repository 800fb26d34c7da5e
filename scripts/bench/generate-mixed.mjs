// Generates the bench's mixed corpus: RayJob, RayCluster, RayService and RayCronJob documents in the
// same multi-document files, seeded from KubeRay v1.7.0's sample manifests of each kind (copied into
// ./kuberay/manifests, see NOTICE there; every one valid for KubeRay 1.7.0). RayJobs are varied
// exactly as generate.mjs varies them; the other kinds the same way where they hold the same thing
// (names, namespaces, labels, Ray versions and images, head and worker resources, 1-4 worker groups
// with their sizes) plus what is their own (a RayService's upgrade strategy, a RayCronJob's schedule,
// time zone and job settings). About one in ten documents gets a typical mistake. Comments of the
// samples are kept. Deterministic for a given seed and mix.
import { readdirSync, readFileSync } from 'node:fs'
import { isSeq, parseAllDocuments } from 'yaml'
import { random, vary as varyRayJob, varyCluster, varyMetadata, writeCorpus } from './generate.mjs'

const SEEDS_DIR = new URL('./kuberay/manifests/', import.meta.url)
export const KINDS = ['RayJob', 'RayCluster', 'RayService', 'RayCronJob']

/** Where each kind holds its RayClusterSpec. */
const CLUSTER = {
  RayCluster: ['spec'],
  RayService: ['spec', 'rayClusterConfig'],
  RayCronJob: ['spec', 'jobTemplate', 'rayClusterSpec']
}

/** "RayJob=2,RayCluster=1" → { RayJob: 2, RayCluster: 1 }; every kind named must be one of KINDS. */
export function parseMix(text) {
  const mix = {}
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [kind, weight = '1'] = part.split('=')
    if (!KINDS.includes(kind)) throw new Error(`--mix: unknown kind ${kind} (one of ${KINDS.join(', ')})`)
    const w = Number(weight)
    if (!Number.isInteger(w) || w < 0) throw new Error(`--mix: ${kind}=${weight} is not a whole number`)
    if (w > 0) mix[kind] = w
  }
  if (Object.keys(mix).length === 0) throw new Error('--mix: no kind')
  return mix
}

/** The seed documents of the sample manifests, by kind (ConfigMaps and other kinds dropped). */
function loadSeeds(kinds) {
  const seeds = Object.fromEntries(kinds.map((k) => [k, []]))
  for (const file of readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = readFileSync(new URL(file, SEEDS_DIR), 'utf8')
    for (const doc of parseAllDocuments(text)) {
      const kind = doc.get('kind')
      if (kind in seeds) seeds[kind].push({ file, doc })
    }
  }
  for (const kind of kinds) if (seeds[kind].length === 0) throw new Error(`no ${kind} seed manifest in ${SEEDS_DIR.pathname}`)
  return seeds
}

const SCHEDULES = ['*/5 * * * *', '0 * * * *', '15 */6 * * *', '0 3 * * *', '30 2 * * 1-5', '0 0 1 * *']
const TIME_ZONES = [undefined, undefined, 'UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Taipei']

/** Mistakes in the RayClusterSpec every kind holds: schema ones (both tools) and KubeRay's (rayjob-action only). */
const CLUSTER_MISTAKES = [
  // wrong type: schema
  (doc, c) => doc.setIn([...c, 'workerGroupSpecs', 0, 'replicas'], '2'),
  // unknown field in a pod template container: schema
  (doc, c) => doc.setIn([...c, 'headGroupSpec', 'template', 'spec', 'containers', 0, 'imagePullPolicies'], 'Always'),
  // required field missing (container name): schema
  (doc, c) => doc.deleteIn([...c, 'workerGroupSpecs', 0, 'template', 'spec', 'containers', 0, 'name']),
  // minReplicas above maxReplicas: KubeRay's validation
  (doc, c) => {
    doc.setIn([...c, 'workerGroupSpecs', 0, 'minReplicas'], 6)
    doc.setIn([...c, 'workerGroupSpecs', 0, 'maxReplicas'], 2)
  },
  // duplicate worker group names: KubeRay's validation
  (doc, c) => {
    const groups = doc.getIn([...c, 'workerGroupSpecs'])
    if (isSeq(groups) && groups.items.length > 1) doc.setIn([...c, 'workerGroupSpecs', 1, 'groupName'], doc.getIn([...c, 'workerGroupSpecs', 0, 'groupName']))
    else doc.setIn([...c, 'workerGroupSpecs', 0, 'groupName'], '')
  },
  // a name that is not a DNS-1035 label: KubeRay's validation
  (doc) => doc.setIn(['metadata', 'name'], `Ray_Cluster.${doc.getIn(['metadata', 'name'])}`)
]
const KIND_MISTAKES = {
  RayCluster: [
    // unknown field (a typo) in the spec: schema
    (doc) => doc.setIn(['spec', 'enableInTreeAutoScaling'], true)
  ],
  RayService: [
    // an upgrade type KubeRay does not know: KubeRay's validation
    (doc) => doc.setIn(['spec', 'upgradeStrategy', 'type'], 'RollingUpdate'),
    // serveConfigV2 that is not YAML: KubeRay's validation
    (doc) => doc.setIn(['spec', 'serveConfigV2'], 'applications:\n  - name: [app\n')
  ],
  RayCronJob: [
    // not a cron schedule: KubeRay's validation
    (doc) => doc.setIn(['spec', 'schedule'], 'every 5 minutes'),
    // unknown field (a typo) in the job template: schema
    (doc) => {
      const value = doc.getIn(['spec', 'jobTemplate', 'shutdownAfterJobFinishes']) ?? true
      doc.deleteIn(['spec', 'jobTemplate', 'shutdownAfterJobFinishes'])
      doc.setIn(['spec', 'jobTemplate', 'shutdownAfterJobFinish'], value)
    }
  ]
}

/** One varied RayCluster, RayService or RayCronJob document from a seed. */
function varyOther(kind, seed, i, rnd) {
  const pick = (list) => list[Math.floor(rnd() * list.length)]
  const doc = seed.clone()
  const c = CLUSTER[kind]
  varyMetadata(doc, i, rnd, kind === 'RayService' ? 'serving' : 'pipelines')

  if (kind === 'RayService') {
    const upgrade = pick([undefined, undefined, 'NewCluster', 'None'])
    if (upgrade) doc.setIn(['spec', 'upgradeStrategy', 'type'], upgrade)
  }
  if (kind === 'RayCronJob') {
    doc.setIn(['spec', 'schedule'], pick(SCHEDULES))
    const zone = pick(TIME_ZONES)
    if (zone) doc.setIn(['spec', 'timeZone'], zone)
    if (rnd() < 0.1) doc.setIn(['spec', 'suspend'], true)
    const job = ['spec', 'jobTemplate']
    const shutdown = rnd() < 0.8
    doc.setIn([...job, 'shutdownAfterJobFinishes'], shutdown)
    if (shutdown && rnd() < 0.7) doc.setIn([...job, 'ttlSecondsAfterFinished'], pick([0, 60, 300, 600, 3600]))
    else doc.deleteIn([...job, 'ttlSecondsAfterFinished'])
    if (rnd() < 0.4) doc.setIn([...job, 'activeDeadlineSeconds'], pick([600, 1800, 7200]))
  }

  varyCluster(doc, c, rnd, { headLimits: 'where-set' })
  const faulty = rnd() < 0.1
  if (faulty) {
    const mistakes = [...CLUSTER_MISTAKES, ...KIND_MISTAKES[kind]]
    pick(mistakes)(doc, c)
  }
  return { text: doc.toString(), faulty }
}

/**
 * Writes `documents` documents to `dir`, `perFile` to a multi-document YAML file, the kinds in
 * turn by the weights of `mix` (e.g. { RayJob: 1, RayCluster: 1, RayService: 1, RayCronJob: 1 }).
 * @returns {{ files: string[], documents: number, faulty: number, bytes: number, seeds: string[], kinds: Record<string, number> }}
 */
export function generateMixed(dir, { documents = 5000, perFile = 100, seed = 20260702, mix = { RayJob: 1, RayCluster: 1, RayService: 1, RayCronJob: 1 } } = {}) {
  const kinds = KINDS.filter((k) => mix[k] > 0)
  const seeds = loadSeeds(kinds)
  // The turn of the kinds: each kind as often as its weight, spread out (RayJob, RayCluster, … , RayJob, …).
  const turn = []
  const most = Math.max(...kinds.map((k) => mix[k]))
  for (let w = 0; w < most; w++) for (const k of kinds) if (w < mix[k]) turn.push(k)
  const rnd = random(seed)
  const counts = Object.fromEntries(kinds.map((k) => [k, 0]))
  const corpus = writeCorpus(dir, { documents, perFile, prefix: 'kuberay' }, (i) => {
    const kind = turn[i % turn.length]
    const list = seeds[kind]
    const s = list[counts[kind]++ % list.length].doc
    return kind === 'RayJob' ? varyRayJob(s, i, rnd) : varyOther(kind, s, i, rnd)
  })
  const seedFiles = [...new Set(kinds.flatMap((k) => seeds[k].map((s) => s.file)))]
  return { ...corpus, seeds: seedFiles, kinds: counts }
}
