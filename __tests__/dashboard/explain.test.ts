// How Dashboard failures are explained. The bodies are the ones the API server's proxy and Ray 2.58
// really send (shared/reference/ray-job-api.md); these are error paths the integration tests reach
// only in part (a Role without services/proxy, a wrong Ray token).
import { describe, expect, it } from '@jest/globals'
import { explainFailure } from '../../src/dashboard/client.js'

const kubeStatus = (code: number, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code })

describe('explaining a failed Dashboard call', () => {
  it('names the missing services/proxy permission', () => {
    const text = explainFailure(403, kubeStatus(403, 'services "x-head-svc" is forbidden: User "system:serviceaccount:ml:ci" cannot get resource "services/proxy" in API group "" in the namespace "ml"'), 'proxy')
    expect(text).toContain('cannot get resource "services/proxy"')
    expect(text).toContain('grant "get" and "create" on services/proxy')
  })

  it('says the head is not ready when the proxy has no endpoint', () => {
    expect(explainFailure(503, kubeStatus(503, 'no endpoints available for service "x-head-svc:8265"'), 'proxy')).toMatch(/head Pod is not ready, or the head Service has no "dashboard" port/)
  })

  it('asks for a Ray token on 401 and calls a wrong one wrong on 403', () => {
    expect(explainFailure(401, 'Unauthorized: Missing authentication token', 'direct')).toMatch(/token authentication: set the dashboard-token input/)
    expect(explainFailure(403, 'Forbidden: Invalid authentication token', 'direct')).toMatch(/The Ray token is wrong/)
  })

  it('keeps only the last line of a Python traceback', () => {
    const traceback = 'Traceback (most recent call last):\n  File "job_head.py", line 1\nValueError: runtime_env must be a dict'
    expect(explainFailure(500, traceback, 'direct')).toBe('HTTP 500: ValueError: runtime_env must be a dict')
  })

  it('calls the browser-traffic refusal a bug in the action', () => {
    expect(explainFailure(405, "'POST' method not allowed for browser traffic.", 'direct')).toMatch(/a bug in the action/)
  })
})
