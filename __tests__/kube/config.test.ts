// Where the credentials come from, and that every secret in them is found for masking before the
// step prints anything (a kubeconfig printed in an error must not leak a token).
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadKubeConfig, KubeConfigError } from '../../src/kube/config.js'
import { kubeconfigSecrets } from '../../src/kube/secrets.js'

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
    proxy-url: http://ci:pr0xy-pass@proxy.example:3128
- name: staging
  cluster:
    server: https://staging.example:6443
users:
- name: ci-token
  user:
    token: tok-abc123
- name: ci-cert
  user:
    client-certificate-data: Y2VydC1kYXRh
    client-key-data: a2V5LWRhdGE=
- name: ci-eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod, --role-token=role-secret-1]
      env:
      - name: AWS_SECRET_ACCESS_KEY
        value: aws-secret-xyz
- name: ci-oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-secret: oidc-client-secret
        id-token: oidc-id-token
        refresh-token: oidc-refresh
- name: ci-basic
  user:
    username: admin
    password: basic-pass
contexts:
- name: prod
  context: {cluster: prod, user: ci-token, namespace: ml}
- name: staging
  context: {cluster: staging, user: ci-eks}
current-context: prod
`
const EVERY_SECRET = ['tok-abc123', 'Y2VydC1kYXRh', 'a2V5LWRhdGE=', 'role-secret-1', 'aws-secret-xyz', 'oidc-client-secret', 'oidc-id-token', 'oidc-refresh', 'basic-pass', 'pr0xy-pass']

describe('masking a kubeconfig', () => {
  it('finds every token, key, password and plugin secret, and the input itself', () => {
    const found = kubeconfigSecrets(KUBECONFIG)
    expect(found).toEqual(expect.arrayContaining([KUBECONFIG.trim(), ...EVERY_SECRET]))
    // Names and addresses are not secrets: masking them would hide what the log needs to say.
    for (const plain of ['prod', 'aws', 'eks', 'get-token', 'https://prod.example:6443', 'AWS_SECRET_ACCESS_KEY', 'admin']) expect(found).not.toContain(plain)
  })

  it('reads base64 input the same way, and masks the base64 text too', () => {
    const base64 = Buffer.from(KUBECONFIG).toString('base64')
    expect(kubeconfigSecrets(base64)).toEqual(expect.arrayContaining([base64, ...EVERY_SECRET]))
  })

  it('masks at least the whole input when it is not YAML at all', () => {
    expect(kubeconfigSecrets('{{{ not yaml')).toEqual(['{{{ not yaml'])
  })
})

describe('loading the credentials', () => {
  it('takes the kubeconfig input first, with its current context and namespace, and lists its secrets', () => {
    const loaded = loadKubeConfig({ kubeconfig: Buffer.from(KUBECONFIG).toString('base64') }, { KUBECONFIG: '/nonexistent' })
    expect(loaded).toMatchObject({ source: 'the kubeconfig input', context: 'prod', server: 'https://prod.example:6443', namespace: 'ml' })
    expect(loaded.secrets).toEqual(expect.arrayContaining(EVERY_SECRET.filter((s) => s !== 'Y2VydC1kYXRh')))
  })

  it('selects the context input, and names the contexts there are when it is not one of them', () => {
    expect(loadKubeConfig({ kubeconfig: KUBECONFIG, context: 'staging' }, {}).server).toBe('https://staging.example:6443')
    expect(() => loadKubeConfig({ kubeconfig: KUBECONFIG, context: 'qa' }, {})).toThrow(new KubeConfigError('context "qa" is not in the kubeconfig input (it has: prod, staging); fix the context input'))
  })

  it('falls back to KUBECONFIG, and says which file it used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'))
    writeFileSync(join(dir, 'config'), KUBECONFIG)
    const loaded = loadKubeConfig({}, { KUBECONFIG: join(dir, 'config') })
    expect(loaded.source).toBe(`KUBECONFIG (${join(dir, 'config')})`)
    expect(loaded.secrets).toContain('tok-abc123')
  })

  it('says what is wrong with input that is not a kubeconfig', () => {
    expect(() => loadKubeConfig({ kubeconfig: 'just: [a, list' }, {})).toThrow(/^the kubeconfig input is not a kubeconfig \(YAML or base64 of it\)/)
  })
})
