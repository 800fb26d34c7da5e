import { describe, expect, it } from '@jest/globals'
import { formatDuration } from '../../src/gate/duration.js'
import { buildSubmitSummary, logCommands } from '../../src/report/submit-summary.js'
import type { SubmitReport } from '../../src/report/submit-summary.js'

const report = (over: Partial<SubmitReport> = {}): SubmitReport => ({
  outcome: 'passed',
  namespace: 'ml',
  name: 'train',
  rayClusterName: 'train-x7k2p',
  submissionId: 'raysubmit_abc',
  submissionIdConfirmed: true,
  submissionMode: 'K8sJobMode',
  jobStatus: 'SUCCEEDED',
  deploymentStatus: 'Complete',
  reason: '',
  message: 'Job finished successfully.',
  durationSeconds: 95,
  dashboardVia: 'https://api:6443/... (the API server\'s service proxy)',
  headService: 'train-x7k2p-head-svc',
  lastLogLines: ['epoch 9', 'done'],
  ...over
})

describe('the submit job summary', () => {
  it('names the job, where it ran, how it ended and how long it took', () => {
    const md = buildSubmitSummary(report(), formatDuration)
    expect(md).toContain('## RayJob `ml/train` ✅ succeeded')
    expect(md).toContain('| RayCluster | `train-x7k2p` |')
    expect(md).toContain('| Submission ID | `raysubmit_abc` |')
    expect(md).toContain('| Ray job status | SUCCEEDED |')
    expect(md).toContain('| KubeRay deployment status | Complete |')
    expect(md).toContain('| Duration | 1m 35s |')
    expect(md).not.toContain('Last 2 log lines') // logs only when it did not pass
  })

  it('on failure says why first and repeats the last log lines', () => {
    const md = buildSubmitSummary(report({ outcome: 'failed', jobStatus: 'FAILED', reason: 'AppFailed', failure: 'RayJob ml/train failed (AppFailed): exit code 1', lastLogLines: ['Traceback', 'ValueError: | bad'] }), formatDuration)
    expect(md).toContain('## RayJob `ml/train` ❌ failed')
    expect(md).toContain('> RayJob ml/train failed (AppFailed): exit code 1')
    expect(md).toContain('| Reason | AppFailed |')
    expect(md).toMatch(/<summary>Last 2 log lines<\/summary>\n\n```text\nTraceback\nValueError: \| bad\n```/)
  })

  it('escapes table cells and notes an unconfirmed submission ID', () => {
    const md = buildSubmitSummary(report({ outcome: 'timeout', message: 'a | b\n<c>', submissionIdConfirmed: false }), formatDuration)
    expect(md).toContain('⏱️ timed out')
    expect(md).toContain('| Message | a \\| b<br>&lt;c> |')
    expect(md).toContain('(not yet listed by the Dashboard)')
  })

  it('gives the commands to read the logs, with the submitter Job in K8sJobMode', () => {
    expect(logCommands(report())).toEqual([
      'kubectl -n ml port-forward svc/train-x7k2p-head-svc 8265:8265 &',
      'ray job logs raysubmit_abc --address http://127.0.0.1:8265',
      'kubectl -n ml logs job/train   # the submitter\'s copy'
    ])
    expect(logCommands(report({ submissionMode: 'HTTPMode' }))).toHaveLength(2)
  })

  it('a status message with a lone \\r or a Unicode line break stays in its cell; names stay on their line (issue 9, defect 11)', () => {
    const md = buildSubmitSummary(report({ reason: 'A\rB', message: 'x\r## Injected\u2028y\u0085z', namespace: 'ns\n# h', rayClusterName: 'c`\r' }), formatDuration)
    expect(md).toContain('| Reason | A<br>B |')
    expect(md).toContain('| Message | x<br>## Injected<br>y<br>z |')
    expect(md).toContain("## RayJob `ns\\n# h/train` ✅ succeeded\n")
    expect(md).toContain("| RayCluster | `c'\\r` |")
    expect(md).not.toMatch(/[\r\u0085\u2028\u2029]/)
  })
})
