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

describe('a broken kubeconfig never shows its credentials (issue 9, defect 1)', () => {
  const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IkxPTkdUT0tFTiJ9.c2VjcmV0LXBheWxvYWQtdGhhdC1tdXN0LW5vdC1sZWFr.c2lnbmF0dXJl'
  // A key indented under a plain scalar: js-yaml's message quotes the lines around it, token included.
  const BROKEN = `apiVersion: v1
kind: Config
users:
- name: ci
  user:
    token: ${TOKEN}
      extra: oops
clusters: []
`
  /** Every piece of the token a log line could carry (the parser's excerpt cuts long lines). */
  const leaks = (text: string): string[] => {
    const pieces: string[] = []
    for (let i = 0; i + 12 <= TOKEN.length; i += 6) if (text.includes(TOKEN.slice(i, i + 12))) pieces.push(TOKEN.slice(i, i + 12))
    return pieces
  }
  const errorOf = (load: () => unknown): string => {
    try {
      load()
    } catch (error) {
      return (error as Error).message
    }
    throw new Error('expected the kubeconfig to be refused')
  }

  it('names the line and column of a syntax error in base64 input, and quotes none of its text', () => {
    const message = errorOf(() => loadKubeConfig({ kubeconfig: Buffer.from(BROKEN).toString('base64') }, {}))
    expect(message).toMatch(/^the kubeconfig input is not a kubeconfig .*line 7, column \d+/)
    expect(leaks(message)).toEqual([])
  })

  it('the same for plain input, whose long token line the parser would cut to 20-odd characters', () => {
    const message = errorOf(() => loadKubeConfig({ kubeconfig: BROKEN }, {}))
    expect(message).toMatch(/line 7/)
    expect(leaks(message)).toEqual([])
    expect(message).not.toContain('eyJhbGciOi')
  })

  it('masks a file named by KUBECONFIG before parsing it, and names the file and line, not its text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'))
    writeFileSync(join(dir, 'config'), BROKEN)
    const masked: string[] = []
    const message = errorOf(() => loadKubeConfig({ mask: (s) => masked.push(s) }, { KUBECONFIG: join(dir, 'config') }))
    expect(masked).toContain(TOKEN)
    expect(message).toContain(join(dir, 'config'))
    expect(message).toMatch(/line 7/)
    expect(leaks(message)).toEqual([])
  })

  it('finds the token of a kubeconfig that does not parse at all, line by line', () => {
    expect(kubeconfigSecrets(BROKEN)).toContain(TOKEN)
    expect(kubeconfigSecrets('users: [ {name: x, user: {token: "abcd-efgh-1234"} ')).toContain('abcd-efgh-1234')
  })
})

describe('numeric credentials (issue 9, defect 10)', () => {
  const NUMERIC = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: 1234567890, password: 98765432}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`
  it('are found as text, so masking them cannot crash the step', () => {
    expect(kubeconfigSecrets(NUMERIC)).toEqual(expect.arrayContaining(['1234567890', '98765432']))
    const loaded = loadKubeConfig({ kubeconfig: NUMERIC }, {})
    expect(loaded.secrets).toEqual(expect.arrayContaining(['1234567890']))
    for (const secret of loaded.secrets) expect(typeof secret).toBe('string')
  })
})
