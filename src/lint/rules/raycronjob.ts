// A RayCronJob's own checks: KubeRay's ValidateRayCronJobSpec (1.6.0+) before it checks the RayJob
// template (which gets every ValidateRayJobSpec rule, "invalid RayJob template: "-wrapped; see the
// plan in registry.ts). The schedule is read with robfig/cron's standard parser, as KubeRay does.
import { cronScheduleError } from '../go/cron.js'
import { loadLocationError } from '../go/timezone.js'
import { MAX_RAYJOB_NAME, get, isSet, str } from '../../manifest/model.js'
import type { RuleDefinition } from './types.js'
import { nameKubeRaySees } from './spec.js'

/** KubeRay's MaxRayCronJobNameLength: each RayJob it makes adds "-" and up to 10 digits. */
export const MAX_RAYCRONJOB_NAME = MAX_RAYJOB_NAME - 11

const cronJob = (rule: Omit<RuleDefinition, 'source' | 'severity'>): RuleDefinition => ({ source: 'kuberay', severity: 'error', ...rule })
const schedule = (job: unknown): string => str(get(job, ['spec', 'schedule'])) ?? ''
const SCHEDULE = ['spec', 'schedule']
const TIME_ZONE = ['spec', 'timeZone']

export const rayCronJobSpecRules: RuleDefinition[] = [
  cronJob({
    id: 'raycronjob-name-too-long',
    since: '1.7.0',
    title: `RayCronJob name longer than ${MAX_RAYCRONJOB_NAME} characters`,
    message: `RayCronJob name should be no more than ${MAX_RAYCRONJOB_NAME} characters`,
    hint: `Shorten metadata.name to ${MAX_RAYCRONJOB_NAME} characters or fewer: each RayJob it starts is named after it plus "-" and a 10-digit minute stamp.`,
    check: ({ job }) => {
      const seen = nameKubeRaySees(job)
      return seen && seen.name.length > MAX_RAYCRONJOB_NAME ? { path: seen.path, part: 'value' } : undefined
    }
  }),
  cronJob({
    id: 'raycronjob-schedule-time-zone',
    since: '1.7.0',
    title: 'time zone in the cron schedule',
    message: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    hint: 'Remove TZ=/CRON_TZ= from spec.schedule and set spec.timeZone (e.g. Europe/Paris) instead.',
    check: ({ job }) => (schedule(job).includes('TZ') ? { path: SCHEDULE, part: 'value' } : undefined)
  }),
  cronJob({
    id: 'raycronjob-schedule-invalid',
    since: '1.6.0',
    title: 'invalid cron schedule',
    message: 'invalid cron schedule: {detail}',
    params: ['detail'],
    hint: 'Write spec.schedule as five fields (minute hour day-of-month month day-of-week, e.g. "0 3 * * *") or a descriptor (@daily, @every 1h).',
    check: ({ job }) => {
      const detail = cronScheduleError(schedule(job))
      return detail === undefined ? undefined : { path: isSet(get(job, SCHEDULE)) ? SCHEDULE : ['spec'], part: isSet(get(job, SCHEDULE)) ? 'value' : 'key', params: { detail } }
    }
  }),
  cronJob({
    id: 'raycronjob-time-zone-empty',
    since: '1.7.0',
    title: 'empty timeZone',
    message: 'timeZone must not be empty string, omit the field to use the local time zone of the KubeRay operator',
    hint: 'Remove spec.timeZone, or name a zone such as UTC or America/New_York.',
    check: ({ job }) => (get(job, TIME_ZONE) === '' ? { path: TIME_ZONE, part: 'value' } : undefined)
  }),
  cronJob({
    id: 'raycronjob-time-zone-invalid',
    since: '1.7.0',
    title: 'unknown timeZone',
    message: 'invalid time zone: {detail}',
    params: ['detail'],
    hint: 'Use an IANA time zone name, spelled with its capitals (UTC, Europe/Paris, America/New_York).',
    check: ({ job }) => {
      const zone = str(get(job, TIME_ZONE))
      const detail = zone ? loadLocationError(zone) : undefined
      return detail ? { path: TIME_ZONE, part: 'value', params: { detail } } : undefined
    }
  })
]

/** A RayCronJob the operator will not act on. */
export const rayCronJobStuckRules: RuleDefinition[] = [
  {
    id: 'raycronjob-gate-disabled',
    source: 'stuck',
    since: '1.6.0',
    severity: 'warning',
    title: 'RayCronJob feature gate off',
    message: 'the RayCronJob feature gate is off: KubeRay {version} then runs no RayCronJob controller, so this RayCronJob is stored but never starts a RayJob',
    params: ['version'],
    hint: 'Start the operator with --feature-gates=RayCronJob=true (Helm: featureGates), and give this action the same `feature-gates` input.',
    check: (v) => (v.gate('RayCronJob') ? undefined : { path: ['kind'], part: 'value', params: { version: v.version } })
  }
]
