// RayCluster, RayService and RayCronJob against the real KubeRay operator: what the lint passes the
// operator accepts, and what the lint fails with a KubeRay rule the operator refuses with the same
// message.
//
// For each kind:
// - a small manifest from fixtures/kinds/ and the user-facing example (examples/kinds/raycluster.yaml,
//   rayservice.yaml, raycronjob.yaml, applied as they are) lint without an error, and the operator
//   acts on them without a Warning event of an Invalid… reason: RayCluster → its head Pod;
//   RayService → the RayCluster it creates for it (and that cluster's head Pod; the stack's Ray head
//   has no Serve dependencies, so the Serve applications never become ready, and nothing is deployed
//   on the shared head); RayCronJob with schedule "* * * * *" → the RayJob it creates on the next
//   minute (label ray.io/cronjob-name) and status.lastScheduleTime. The RayCronJob example runs at
//   02:30 Berlin time, so the test sets its spec.suspend to true afterwards and waits for the
//   operator's Normal SuspendedRayCronJob event, which the controller sends only after
//   ValidateRayCronJobSpec passed on that (otherwise unchanged) spec;
// - a manifest the API server stores but KubeRay's validation refuses: the lint reports it with a
//   finding marked kuberayReports, and the operator's Warning event (reason Invalid…) contains that
//   finding's message (the controllers wrap it: "The RayCluster spec is invalid <ns>/<name>: <err>",
//   RayService and RayCronJob "<ns>/<name>: <err>").
//
// The RayCronJob controller runs only with the operator's RayCronJob feature gate, which up.sh turns
// on by default (test/stack/README.md). Everything is created in one namespace, deleted at the end.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CoreV1Api, CustomObjectsApi, type CoreV1Event } from '@kubernetes/client-node'
import { parse } from 'yaml'

import { lintText } from '../../src/lint/lint.js'
import type { Finding } from '../../src/lint/findings.js'
import { parseFeatureGates, type KubeRayVersion } from '../../src/lint/versions.js'
import { createTestNamespace, diagnose, isNotFound, sleep, stackInfo, waitFor, type TestNamespace } from './stack.js'

const ROOT = join(import.meta.dirname, '..', '..')
const FIXTURES = join(import.meta.dirname, 'fixtures', 'kinds')

// A RayCronJob with "* * * * *" fires at the next minute boundary: at most 60 s after its creation.
const ACCEPT_TIMEOUT_MS = 100_000
const REFUSE_TIMEOUT_MS = 60_000
// After the positive evidence: how long an Invalid… event still gets to show up (it would come
// from the same reconcile, before the evidence, so this is a margin only).
const SETTLE_MS = 3_000
const TEST_TIMEOUT_MS = ACCEPT_TIMEOUT_MS + 60_000

type Kind = 'RayCluster' | 'RayService' | 'RayCronJob'
type Plural = 'rayclusters' | 'rayservices' | 'raycronjobs'

/** The Warning reasons of KubeRay's validation (utils/constant.go: K8sEventType). */
const INVALID_REASONS: Record<Kind, string[]> = {
  RayCluster: ['InvalidRayClusterMetadata', 'InvalidRayClusterSpec'],
  RayService: ['InvalidRayServiceMetadata', 'InvalidRayServiceSpec'],
  RayCronJob: ['InvalidRayCronJobSpec']
}

interface KindCase {
  kind: Kind
  plural: Plural
  good: string
  example: string
  bad: string
  /** The reason of the bad manifest's event, and a part of its message that does not depend on the lint. */
  badReason: string
  badMessage: string
}

const CASES: KindCase[] = [
  {
    kind: 'RayCluster',
    plural: 'rayclusters',
    good: 'raycluster-good.yaml',
    example: 'raycluster.yaml',
    bad: 'raycluster-bad.yaml',
    badReason: 'InvalidRayClusterSpec',
    badMessage: 'resource fields should not be set in both rayStartParams and Resources for Head group; please use only one'
  },
  {
    kind: 'RayService',
    plural: 'rayservices',
    good: 'rayservice-good.yaml',
    example: 'rayservice.yaml',
    bad: 'rayservice-bad.yaml',
    badReason: 'InvalidRayServiceMetadata',
    badMessage: 'annotation ray.io/initializing-timeout must be a positive duration, got: -5m'
  },
  {
    kind: 'RayCronJob',
    plural: 'raycronjobs',
    good: 'raycronjob-good.yaml',
    example: 'raycronjob.yaml',
    bad: 'raycronjob-bad.yaml',
    badReason: 'InvalidRayCronJobSpec',
    badMessage: 'invalid cron schedule: '
  }
]

interface Source {
  /** Path shown in messages (repository-relative). */
  file: string
  text: string
  body: { apiVersion: string; kind: string; metadata: { name: string; [k: string]: unknown }; spec: Record<string, unknown> }
}

function load(dir: 'fixture' | 'example', file: string): Source {
  const path = dir === 'fixture' ? join(FIXTURES, file) : join(ROOT, 'examples', 'kinds', file)
  const text = readFileSync(path, 'utf8')
  return { file: path.slice(ROOT.length + 1), text, body: parse(text) as Source['body'] }
}

/** The stack operator's release and feature gates (stack.json). */
function stackOperator(): { kuberayVersion: KubeRayVersion; featureGates: Readonly<Record<string, boolean>>; flag: string } {
  const info = stackInfo() as ReturnType<typeof stackInfo> & { kuberayFeatureGates?: string }
  const kuberayVersion = info.kuberayVersion as KubeRayVersion
  const flag = info.kuberayFeatureGates ?? ''
  const { gates, errors } = parseFeatureGates(flag, kuberayVersion)
  if (errors.length > 0) throw new Error(`stack.json's kuberayFeatureGates: ${errors.join('; ')}`)
  return { kuberayVersion, featureGates: gates, flag }
}

/** The lint as the stack's operator is configured: its release and its feature gates. */
function lintResult(src: Source): { findings: Finding[]; kinds?: Partial<Record<Kind, number>> } {
  const { kuberayVersion, featureGates } = stackOperator()
  return lintText(src.file, src.text, { kuberayVersion, featureGates })
}
const lint = (src: Source): Finding[] => lintResult(src).findings

/** No error, and (where the result counts documents by kind) the document was linted as its kind. */
function expectLintClean(src: Source): void {
  const result = lintResult(src)
  const kind = src.body.kind as Kind
  expect({ file: src.file, errors: errorsOf(result.findings), linted: result.kinds ? result.kinds[kind] : 1 }).toEqual({
    file: src.file,
    errors: [],
    linted: 1
  })
}

/** RayCronJobs are reconciled only with the RayCronJob gate, which up.sh turns on unless told otherwise. */
function requireGateFor(kind: Kind): void {
  const { kuberayVersion, featureGates, flag } = stackOperator()
  if (kind === 'RayCronJob' && !featureGates.RayCronJob) {
    throw new Error(
      `the stack's KubeRay ${kuberayVersion} operator runs with --feature-gates='${flag}', without RayCronJob=true, so ` +
        'it does not reconcile RayCronJobs: restart the stack without RAYJOB_STACK_KUBERAY_FEATURE_GATES (bash test/stack/down.sh; ' +
        'bash test/stack/up.sh), see test/stack/README.md'
    )
  }
}

/** The fields of ray.io objects the test reads. */
interface RayObject {
  metadata: { name: string; [k: string]: unknown }
  spec: Record<string, unknown>
  status?: {
    /** RayCronJob */
    lastScheduleTime?: string
    /** RayService */
    pendingServiceStatus?: { rayClusterName?: string }
    activeServiceStatus?: { rayClusterName?: string }
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>
  }
}

const errorsOf = (findings: Finding[]): Finding[] => findings.filter((f) => f.severity === 'error')

describe('RayCluster, RayService and RayCronJob: the lint and the real KubeRay operator agree', () => {
  let ns: TestNamespace
  let core: CoreV1Api
  let custom: CustomObjectsApi
  const timings: string[] = []
  /** When the test created each object (by name), for the timings. */
  const createdAt = new Map<string, number>()

  const secondsSince = (t: number): string => `${((Date.now() - t) / 1000).toFixed(1)} s`

  async function create(plural: Plural, src: Source): Promise<void> {
    await custom.createNamespacedCustomObject({ group: 'ray.io', version: 'v1', namespace: ns.name, plural, body: src.body })
    createdAt.set(src.body.metadata.name, Date.now())
  }

  async function getObject(plural: Plural, name: string): Promise<RayObject | undefined> {
    try {
      return (await custom.getNamespacedCustomObject({ group: 'ray.io', version: 'v1', namespace: ns.name, plural, name })) as RayObject
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw err
    }
  }

  async function eventsOf(kind: string, name: string): Promise<CoreV1Event[]> {
    const list = await core.listNamespacedEvent({
      namespace: ns.name,
      fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`
    })
    return list.items
  }

  const describeEvents = (events: CoreV1Event[]): string =>
    events.map((e) => `${e.type} ${e.reason}: ${e.message}`).join('\n') || '(no events)'

  async function invalidEvents(kind: Kind, name: string): Promise<CoreV1Event[]> {
    return (await eventsOf(kind, name)).filter((e) => e.type === 'Warning' && INVALID_REASONS[kind].includes(e.reason ?? ''))
  }

  async function headPodOf(cluster: string): Promise<string | undefined> {
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: `ray.io/cluster=${cluster},ray.io/node-type=head` })
    return pods.items[0]?.metadata?.name
  }

  /** Waits for `check` to return a description of what the operator did; fails with the object's events and log lines. */
  async function evidence(kind: Kind, name: string, what: string, check: () => Promise<string | undefined>): Promise<string> {
    let found: string | undefined
    try {
      await waitFor(async () => (found = await check()) !== undefined, ACCEPT_TIMEOUT_MS, `${kind} ${ns.name}/${name}: ${what}`)
    } catch (err) {
      throw new Error(`${(err as Error).message}\nevents:\n${describeEvents(await eventsOf(kind, name))}\n${diagnose(ns.name, name)}`, {
        cause: err
      })
    }
    return found as string
  }

  /** What the operator did with an accepted object of this kind (see the file comment). */
  async function acted(kind: Kind, name: string): Promise<string> {
    switch (kind) {
      case 'RayCluster':
        return evidence(kind, name, 'head Pod created', async () => {
          const pod = await headPodOf(name)
          return pod && `head Pod ${pod} created`
        })
      case 'RayService':
        return evidence(kind, name, 'RayCluster and its head Pod created', async () => {
          const svc = await getObject('rayservices', name)
          const cluster = svc?.status?.pendingServiceStatus?.rayClusterName || svc?.status?.activeServiceStatus?.rayClusterName
          if (!cluster || !(await getObject('rayclusters', cluster))) return undefined
          const pod = await headPodOf(cluster)
          return pod && `RayCluster ${cluster} created, head Pod ${pod}`
        })
      case 'RayCronJob':
        return evidence(kind, name, 'a RayJob created on schedule and status.lastScheduleTime set', async () => {
          const jobs = (await custom.listNamespacedCustomObject({
            group: 'ray.io',
            version: 'v1',
            namespace: ns.name,
            plural: 'rayjobs',
            labelSelector: `ray.io/cronjob-name=${name}`
          })) as { items: Array<{ metadata: { name: string } }> }
          const last = (await getObject('raycronjobs', name))?.status?.lastScheduleTime
          return jobs.items.length > 0 && last ? `RayJob ${jobs.items[0].metadata.name} created, lastScheduleTime ${last}` : undefined
        })
    }
  }

  /** The operator accepted the object: positive evidence, then no Invalid… event. */
  async function accepted(kind: Kind, name: string, evidenceOf: () => Promise<string>): Promise<string> {
    const done = await evidenceOf()
    timings.push(`${kind} ${name}: ${done}, ${secondsSince(createdAt.get(name) ?? Date.now())} after its creation`)
    await sleep(SETTLE_MS)
    const invalid = await invalidEvents(kind, name)
    expect({ name, invalid: describeEvents(invalid) }).toEqual({ name, invalid: '(no events)' })
    return done
  }

  async function refusal(kind: Kind, name: string, reason: string): Promise<CoreV1Event> {
    let event: CoreV1Event | undefined
    try {
      await waitFor(
        async () => (event = (await invalidEvents(kind, name)).find((e) => e.reason === reason)) !== undefined,
        REFUSE_TIMEOUT_MS,
        `a Warning ${reason} event on ${kind} ${ns.name}/${name}`
      )
    } catch (err) {
      throw new Error(`${(err as Error).message}\nevents:\n${describeEvents(await eventsOf(kind, name))}\n${diagnose(ns.name, name)}`, {
        cause: err
      })
    }
    return event as CoreV1Event
  }

  beforeAll(async () => {
    ns = await createTestNamespace('kinds')
    core = ns.kc.makeApiClient(CoreV1Api)
    custom = ns.kc.makeApiClient(CustomObjectsApi)
    // Good ones and examples first, the bad ones after, so all of them are reconciled side by side.
    for (const c of CASES) await create(c.plural, load('fixture', c.good))
    for (const c of CASES) await create(c.plural, load('example', c.example))
    for (const c of CASES) await create(c.plural, load('fixture', c.bad))
  }, 60_000)

  afterAll(async () => {
    if (timings.length > 0) console.log(`kinds.test.ts timings:\n${timings.join('\n')}`)
    await ns?.dispose()
  }, 180_000)

  describe.each(CASES)('$kind', (c) => {
    const good = load('fixture', c.good)
    const example = load('example', c.example)
    const bad = load('fixture', c.bad)

    it(`lints ${good.file} and examples/kinds/${c.example} without an error`, () => {
      expectLintClean(good)
      expectLintClean(example)
    })

    it(`the operator accepts ${good.file} and acts on it`, async () => {
      expect(good.body.kind).toBe(c.kind)
      requireGateFor(c.kind)
      await accepted(c.kind, good.body.metadata.name, () => acted(c.kind, good.body.metadata.name))
    }, TEST_TIMEOUT_MS)

    it(`the operator accepts examples/kinds/${c.example} as it is`, async () => {
      expect(example.body.kind).toBe(c.kind)
      requireGateFor(c.kind)
      const name = example.body.metadata.name
      if (c.kind !== 'RayCronJob') {
        await accepted(c.kind, name, () => acted(c.kind, name))
        return
      }
      // Its schedule does not fire during the test: suspend it, and the controller's Normal
      // SuspendedRayCronJob event (sent after ValidateRayCronJobSpec passed) is the evidence.
      await accepted(c.kind, name, async () => {
        const obj = await getObject('raycronjobs', name)
        if (!obj) throw new Error(`RayCronJob ${ns.name}/${name} is gone`)
        obj.spec.suspend = true
        await custom.replaceNamespacedCustomObject({ group: 'ray.io', version: 'v1', namespace: ns.name, plural: 'raycronjobs', name, body: obj })
        return evidence(c.kind, name, 'Normal SuspendedRayCronJob event after spec.suspend=true', async () => {
          const e = (await eventsOf(c.kind, name)).find((x) => x.type === 'Normal' && x.reason === 'SuspendedRayCronJob')
          return e && `validated, then suspended on request: Normal SuspendedRayCronJob "${e.message}"`
        })
      })
    }, TEST_TIMEOUT_MS)

    it(`the operator refuses ${bad.file} with a Warning ${c.badReason} event`, async () => {
      const name = bad.body.metadata.name
      requireGateFor(c.kind)
      const event = await refusal(c.kind, name, c.badReason)
      const created = createdAt.get(name) ?? Date.now()
      const seen = event.eventTime ?? event.firstTimestamp ?? event.lastTimestamp
      timings.push(
        `${c.kind} ${name}: Warning ${event.reason} "${event.message}"` +
          (seen ? `, recorded ${(Math.max(0, new Date(seen).getTime() - created) / 1000).toFixed(1)} s after its creation` : '')
      )
      expect(event.message).toContain(`${ns.name}/${name}: `)
      expect(event.message).toContain(c.badMessage)
      if (c.kind === 'RayService') {
        const ready = ((await getObject('rayservices', name))?.status?.conditions ?? []).find((x) => x.type === 'Ready')
        expect({ status: ready?.status, reason: ready?.reason }).toEqual({ status: 'False', reason: 'ValidationFailed' })
        expect(event.message).toContain(ready?.message)
      }
      // …and nothing was created for it.
      if (c.kind === 'RayCluster') expect(await headPodOf(name)).toBeUndefined()
    }, REFUSE_TIMEOUT_MS + 30_000)

    it(`the lint fails ${bad.file} with the message the operator reports`, async () => {
      const findings = lint(bad)
      const reported = findings.filter((f) => f.kuberayReports)
      // Every finding on both sides: a failure shows them all.
      const all = findings.map((f) => `${f.severity} ${f.ruleId}${f.kuberayReports ? ' (kuberayReports)' : ''}: ${f.message}`)
      expect({ file: bad.file, reported: reported.map((f) => `${f.severity} ${f.ruleId}`), all }).toEqual({
        file: bad.file,
        reported: [expect.stringMatching(/^error /)],
        all
      })
      const event = await refusal(c.kind, bad.body.metadata.name, c.badReason)
      expect(event.message).toContain(reported[0].message)
    }, REFUSE_TIMEOUT_MS + 30_000)
  })
})
