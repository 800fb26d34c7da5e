// The diagnostics as the step log and the job summary show them.
import { describe, expect, it } from '@jest/globals'
import { conditionLines, diagnosticsMarkdown, diagnosticsText, eventLines, podLines } from '../../src/report/diagnostics.js'
import { rayDetailLines } from '../../src/submit/diagnostics.js'

describe('diagnostics', () => {
  it('says conditions, events (oldest first, with count and source), Pods and containers, and Ray facts', () => {
    expect(conditionLines({ status: { conditions: [{ type: 'HeadPodReady', status: 'False', reason: 'HeadPodNotFound', message: 'no head' }] } })).toEqual(['HeadPodReady=False (HeadPodNotFound): no head'])
    expect(
      eventLines([
        { type: 'Warning', reason: 'BackOff', message: 'Back-off pulling image', count: 3, source: { component: 'kubelet' }, lastTimestamp: '2026-12-05T10:00:05Z' },
        { type: 'Normal', reason: 'Pulling', message: 'Pulling image', source: { component: 'kubelet' }, lastTimestamp: '2026-12-05T10:00:01Z' }
      ])
    ).toEqual(['Normal Pulling (kubelet): Pulling image', 'Warning BackOff (x3, kubelet): Back-off pulling image'])
    expect(
      podLines([
        {
          metadata: { name: 'h', labels: { 'ray.io/node-type': 'head' } },
          status: { phase: 'Running', containerStatuses: [{ name: 'ray-head', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] }
        },
        { metadata: { name: 'w', labels: { 'ray.io/node-type': 'worker' } }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes' }] } }
      ])
    ).toEqual([
      'Pod h (head): Running',
      '  container ray-head: waiting (CrashLoopBackOff: back-off 20s), 2 restart(s); last: terminated (exit code 1, Error)',
      'Pod w (worker): Pending, not scheduled (Unschedulable: 0/1 nodes)'
    ])
    expect(rayDetailLines({ status: 'FAILED', message: 'Job entrypoint command failed with exit code 3', driver_exit_code: 3, error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR', start_time: 0, end_time: Date.UTC(2026, 11, 5) })).toEqual([
      'status: FAILED (Job entrypoint command failed with exit code 3)',
      'driver_exit_code: 3',
      'error_type: JOB_ENTRYPOINT_COMMAND_ERROR',
      'end_time: 2026-12-05T00:00:00.000Z'
    ])
  })

  it('prints sections and hints, and collapses them in the summary with fences that cannot be closed from inside', () => {
    const d = { sections: [{ title: 'Last lines of h/ray-head', lines: ['```', '<b>'] }, { title: 'Pods', lines: [] }], hints: ['events of the Pods (needs list on events)'] }
    expect(diagnosticsText(d)).toEqual(['Last lines of h/ray-head:', '  ```', '  <b>', 'Pods:', '  (none)', 'Not shown: events of the Pods (needs list on events)'])
    const markdown = diagnosticsMarkdown(d)
    expect(markdown.startsWith('<details><summary>Diagnostics</summary>')).toBe(true)
    expect(markdown.match(/^```/gm)).toHaveLength(4)
    expect(markdown).toContain('- Not shown: events of the Pods (needs list on events)')
  })
})
