// Credentials that are fetched while the step runs (issue 9, defect 10 and the "token that expires
// during the wait" fault): a real exec credential plugin whose tokens expire every few seconds, the
// real API server checking each one. The step must renew the token, pass, and never print it.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expectStepPassed, runAction, workspaceWith } from './action.js'
import { closeDashboardClients, createTestNamespace, rayJobManifest, stackInfo } from './stack.js'
import type { TestNamespace } from './stack.js'

jest.setTimeout(300_000)

let ns: TestNamespace
beforeAll(async () => {
  ns = await createTestNamespace('creds')
})
afterAll(async () => {
  await closeDashboardClients()
  await ns?.dispose()
})

/** An exec plugin printing the stack's admin token with an expiry `ttl` seconds away, counting its calls in `calls`. */
function execPluginKubeconfig(dir: string, ttl: number): { kubeconfig: string; calls: string } {
  const info = stackInfo()
  const calls = join(dir, 'plugin-calls')
  writeFileSync(calls, '')
  const plugin = join(dir, 'token-plugin.sh')
  writeFileSync(
    plugin,
    `#!/bin/sh
echo call >> ${calls}
expiry=$(date -u -d "+${ttl} seconds" +%Y-%m-%dT%H:%M:%SZ)
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\\n' "${info.adminToken}" "$expiry"
`
  )
  chmodSync(plugin, 0o755)
  const ca = readFileSync(info.caFile).toString('base64')
  const kubeconfig = join(dir, 'kubeconfig-exec')
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: stack, cluster: {server: "${info.apiServer}", certificate-authority-data: ${ca}}}]
users: [{name: exec, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]
contexts: [{name: stack, context: {cluster: stack, user: exec}}]
current-context: stack
`
  )
  return { kubeconfig, calls }
}

describe('an exec-plugin token that expires during the wait', () => {
  it('is renewed, the job passes, and the token is masked before any request carries it', async () => {
    const { kubeconfig, calls } = execPluginKubeconfig(ns.tmpDir, 8)
    const content = rayJobManifest('renewed', `python -c "import time; time.sleep(30); print('slept through the renewals')"`, '  submissionMode: HTTPMode\n')
    const result = await runAction(workspaceWith({ 'renewed.yaml': content }), { command: 'submit', manifests: 'renewed.yaml', namespace: ns.name, timeout: '3m' }, { KUBECONFIG: kubeconfig })
    expectStepPassed(result)
    expect(result.stdout).toContain('slept through the renewals')
    // The plugin ran again as its tokens expired (once would mean the first token was kept past its expiry).
    expect(readFileSync(calls, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3)
    // The token was masked before a request carried it.
    const maskAt = result.stdout.indexOf(`::add-mask::${stackInfo().adminToken}`)
    expect(maskAt).toBeGreaterThanOrEqual(0)
    expect(result.stdout.indexOf('Kubernetes: ')).toBeGreaterThan(-1)
  })
})
