// The bench's tools: kubeconform (a pinned release, built from the Go module proxy) and runstat (a
// tiny Go program that times a command and reads its peak RSS from the kernel), both built once and
// cached under ~/.cache/rayjob-action-bench/.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const KUBECONFORM_MODULE = 'github.com/yannh/kubeconform'
/** The newest kubeconform release on the Go module proxy when the bench was written (`go list -m -versions`). */
export const KUBECONFORM_VERSION = 'v0.8.0'

export const CACHE_DIR = process.env.RAYJOB_ACTION_BENCH_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rayjob-action-bench')

const RUNSTAT_SOURCE = fileURLToPath(new URL('./runstat/main.go', import.meta.url))

function goEnv(extra = {}) {
  // The toolchain on the machine, never a download; a module cache the bench can clean up.
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-modcacherw', CGO_ENABLED: '0', ...extra }
}

export function goVersion() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv() })
  return r.status === 0 ? r.stdout.trim() : undefined
}

function run(command, args, options, what) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options })
  if (r.status !== 0) throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr ?? ''}`)
  return r.stdout
}

/** runstat, built from scripts/bench/runstat/main.go (standard library only: no download). */
export function buildRunstat(log) {
  const hash = createHash('sha256').update(readFileSync(RUNSTAT_SOURCE)).digest('hex').slice(0, 12)
  const binary = join(CACHE_DIR, `runstat-${hash}`)
  if (existsSync(binary)) return binary
  mkdirSync(CACHE_DIR, { recursive: true })
  log(`building runstat → ${binary}`)
  run('go', ['build', '-o', binary, RUNSTAT_SOURCE], { env: goEnv(), cwd: CACHE_DIR }, 'go build runstat')
  return binary
}

/**
 * kubeconform KUBECONFORM_VERSION, installed with `go install` from the Go module proxy the first
 * time (like its release binaries: CGO off, stripped, version stamped).
 */
export function buildKubeconform(log) {
  const dir = join(CACHE_DIR, `kubeconform-${KUBECONFORM_VERSION}`)
  const binary = join(dir, 'kubeconform')
  if (existsSync(binary)) return binary
  mkdirSync(dir, { recursive: true })
  log(`building kubeconform ${KUBECONFORM_VERSION} from the Go module proxy → ${binary} (once; about a minute)`)
  run(
    'go',
    ['install', `-ldflags=-s -w -X main.version=${KUBECONFORM_VERSION}`, `${KUBECONFORM_MODULE}/cmd/kubeconform@${KUBECONFORM_VERSION}`],
    { env: goEnv({ GOBIN: dir }), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    `go install ${KUBECONFORM_MODULE}@${KUBECONFORM_VERSION}`
  )
  return binary
}

/** "v0.8.0 (go1.26.8)" from the binary's build information. */
export function kubeconformVersion(binary) {
  const r = spawnSync('go', ['version', '-m', binary], { encoding: 'utf8', env: goEnv() })
  const go = r.stdout?.match(/:\s*(go[\d.]+)/)?.[1]
  const mod = r.stdout?.match(/\bmod\s+\S+\s+(v\S+)/)?.[1]
  const stamped = spawnSync(binary, ['-v'], { encoding: 'utf8' }).stdout?.trim()
  return `${mod ?? stamped ?? '?'}${go ? ` (${go})` : ''}`
}

/**
 * Times one command. With runstat: wall time from fork to exit and the kernel's rusage (peak RSS,
 * CPU). Without (no Go on the machine): wall time from here, peak RSS from /usr/bin/time if present.
 */
export function makeMeasure(runstat) {
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
  return function measure(command, args, { cwd, env, stdout, stderr }) {
    if (runstat) {
      const r = spawnSync(runstat, ['-stdout', stdout ?? '', '-stderr', stderr ?? '', '--', command, ...args], { cwd, env, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`runstat ${command} failed: ${r.stderr}`)
      const m = JSON.parse(r.stdout)
      return { wallMs: m.wallNs / 1e6, cpuMs: (m.userNs + m.sysNs) / 1e6, maxRssMb: m.maxRssKb / 1024, exit: m.exit }
    }
    const rssFile = join(tmpdir(), `rayjob-action-bench-rss-${process.pid}`)
    const argv = gnuTime ? [gnuTime, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args]
    const fds = [stdout, stderr].map((path) => (path ? openSync(path, 'w') : 'ignore'))
    try {
      const start = process.hrtime.bigint()
      const r = spawnSync(argv[0], argv[1], { cwd, env, stdio: ['ignore', ...fds] })
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6
      const maxRssMb = gnuTime && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN
      rmSync(rssFile, { force: true })
      return { wallMs, cpuMs: NaN, maxRssMb, exit: r.status ?? -1 }
    } finally {
      fds.forEach((fd) => typeof fd === 'number' && closeSync(fd))
    }
  }
}
