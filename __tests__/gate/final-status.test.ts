// The job-status output when the step ends (issue 9, defect 2): a Ray status read long before the
// end must not win over KubeRay's copy of the final one.
import { describe, expect, it } from '@jest/globals'
import { finalJobStatus } from '../../src/gate/final-status.js'

describe('the final job status', () => {
  it("is KubeRay's terminal copy when the Dashboard was last read while the job was PENDING (cluster gone after shutdownAfterJobFinishes)", () => {
    expect(finalJobStatus('PENDING', 'FAILED')).toBe('FAILED')
    expect(finalJobStatus('RUNNING', 'SUCCEEDED')).toBe('SUCCEEDED')
    expect(finalJobStatus(undefined, 'STOPPED')).toBe('STOPPED')
  })

  it("is Ray's own when Ray gave a final one", () => {
    expect(finalJobStatus('SUCCEEDED', 'RUNNING')).toBe('SUCCEEDED')
    expect(finalJobStatus('FAILED', '')).toBe('FAILED')
  })

  it('is the one further along otherwise, or empty when nobody knows', () => {
    expect(finalJobStatus('RUNNING', 'PENDING')).toBe('RUNNING')
    // A Dashboard that stopped answering after PENDING, while KubeRay saw RUNNING.
    expect(finalJobStatus('PENDING', 'RUNNING')).toBe('RUNNING')
    expect(finalJobStatus(undefined, 'PENDING')).toBe('PENDING')
    expect(finalJobStatus(undefined, '')).toBe('')
  })
})
