// npm run bench: a benchmark that prints figures (not a timed test).
//
//   npm run bench [-- --docs 5000 --per-file 100 --reps 5 --cold-runs 20 --out FILE --keep --no-build --baseline DIR]
//                 [-- --cases rayjob,mixed --mix RayJob=1,RayCluster=1,RayService=1,RayCronJob=1 --dist DIR]
//
// 1. Throughput, one case per corpus: "rayjob", N generated RayJob documents; "mixed", N generated
//    documents of the four kinds the linter checks (RayJob, RayCluster, RayService, RayCronJob, in
//    the proportions of --mix, in the same multi-document files). rayjob-action lints them the way a
//    user runs it, `node dist/cli/index.js lint <dir> --format json`, and through the action entry
//    (`node dist/index.js`, runner environment); kubeconform validates the same files against the
//    same CRD schemas (KubeRay v1.7.0's four CRDs converted as openapi2jsonschema does, -strict),
//    with its default concurrency and with -n 1. Interleaved rounds per case, medians.
// 2. Cold start: a one-file lint through `node dist/index.js` (and the CLI, for one sample of each
//    kind) against a bare `node -e 0`, interleaved, medians.
// 3. Peak memory (max RSS, from the kernel) of every run.
// Targets: docs/s at least kubeconform's; cold one-file lint within 3x `node -e 0` for the CLI and
// 6x for the action (it loads @actions/core); peak RSS under
// 200 MB. Prints a table with the load average next to it and writes it as Markdown (--out).
// --baseline DIR measures another dist/ in the same interleaved rounds, e.g. the last commit's
// (`mkdir /tmp/base && git archive HEAD dist | tar -x -C /tmp/base`, then --baseline /tmp/base/dist):
// before and after under the same load. --dist DIR measures that dist/ instead of the repository's
// (e.g. a copy taken while no bundle is being written; implies --no-build).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { generate } from './bench/generate.mjs'
import { KINDS, generateMixed, parseMix } from './bench/generate-mixed.mjs'
import { crdToJsonSchemas } from './bench/openapi2jsonschema.mjs'
import { CACHE_DIR, KUBECONFORM_VERSION, buildKubeconform, buildRunstat, goVersion, kubeconformVersion, makeMeasure } from './bench/tools.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BENCH = join(ROOT, 'scripts', 'bench')
/** KubeRay v1.7.0's CRDs, copied unchanged (see scripts/bench/kuberay/NOTICE): the schemas kubeconform gets. */
const CRDS = { RayJob: 'rayjobs-v1.7.0.yaml', RayCluster: 'rayclusters-v1.7.0.yaml', RayService: 'rayservices-v1.7.0.yaml', RayCronJob: 'raycronjobs-v1.7.0.yaml' }
const MANIFESTS = join(BENCH, 'kuberay', 'manifests')
const COLD_MANIFEST = join(MANIFESTS, 'ray-job.pytorch-mnist.yaml')
/** The one-file lints of the other kinds (the CLI only): one of KubeRay's samples of each. */
const COLD_OTHER = { RayCluster: 'ray-cluster.sample.yaml', RayService: 'ray-service.sample.yaml', RayCronJob: 'ray-cronjob.sample.yaml' }
/** A team that keeps RayCronJobs runs the operator with their (alpha) gate on, and tells the lint so. */
const FEATURE_GATES = 'RayCronJob=true'
const SCHEMA_LOCATION_TEMPLATE = '{{ .ResourceKind }}-{{ .Group }}-{{ .ResourceAPIVersion }}.json'

const TARGET_CLI_COLD_RATIO = 3
/** The action loads @actions/core (and its HTTP client) on every run: a wider bound than the CLI's. */
const TARGET_ACTION_COLD_RATIO = 6
const TARGET_RSS_MB = 200

const { values: opts } = parseArgs({
  options: {
    docs: { type: 'string', default: '5000' },
    'per-file': { type: 'string', default: '100' },
    reps: { type: 'string', default: '5' },
    'cold-runs': { type: 'string', default: '20' },
    out: { type: 'string', default: '/tmp/work/bench-figures.md' },
    keep: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    baseline: { type: 'string' },
    dist: { type: 'string' },
    cases: { type: 'string', default: 'rayjob,mixed' },
    mix: { type: 'string', default: 'RayJob=1,RayCluster=1,RayService=1,RayCronJob=1' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (opts.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'))
  process.exit(0)
}
const DOCS = Number(opts.docs)
const PER_FILE = Number(opts['per-file'])
const REPS = Number(opts.reps)
const COLD_RUNS = Number(opts['cold-runs'])
const MIX = parseMix(opts.mix)
const CASES = opts.cases.split(',').map((c) => c.trim()).filter(Boolean)
for (const c of CASES) if (c !== 'rayjob' && c !== 'mixed') throw new Error(`--cases: unknown case ${c} (rayjob, mixed)`)
if (CASES.length === 0) throw new Error('--cases: none')
const DIST = opts.dist ?? join(ROOT, 'dist')

const log = (...a) => console.error('[bench]', ...a)
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a')

// ---------------------------------------------------------------------------------------------
// Setup: Node, the bundle, the tools, the schema, the data.

const node = process.execPath
if (Number(process.versions.node.split('.')[0]) < 24) log(`warning: Node ${process.version}; the action runs on node24 (npm run bench puts node_modules/node first on PATH)`)
const loadAtStart = load()
log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadAtStart}`)

function newestMtime(dir, filter) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !filter(entry.name)) continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}
const bundleAge = () => Math.min(...[join(ROOT, 'dist', 'index.js'), join(ROOT, 'dist', 'cli', 'index.js')].map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)))
if (!opts.dist && bundleAge() < newestMtime(join(ROOT, 'src'), (n) => n.endsWith('.ts'))) {
  if (opts['no-build']) log('warning: dist/ is older than src/ (--no-build: measuring it anyway)')
  else {
    log('dist/ is older than src/: npm run bundle')
    const r = spawnSync('npm', ['run', '-s', 'bundle'], { cwd: ROOT, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('npm run bundle failed')
  }
}

const go = goVersion()
let runstat, kubeconform
if (go) {
  runstat = buildRunstat(log)
  kubeconform = buildKubeconform(log)
} else {
  log('warning: no Go toolchain: kubeconform is not measured, and times come from Node (peak RSS from /usr/bin/time if present)')
}
const measure = makeMeasure(runstat)

const work = mkdtempSync(join(tmpdir(), 'rayjob-action-bench-'))
process.on('exit', () => {
  if (opts.keep) log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
})
const out = join(work, 'out')
mkdirSync(out)

// The bundle as it is now, copied: a rebuild of dist/ during the bench must not change what is measured.
if (!existsSync(join(DIST, 'index.js')) || !existsSync(join(DIST, 'cli', 'index.js'))) throw new Error(`no ${DIST}/index.js and cli/index.js: run npm run bundle`)
cpSync(DIST, join(work, 'dist'), { recursive: true })
const ACTION = join(work, 'dist', 'index.js')
const CLI = join(work, 'dist', 'cli', 'index.js')
if (opts.baseline) {
  if (!existsSync(join(opts.baseline, 'index.js')) || !existsSync(join(opts.baseline, 'cli', 'index.js'))) throw new Error(`--baseline ${opts.baseline}: no index.js and cli/index.js there`)
  cpSync(opts.baseline, join(work, 'baseline'), { recursive: true })
}
/** The bundles measured: this dist/, and the baseline's if given. */
const bundles = [
  { suffix: '', label: '', action: ACTION, cli: CLI },
  ...(opts.baseline ? [{ suffix: '-base', label: ' [baseline]', action: join(work, 'baseline', 'index.js'), cli: join(work, 'baseline', 'cli', 'index.js') }] : [])
]

// kubeconform's schemas: KubeRay v1.7.0's four CRDs as openapi2jsonschema converts them (strict:
// unknown fields are rejected everywhere, also at the top level, as rayjob-action does). Every case
// gets the same schema directory.
const schemaDir = join(work, 'schemas')
mkdirSync(schemaDir)
const schemaFiles = Object.values(CRDS).flatMap((crd) => crdToJsonSchemas(parseYaml(readFileSync(join(BENCH, 'kuberay', crd), 'utf8')), { denyRootAdditionalProperties: true }))
for (const s of schemaFiles) writeFileSync(join(schemaDir, s.file), JSON.stringify(s.schema, null, 2))
log(`kubeconform schemas: ${schemaFiles.map((s) => s.file).join(', ')} from KubeRay v1.7.0's CRDs`)

// The documents: generated once per (generator, seeds, size, mix) and kept in the cache (generating takes a while).
function dataset(name, generators, params, make) {
  const key = createHash('sha256')
  key.update(JSON.stringify(params))
  for (const f of [...generators.map((g) => join(BENCH, g)), ...readdirSync(MANIFESTS).sort().map((f) => join(MANIFESTS, f))]) key.update(readFileSync(f))
  const dir = join(CACHE_DIR, `${name}-${key.digest('hex').slice(0, 12)}`)
  const marker = join(dir, 'COMPLETE')
  let data
  if (existsSync(marker)) {
    data = JSON.parse(readFileSync(marker, 'utf8'))
    log(`documents: ${dir} (cached)`)
  } else {
    rmSync(dir, { recursive: true, force: true })
    log(`generating ${params.DOCS} documents → ${dir}`)
    data = make(dir)
    writeFileSync(marker, JSON.stringify(data)) // no .yaml/.yml/.json extension: neither tool reads it
  }
  data.mb = data.bytes / 1024 / 1024
  data.kinds ??= { RayJob: data.documents }
  log(`${data.documents} documents (${kindList(data.kinds)}; ${data.faulty} with a planted mistake) in ${data.files.length} files, ${fmt(data.mb, 1)} MB`)
  return { dir, data }
}
const kindList = (kinds) => KINDS.filter((k) => kinds[k]).map((k) => `${fmt(kinds[k])} ${k}`).join(', ')
const mixText = KINDS.filter((k) => MIX[k]).map((k) => `${k} ${MIX[k]}`).join(' : ')

/** The corpora: each a throughput table of its own. */
const cases = CASES.map((id) =>
  id === 'rayjob'
    ? {
        id,
        title: `${fmt(DOCS)} RayJob documents`,
        ...dataset('data', ['generate.mjs'], { DOCS, PER_FILE }, (dir) => generate(dir, { documents: DOCS, perFile: PER_FILE }))
      }
    : {
        id,
        title: `${fmt(DOCS)} documents of four kinds (mix ${mixText})`,
        ...dataset('mixed', ['generate.mjs', 'generate-mixed.mjs'], { DOCS, PER_FILE, MIX }, (dir) => generateMixed(dir, { documents: DOCS, perFile: PER_FILE, mix: MIX }))
      }
)

// The runner's environment for the action: every input at its action.yml default, as the runner sets them.
const actionYml = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
function actionEnv(workspace, inputs) {
  const env = { ...process.env, GITHUB_ACTIONS: 'true', CI: 'true', RUNNER_TEMP: work, GITHUB_WORKSPACE: workspace }
  for (const [name, input] of Object.entries(actionYml.inputs ?? {})) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(input.default ?? '')
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  env.GITHUB_OUTPUT = join(out, 'github-output')
  env.GITHUB_STEP_SUMMARY = join(out, 'step-summary.md')
  return env
}
const resetActionFiles = () => {
  writeFileSync(join(out, 'github-output'), '')
  writeFileSync(join(out, 'step-summary.md'), '')
}

// The one-file workspace for the cold start: one of KubeRay's samples of each kind, clean.
const coldDir = join(work, 'cold')
mkdirSync(coldDir)
cpSync(COLD_MANIFEST, join(coldDir, 'rayjob.yaml'))
for (const [kind, file] of Object.entries(COLD_OTHER)) cpSync(join(MANIFESTS, file), join(coldDir, `${kind.toLowerCase()}.yaml`))

// ---------------------------------------------------------------------------------------------
// The runs.

const kcArgs = (n, target) => ['-strict', '-summary', '-output', 'json', '-schema-location', join(schemaDir, SCHEMA_LOCATION_TEMPLATE), ...(n ? ['-n', String(n)] : []), target]
const envPlain = { ...process.env }

/** Each: a name, what to run, and how to check its output says it saw every document (of every kind). */
function throughputTasks(c) {
  const dir = c.dir
  const file = (name) => join(out, `${c.id}-${name}`)
  const tasks = bundles.flatMap(({ suffix, label, action, cli }) => [
    {
      id: `cli${suffix}`,
      tool: `rayjob-action CLI${label}`,
      command: `node dist/cli/index.js lint <dir> --format json`,
      run: () => measure(node, [cli, 'lint', '.', '--format', 'json', '--feature-gates', FEATURE_GATES], { cwd: dir, env: envPlain, stdout: file(`cli${suffix}.json`), stderr: file(`cli${suffix}.err`) }),
      docs: () => {
        const r = JSON.parse(readFileSync(file(`cli${suffix}.json`), 'utf8'))
        // Per kind too, where the report has it: each kind must have been recognised as generated.
        if (r.kinds && KINDS.some((k) => (r.kinds[k] ?? 0) !== (c.data.kinds[k] ?? 0))) return `${r.manifests} (${kindList(r.kinds)}, not ${kindList(c.data.kinds)})`
        return r.manifests
      },
      findings: () => {
        const r = JSON.parse(readFileSync(file(`cli${suffix}.json`), 'utf8'))
        return `${r.errors} errors, ${r.warnings} warnings`
      }
    },
    {
      id: `action${suffix}`,
      tool: `rayjob-action (action entry)${label}`,
      command: 'node dist/index.js (INPUT_MANIFESTS=**/*.yaml)',
      run: () => {
        resetActionFiles()
        return measure(node, [action], { cwd: dir, env: actionEnv(dir, { command: 'lint', manifests: '**/*.yaml', 'feature-gates': FEATURE_GATES }), stdout: file(`action${suffix}.out`), stderr: file(`action${suffix}.err`) })
      },
      docs: () => Number(readFileSync(join(out, 'github-output'), 'utf8').match(/^manifests<<(\S+)\n(\d+)\n/m)?.[2] ?? readFileSync(join(out, 'github-output'), 'utf8').match(/^manifests=(\d+)/m)?.[1]),
      findings: () => `${readFileSync(file(`action${suffix}.out`), 'utf8').split('\n').filter((l) => l.startsWith('::error') || l.startsWith('::warning')).length} annotations`
    }
  ])
  if (kubeconform) {
    const kcDocs = (name) => () => {
      const s = JSON.parse(readFileSync(file(name), 'utf8')).summary
      return s.valid + s.invalid + s.errors + s.skipped
    }
    const kcFindings = (name) => () => {
      const s = JSON.parse(readFileSync(file(name), 'utf8')).summary
      return `${s.invalid} invalid, ${s.errors} errors, ${s.skipped} skipped`
    }
    tasks.push(
      {
        id: 'kc',
        tool: 'kubeconform (-n 4, default)',
        command: 'kubeconform -strict -summary -output json -schema-location … <dir>',
        run: () => measure(kubeconform, kcArgs(undefined, '.'), { cwd: dir, env: envPlain, stdout: file('kc.json'), stderr: file('kc.err') }),
        docs: kcDocs('kc.json'),
        findings: kcFindings('kc.json')
      },
      {
        id: 'kc1',
        tool: 'kubeconform (-n 1)',
        command: 'kubeconform … -n 1 <dir>',
        run: () => measure(kubeconform, kcArgs(1, '.'), { cwd: dir, env: envPlain, stdout: file('kc1.json'), stderr: file('kc1.err') }),
        docs: kcDocs('kc1.json'),
        findings: kcFindings('kc1.json')
      }
    )
  }
  for (const t of tasks) t.expect = c.data.documents
  return tasks
}
for (const c of cases) c.tasks = throughputTasks(c)

const cold = [
  { id: 'node', tool: 'node -e 0', run: () => measure(node, ['-e', '0'], { cwd: coldDir, env: actionEnv(coldDir, { command: 'lint', manifests: 'rayjob.yaml' }) }) },
  ...bundles.flatMap(({ suffix, label, action, cli }) => [
    {
      id: `action1${suffix}`,
      tool: `rayjob-action, action entry: node dist/index.js${label}`,
      run: () => {
        resetActionFiles()
        return measure(node, [action], { cwd: coldDir, env: actionEnv(coldDir, { command: 'lint', manifests: 'rayjob.yaml' }), stdout: join(out, `action1${suffix}.out`), stderr: join(out, `action1${suffix}.err`) })
      },
      check: () => /^manifests(=1|<<\S+\n1\n)/m.test(readFileSync(join(out, 'github-output'), 'utf8'))
    },
    {
      id: `cli1${suffix}`,
      tool: `rayjob-action CLI: node dist/cli/index.js lint rayjob.yaml${label}`,
      run: () => measure(node, [cli, 'lint', 'rayjob.yaml'], { cwd: coldDir, env: envPlain, stdout: join(out, `cli1${suffix}.out`), stderr: join(out, `cli1${suffix}.err`) }),
      check: () => /^1 RayJob manifest/m.test(readFileSync(join(out, `cli1${suffix}.err`), 'utf8'))
    },
    ...Object.entries(COLD_OTHER).map(([kind, sample]) => {
      const name = `${kind.toLowerCase()}.yaml`
      const id = `cli1-${kind}${suffix}`
      return {
        id,
        kind,
        tool: `rayjob-action CLI: node dist/cli/index.js lint ${name} --feature-gates ${FEATURE_GATES} (${sample})${label}`,
        run: () => measure(node, [cli, 'lint', name, '--feature-gates', FEATURE_GATES], { cwd: coldDir, env: envPlain, stdout: join(out, `${id}.out`), stderr: join(out, `${id}.err`) }),
        check: () => new RegExp(`^1 KubeRay manifest\\(s\\) \\(1 ${kind}\\)`, 'm').test(readFileSync(join(out, `${id}.err`), 'utf8'))
      }
    })
  ])
]
if (kubeconform) {
  cold.push({
    id: 'kc1file',
    tool: 'kubeconform -strict, one file (rayjob.yaml)',
    run: () => measure(kubeconform, kcArgs(undefined, 'rayjob.yaml'), { cwd: coldDir, env: envPlain, stdout: join(out, 'kc1file.json') }),
    check: () => JSON.parse(readFileSync(join(out, 'kc1file.json'), 'utf8')).summary.valid === 1
  })
}

/** Runs every task `rounds` times, the order rotated each round so no tool always goes first. */
function interleave(tasks, rounds, label) {
  const results = Object.fromEntries(tasks.map((t) => [t.id, []]))
  const loads = []
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[(round + i) % tasks.length]
      const result = task.run()
      verify(task, result)
      results[task.id].push(result)
    }
    loads.push(loadavg()[0])
    if (label) log(`${label} round ${round + 1}/${rounds} done, load ${load()}`)
  }
  return { results, loads }
}

/** Every run must have seen every document (and end as the first run did): a broken run is no figure. */
function verify(task, result) {
  if (task.docs) {
    const docs = task.docs()
    if (docs !== task.expect) throw new Error(`${task.tool} reported ${docs} documents, not ${task.expect} (exit ${result.exit}); see ${out} (--keep keeps it)`)
    task.exit ??= result.exit
    if (result.exit !== task.exit) throw new Error(`${task.tool} exited ${result.exit}, before ${task.exit}; see ${out}`)
  }
  if (task.check && !task.check()) throw new Error(`${task.tool}: the one-file lint did not check the manifest (exit ${result.exit}); see ${out}`)
}

// Warm-up (page cache, lazy compilation caches) and checks that each tool saw every document.
log('warm-up and checks')
for (const c of cases) {
  for (const t of c.tasks) {
    const r = t.run()
    verify(t, r)
    t.seen = t.docs()
    t.summary = t.findings()
    log(`  [${c.id}] ${t.tool}: ${t.seen} documents (${t.summary}), exit ${r.exit}, ${fmt(r.wallMs)} ms`)
  }
}
for (const t of cold) verify(t, t.run())

for (const c of cases) {
  c.loadBefore = load()
  log(`throughput [${c.id}]: ${REPS} interleaved rounds of ${c.tasks.length} tools over ${c.data.documents} documents (load ${c.loadBefore})`)
  c.tp = interleave(c.tasks, REPS, `throughput [${c.id}]`)
}
const loadBeforeCold = load()
log(`cold start: ${COLD_RUNS} interleaved rounds (load ${loadBeforeCold})`)
const cs = interleave(cold, COLD_RUNS)
const loadAtEnd = load()

// ---------------------------------------------------------------------------------------------
// Figures.

const byId = (list, id) => list.find((r) => r.id === id)
for (const c of cases) {
  c.rows = c.tasks.map((t) => {
    const runs = c.tp.results[t.id]
    const wall = median(runs.map((r) => r.wallMs))
    return {
      tool: t.tool,
      id: t.id,
      docs: t.seen,
      wallMs: wall,
      wallMin: Math.min(...runs.map((r) => r.wallMs)),
      wallMax: Math.max(...runs.map((r) => r.wallMs)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      docsPerSec: t.seen / (wall / 1000),
      mbPerSec: c.data.mb / (wall / 1000),
      rssMb: Math.max(...runs.map((r) => r.maxRssMb)),
      summary: t.summary
    }
  })
  c.cli = byId(c.rows, 'cli')
  c.action = byId(c.rows, 'action')
  c.kc = byId(c.rows, 'kc')
}
const coldRows = cold.map((t) => {
  const runs = cs.results[t.id]
  return { tool: t.tool, id: t.id, kind: t.kind, wallMs: median(runs.map((r) => r.wallMs)), wallMin: Math.min(...runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMb: Math.max(...runs.map((r) => r.maxRssMb)) }
})
const nodeCold = byId(coldRows, 'node')
const actionCold = byId(coldRows, 'action1')
const cliCold = byId(coldRows, 'cli1')
const cliColdOther = Object.keys(COLD_OTHER).map((kind) => byId(coldRows, `cli1-${kind}`))
const cliColdSlowest = [cliCold, ...cliColdOther].reduce((a, b) => (b.wallMs > a.wallMs ? b : a))

const verdict = (ok) => (ok === 'info' ? '–' : ok === undefined ? 'n/a' : ok ? 'PASS' : 'FAIL')
const targets = [
  ...cases.flatMap(({ id, data, cli, action, kc }) => [
    {
      target: `[${id}] throughput: rayjob-action docs/s ≥ kubeconform docs/s (default -n, same files, same CRD schemas)`,
      figure: kc ? `${fmt(cli.docsPerSec)} vs ${fmt(kc.docsPerSec)} docs/s (×${fmt(cli.docsPerSec / kc.docsPerSec, 2)})` : 'kubeconform not measured (no Go)',
      ok: kc ? cli.docsPerSec >= kc.docsPerSec : undefined
    },
    ...(kc
      ? [
          {
            target: `[${id}] for reference, not a target: documents per CPU-second (less sensitive to the load)`,
            figure: `${fmt(cli.docs / (cli.cpuMs / 1000))} vs ${fmt(kc.docs / (kc.cpuMs / 1000))} (×${fmt(kc.cpuMs / cli.cpuMs, 2)})`,
            ok: 'info'
          }
        ]
      : []),
    {
      target: `[${id}] peak memory (max RSS) < ${TARGET_RSS_MB} MB linting ${data.documents} documents`,
      figure: `CLI ${fmt(cli.rssMb)} MB, action ${fmt(action.rssMb)} MB`,
      ok: Math.max(cli.rssMb, action.rssMb) < TARGET_RSS_MB
    }
  ]),
  {
    target: `cold one-file lint, the CLI (node dist/cli/index.js, rayjob.yaml) ≤ ${TARGET_CLI_COLD_RATIO}× node -e 0`,
    figure: `${fmt(cliCold.wallMs)} ms vs ${fmt(nodeCold.wallMs)} ms (×${fmt(cliCold.wallMs / nodeCold.wallMs, 2)})`,
    ok: cliCold.wallMs <= TARGET_CLI_COLD_RATIO * nodeCold.wallMs
  },
  {
    target: `cold one-file lint, the CLI, the slowest of the four kinds ≤ ${TARGET_CLI_COLD_RATIO}× node -e 0`,
    figure: `${cliColdSlowest.kind ?? 'RayJob'}: ${fmt(cliColdSlowest.wallMs)} ms vs ${fmt(nodeCold.wallMs)} ms (×${fmt(cliColdSlowest.wallMs / nodeCold.wallMs, 2)})`,
    ok: cliColdSlowest.wallMs <= TARGET_CLI_COLD_RATIO * nodeCold.wallMs
  },
  {
    target: `cold one-file lint, the action (node dist/index.js) ≤ ${TARGET_ACTION_COLD_RATIO}× node -e 0`,
    figure: `${fmt(actionCold.wallMs)} ms vs ${fmt(nodeCold.wallMs)} ms (×${fmt(actionCold.wallMs / nodeCold.wallMs, 2)})`,
    ok: actionCold.wallMs <= TARGET_ACTION_COLD_RATIO * nodeCold.wallMs
  }
]

const kcVersion = kubeconform ? kubeconformVersion(kubeconform) : 'not measured'
const md = []
md.push(`# rayjob-action benchmark`)
md.push('')
md.push(`Command: \`${process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench'}\` (scripts/bench.mjs), ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`)
md.push('')
md.push(`Machine: ${cpus().length} × ${cpus()[0]?.model?.trim() ?? '?'}; Node ${process.version}; kubeconform ${kcVersion}.`)
md.push(`Load average (1/5/15 min): ${loadAtStart} at start, ${cases.map((c) => `${c.loadBefore} before the ${c.id} throughput rounds`).join(', ')}, ${loadBeforeCold} before the cold-start rounds, ${loadAtEnd} at the end (1-min load after each throughput round: ${cases.map((c) => `${c.id} ${c.tp.loads.map((l) => l.toFixed(2)).join(', ')}`).join('; ')}).`)
md.push('')
md.push('## Throughput per corpus')
md.push('')
md.push('| corpus | docs | MB | rayjob-action CLI docs/s (MB/s) | action entry docs/s | kubeconform -n 4 docs/s (MB/s) | × kubeconform | CLI peak RSS |')
md.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const c of cases) {
  md.push(
    `| ${c.id}: ${kindList(c.data.kinds)} | ${c.data.documents} | ${fmt(c.data.mb, 1)} | ${fmt(c.cli.docsPerSec)} (${fmt(c.cli.mbPerSec, 1)}) | ${fmt(c.action.docsPerSec)} | ${c.kc ? `${fmt(c.kc.docsPerSec)} (${fmt(c.kc.mbPerSec, 1)})` : 'n/a'} | ${c.kc ? fmt(c.cli.docsPerSec / c.kc.docsPerSec, 2) : 'n/a'} | ${fmt(c.cli.rssMb)} MB |`
  )
}
for (const c of cases) {
  md.push('')
  md.push(`## Throughput: ${c.title}`)
  md.push('')
  md.push(`${c.data.documents} generated documents (${kindList(c.data.kinds)}; ${c.data.faulty} with a planted mistake) in ${c.data.files.length} multi-document files, ${fmt(c.data.mb, 1)} MB, seeded from KubeRay's samples (${c.data.seeds.join(', ')}). ${REPS} interleaved rounds; median wall time; CPU is user + system time of the process and its threads (docs per CPU-second depends less on the load than wall time); peak RSS is the largest of the rounds.${opts.baseline ? ` Rows marked [baseline] run ${opts.baseline} in the same rounds.` : ''}`)
  md.push('')
  md.push('| tool | docs | wall median (min–max) | docs/s (wall) | MB/s | CPU median | docs per CPU-s | peak RSS | result |')
  md.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
  for (const r of c.rows) md.push(`| ${r.tool} | ${r.docs} | ${fmt(r.wallMs)} ms (${fmt(r.wallMin)}–${fmt(r.wallMax)}) | ${fmt(r.docsPerSec)} | ${fmt(r.mbPerSec, 1)} | ${fmt(r.cpuMs)} ms | ${fmt(r.docs / (r.cpuMs / 1000))} | ${fmt(r.rssMb)} MB | ${r.summary} |`)
}
md.push('')
md.push(`## Cold start: one file (${relative(ROOT, COLD_MANIFEST)}; the CLI also ${Object.values(COLD_OTHER).join(', ')})`)
md.push('')
md.push(`${COLD_RUNS} interleaved rounds; the action runs with the environment the runner gives it (every input at its default, INPUT_COMMAND=lint, INPUT_MANIFESTS=rayjob.yaml, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).${opts.baseline ? ` Rows marked [baseline] run ${opts.baseline} in the same rounds; the targets are this dist/'s.` : ''}`)
md.push('')
md.push('| run | wall median | wall min | CPU median | × node -e 0 | peak RSS |')
md.push('| --- | ---: | ---: | ---: | ---: | ---: |')
for (const r of coldRows) md.push(`| ${r.tool} | ${fmt(r.wallMs, 1)} ms | ${fmt(r.wallMin, 1)} ms | ${fmt(r.cpuMs, 1)} ms | ${fmt(r.wallMs / nodeCold.wallMs, 2)} | ${fmt(r.rssMb)} MB |`)
md.push('')
md.push('## Targets')
md.push('')
md.push('| target | figure | verdict |')
md.push('| --- | --- | --- |')
for (const t of targets) md.push(`| ${t.target} | ${t.figure} | ${verdict(t.ok)} |`)
md.push('')
md.push('## How')
md.push('')
md.push(`- rayjob-action: \`node dist/cli/index.js lint . --format json\` in the data directory (findings to a file), and \`node dist/index.js\` with INPUT_MANIFESTS=\`**/*.yaml\` (annotations on stdout, job summary, outputs). It reads every document (the fast reader; \`yaml\` only where that reader leaves a document to it; positions only for findings), checks KubeRay ${'1.7.0'}'s CRD schema of the document's kind (types, enums, required, CEL, defaults) and KubeRay's and the stuck-job rules.`)
if (kubeconform) {
  md.push(`- kubeconform ${kcVersion}, built by the bench with \`go install ${'github.com/yannh/kubeconform/cmd/kubeconform'}@${KUBECONFORM_VERSION}\` from the Go module proxy: \`kubeconform -strict -summary -output json -schema-location '<dir>/${SCHEMA_LOCATION_TEMPLATE}' .\`, default concurrency (-n 4) and -n 1. Its schemas are KubeRay v1.7.0's RayJob, RayCluster, RayService and RayCronJob CRDs (scripts/bench/kuberay) converted in the bench as kubeconform's openapi2jsonschema.py does (additionalProperties: false on every object with properties, the top level too as with DENY_ROOT_ADDITIONAL_PROPERTIES; files ${schemaFiles.map((s) => s.file).join(', ')}); it checks structure and types only.`)
}
md.push(`- Times: ${runstat ? 'runstat (scripts/bench/runstat, Go): wall time from fork to exit, CPU time and peak RSS from the kernel (wait4 rusage)' : 'Node hrtime around spawnSync; peak RSS from /usr/bin/time'}. The machine is shared: read the figures with the load average above.`)
md.push('')
const markdown = md.join('\n')

console.log(markdown)
if (opts.out) {
  mkdirSync(dirname(opts.out), { recursive: true })
  writeFileSync(opts.out, `${markdown}\n`)
  log(`written to ${opts.out}`)
}
