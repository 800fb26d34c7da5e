// Who may do what: the least-privilege Role from the README, a Role missing services/proxy, and a
// Ray cluster with token authentication. Real API server RBAC, real Ray token checks.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { AuthorizationV1Api, CoreV1Api } from '@kubernetes/client-node'
import type { KubeConfig, V1PolicyRule } from '@kubernetes/client-node'
import { parse } from 'yaml'
import { expectStepPassed, runAction, workspaceWith } from './action.js'
import type { ActionResult } from './action.js'
import { request } from 'undici'
import { closeDashboardClients, createTestNamespace, findRayObject, serviceAccountWithRole, stackInfo } from './stack.js'
import type { TestNamespace } from './stack.js'

jest.setTimeout(300_000)

let ns: TestNamespace
beforeAll(async () => {
  ns = await createTestNamespace('access')
})
afterAll(async () => {
  await closeDashboardClients()
  await ns?.dispose()
})

/** The Role the README gives, read from the README itself so the two cannot drift apart. */
function readmeRole(): V1PolicyRule[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const block = /<!-- least-privilege-role -->\s*```yaml\n([\s\S]*?)```/.exec(readme)
  if (!block) throw new Error('README.md has no ```yaml block after <!-- least-privilege-role -->')
  return (parse(block[1]) as { rules: V1PolicyRule[] }).rules
}

/**
 * A new RoleBinding reaches the API server's RBAC cache a moment after it is created: wait until the
 * identity may `get rayjobs`, so the test measures the Role, not that delay.
 */
async function untilBindingApplies(kc: KubeConfig): Promise<void> {
  const authz = kc.makeApiClient(AuthorizationV1Api)
  for (let i = 0; i < 100; i++) {
    const review = await authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace: ns.name, group: 'ray.io', resource: 'rayjobs', verb: 'get' } } }
    })
    if (review.status?.allowed) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the RoleBinding did not take effect within 10 s')
}

function job(name: string, extraSpec = '', image = 'rayproject/ray:2.58.0', containerExtra = ''): string {
  return `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: ${name}
spec:
  entrypoint: python -c "print('hello from ${name}')"
${extraSpec}  rayClusterSpec:
    rayVersion: "2.58.0"
${containerExtra}    headGroupSpec:
      rayStartParams: {}
      template:
        spec:
          containers:
          - name: ray-head
            image: ${image}
`
}

function submitAs(kubeconfigPath: string, name: string, content: string, inputs: Record<string, string> = {}): Promise<ActionResult> {
  const kubeconfig = readFileSync(kubeconfigPath, 'utf8')
  return runAction(workspaceWith({ [`${name}.yaml`]: content }), { command: 'submit', manifests: `${name}.yaml`, namespace: ns.name, kubeconfig, 'kuberay-version': stackInfo().kuberayVersion, timeout: '3m', ...inputs }, { KUBECONFIG: '' })
}

describe('least privilege', () => {
  it("passes with a token bound to exactly the README's Role (InteractiveMode: it also POSTs through the proxy)", async () => {
    const identity = await serviceAccountWithRole(ns, 'rayjob-action', readmeRole())
    await untilBindingApplies(identity.kc)
    const result = await submitAs(identity.kubeconfigPath, 'least', job('least', '  submissionMode: InteractiveMode\n  preRunningDeadlineSeconds: 120\n'))
    expectStepPassed(result)
    expect(result.outputs['job-status']).toBe('SUCCEEDED')
    expect(result.stdout).toContain('hello from least')
  })

  it('without services/proxy stops before creating anything and names the missing permission', async () => {
    const rules = readmeRole().filter((r) => !(r.resources ?? []).includes('services/proxy'))
    const identity = await serviceAccountWithRole(ns, 'no-proxy', rules)
    await untilBindingApplies(identity.kc)
    const result = await submitAs(identity.kubeconfigPath, 'noproxy', job('noproxy', '  submissionMode: HTTPMode\n'))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::the credentials from the kubeconfig input may not get services\/proxy, create services\/proxy in namespace access-\w+: add these to the Role bound to this identity .*Nothing was created\./)
    expect(await rayJobExists('noproxy')).toBe(false)
  })

  it('with dashboard-url needs no services/proxy', async () => {
    const rules = readmeRole().filter((r) => !(r.resources ?? []).includes('services/proxy'))
    const identity = await serviceAccountWithRole(ns, 'direct-only', rules)
    await untilBindingApplies(identity.kc)
    const result = await submitAs(identity.kubeconfigPath, 'direct', job('direct', '  submissionMode: HTTPMode\n'), { 'dashboard-url': stackInfo().dashboardUrl })
    expectStepPassed(result)
  })

  it('without any right names every permission submit needs', async () => {
    const identity = await serviceAccountWithRole(ns, 'nothing', [])
    const result = await submitAs(identity.kubeconfigPath, 'nothing', job('nothing', '  submissionMode: HTTPMode\n'))
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('may not get rayjobs (ray.io), create rayjobs (ray.io), watch rayjobs (ray.io), delete rayjobs (ray.io), get services/proxy, create services/proxy in namespace')
  })
})


describe('TLS', () => {
  /** The stack's admin kubeconfig with its cluster's CA taken out, and optionally the check turned off. */
  function kubeconfigWithoutCa(skipVerify: boolean): string {
    const path = `${ns.tmpDir}/no-ca-${skipVerify}.kubeconfig`
    const text = readFileSync(stackInfo().kubeconfig, 'utf8')
      .split('\n')
      .filter((line) => !/certificate-authority(-data)?:/.test(line))
      .map((line) => (skipVerify && /^\s+server: /.test(line) ? `${line}\n    insecure-skip-tls-verify: true` : line))
      .join('\n')
    writeFileSync(path, text)
    return path
  }

  it("refuses an API server whose certificate the kubeconfig's CA does not vouch for, and says what to do", async () => {
    const result = await submitAs(kubeconfigWithoutCa(false), 'untrusted', job('untrusted', '  submissionMode: HTTPMode\n'))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::GET \/apis\/ray\.io\/v1\/namespaces\/\S+\/rayjobs\/untrusted failed: could not reach the API server at https:\/\/127\.0\.0\.1:\d+: (UNABLE_TO_VERIFY|\S*CERT|SELF_SIGNED)/)
    expect(result.stdout).toContain("The API server's TLS certificate is not trusted, and the action verifies it")
    expect(await rayJobExists('untrusted')).toBe(false)
  })

  it('skips the check only when the kubeconfig says insecure-skip-tls-verify', async () => {
    expectStepPassed(await submitAs(kubeconfigWithoutCa(true), 'skipverify', job('skipverify', '  submissionMode: HTTPMode\n')))
  })
})

describe('Ray token authentication', () => {
  const tokenHead = () => {
    const head = stackInfo().tokenHead
    if (!head) throw new Error('the stack has no token-auth Ray head: start it with `npm run stack:up -- --with-token-head`')
    return head
  }
  const tokenCluster = (secret: string) => `    authOptions:\n      mode: token\n      secretName: ${secret}\n`

  beforeAll(async () => {
    const core = ns.kc.makeApiClient(CoreV1Api)
    await core.createNamespacedSecret({ namespace: ns.name, body: { metadata: { name: 'ray-auth' }, stringData: { auth_token: tokenHead().token } } })
  })

  it("reads the token from the cluster's auth Secret and passes", async () => {
    const result = await submitAs(stackInfo().kubeconfig, 'token', job('token', '  submissionMode: HTTPMode\n', undefined, tokenCluster('ray-auth')))
    expectStepPassed(result)
    expect(result.outputs['job-status']).toBe('SUCCEEDED')
    expect(result.stdout).toContain(`::add-mask::${tokenHead().token}`)
    expect(result.stdout.split(tokenHead().token)).toHaveLength(2) // printed once: in the mask command
    // The job ran on the token-auth head, which lists it only to a caller with the token.
    const id = result.outputs['submission-id']
    const withToken = await request(`${tokenHead().dashboardUrl}/api/jobs/${id}`, { headers: { authorization: `Bearer ${tokenHead().token}` } })
    expect(await withToken.body.json()).toMatchObject({ submission_id: id, status: 'SUCCEEDED' })
    const without = await request(`${tokenHead().dashboardUrl}/api/jobs/${id}`)
    expect(without.statusCode).toBe(401)
    await without.body.dump()
  })

  it('fails with what to do when the dashboard-token input is wrong', async () => {
    const result = await submitAs(stackInfo().kubeconfig, 'badtoken', job('badtoken', '  submissionMode: HTTPMode\n', undefined, tokenCluster('ray-auth')), { 'dashboard-token': 'not-the-token' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/HTTP 403: Forbidden: Invalid authentication token\. The Ray token is wrong/)
    expect(result.stdout).toContain('::add-mask::not-the-token')
    // The step lost track of the job: it says where the RayJob is and leaves it to the user.
    expect(result.stdout).toContain(`RayJob ${ns.name}/badtoken was left as it is`)
    expect(result.summary).toContain('❌ failed')
    expect(result.state['rayjob-done']).toBe('true')
  })
})

const rayJobExists = async (name: string): Promise<boolean> => (await findRayObject(ns.kc, 'rayjobs', ns.name, name)) !== undefined
