// Bearer tokens that exist only once client-node has fetched them (a token file, an exec plugin)
// reach onCredential before any request carries them, so the step masks them (issue 9, defect 10).
import { describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KubeClient } from '../../src/kube/client.js'
import { loadKubeConfig } from '../../src/kube/config.js'

const SERVER = 'https://127.0.0.1:1'

function kubeconfigWithUser(user: string): string {
  return `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${SERVER}", insecure-skip-tls-verify: true}}]
users:
- name: u
  user:
${user}
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`
}

async function credentialsSeen(kubeconfig: string): Promise<string[]> {
  const loaded = loadKubeConfig({ kubeconfig }, {})
  const seen: string[] = []
  const kube = new KubeClient(loaded.config, loaded.server, undefined, (s) => seen.push(s))
  await kube.authenticate(`${SERVER}/api`, 'GET')
  await kube.close()
  return seen
}

describe('credentials fetched at request time are handed over for masking', () => {
  it('a token read from token-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-file-'))
    writeFileSync(join(dir, 'token'), 'file-token-5f3a9c')
    const seen = await credentialsSeen(kubeconfigWithUser(`    token-file: ${join(dir, 'token')}`))
    expect(seen).toEqual(expect.arrayContaining(['file-token-5f3a9c', 'Bearer file-token-5f3a9c']))
  })

  it('a token an exec credential plugin prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-plugin-'))
    const plugin = join(dir, 'plugin.sh')
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token-77ab21' } })
    writeFileSync(plugin, `#!/bin/sh\necho '${credential}'\n`)
    chmodSync(plugin, 0o755)
    const seen = await credentialsSeen(kubeconfigWithUser(`    exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}`))
    expect(seen).toContain('exec-token-77ab21')
  })

  it('a basic-auth password, and each value only once', async () => {
    const loaded = loadKubeConfig({ kubeconfig: kubeconfigWithUser('    username: admin\n    password: basic-pass-31') }, {})
    const seen: string[] = []
    const kube = new KubeClient(loaded.config, loaded.server, undefined, (s) => seen.push(s))
    await kube.authenticate(`${SERVER}/api`, 'GET')
    await kube.authenticate(`${SERVER}/api`, 'GET')
    expect(seen).toContain('basic-pass-31')
    expect(seen.filter((s) => s === 'basic-pass-31')).toHaveLength(1)
  })
})
