// Where the Kubernetes credentials come from: the `kubeconfig` input, else KUBECONFIG, else
// ~/.kube/config, else the in-cluster service account. The log says which one was used.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { decodeKubeconfig, execSecrets, urlPassword } from './secrets.js'

export interface LoadedKubeConfig {
  config: KubeConfig
  /** e.g. "the kubeconfig input", "KUBECONFIG (/home/runner/.kube/config)". */
  source: string
  context: string
  server: string
  /** The namespace the context names, if any. */
  namespace?: string
  /** Credentials found in the loaded config, to mask before anything is printed. */
  secrets: string[]
}

export interface KubeConfigRequest {
  kubeconfig?: string
  context?: string
}

export class KubeConfigError extends Error {}

/** Loads the first available source and selects the context. */
export function loadKubeConfig(request: KubeConfigRequest, env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig {
  const config = new KubeConfig()
  const source = loadFirstSource(config, request, env)
  if (request.context) {
    const names = config.getContexts().map((c) => c.name)
    if (!names.includes(request.context)) {
      throw new KubeConfigError(`context "${request.context}" is not in ${source} (it has: ${names.join(', ') || 'no contexts'}); fix the context input`)
    }
    config.setCurrentContext(request.context)
  }
  const cluster = config.getCurrentCluster()
  if (!cluster) {
    throw new KubeConfigError(`${source} has no usable current context ("${config.getCurrentContext()}"): set current-context in it, or the context input`)
  }
  const context = config.getContextObject(config.getCurrentContext())
  return {
    config,
    source,
    context: config.getCurrentContext(),
    server: cluster.server,
    namespace: context?.namespace,
    secrets: credentialsOf(config)
  }
}

function loadFirstSource(config: KubeConfig, request: KubeConfigRequest, env: NodeJS.ProcessEnv): string {
  if (request.kubeconfig?.trim()) {
    try {
      config.loadFromString(decodeKubeconfig(request.kubeconfig))
    } catch (error) {
      throw new KubeConfigError(`the kubeconfig input is not a kubeconfig (YAML or base64 of it): ${(error as Error).message}`)
    }
    return 'the kubeconfig input'
  }
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(':').filter(Boolean)
    const missing = files.filter((f) => !existsSync(f))
    if (missing.length === files.length) throw new KubeConfigError(`KUBECONFIG names ${env.KUBECONFIG}, which does not exist`)
    loadFiles(config, files.filter((f) => existsSync(f)))
    return `KUBECONFIG (${env.KUBECONFIG})`
  }
  const home = join(env.HOME || homedir(), '.kube', 'config')
  if (existsSync(home)) {
    loadFiles(config, [home])
    return home
  }
  if (env.KUBERNETES_SERVICE_HOST) {
    config.loadFromCluster()
    return 'the in-cluster service account'
  }
  throw new KubeConfigError(
    'no Kubernetes credentials: give the kubeconfig input (e.g. kubeconfig: ${{ secrets.KUBECONFIG }}), set KUBECONFIG, provide ~/.kube/config, or run on a runner inside the cluster'
  )
}

function loadFiles(config: KubeConfig, files: string[]): void {
  try {
    config.loadFromFile(files[0])
    for (const file of files.slice(1)) {
      const extra = new KubeConfig()
      extra.loadFromFile(file)
      config.mergeConfig(extra, true)
    }
  } catch (error) {
    throw new KubeConfigError(`could not read kubeconfig ${files.join(':')}: ${(error as Error).message}`)
  }
}

/** Every token, password and private key of every user in the config. */
function credentialsOf(config: KubeConfig): string[] {
  const secrets: string[] = []
  for (const user of config.getUsers()) {
    for (const value of [user.token, user.password, user.keyData]) if (value) secrets.push(value)
    const provider = user.authProvider?.config as Record<string, unknown> | undefined
    for (const key of ['id-token', 'refresh-token', 'access-token', 'client-secret']) {
      const value = provider?.[key]
      if (typeof value === 'string' && value) secrets.push(value)
    }
    secrets.push(...execSecrets(user.exec))
  }
  for (const cluster of config.getClusters()) secrets.push(...urlPassword(cluster.proxyUrl ?? ''))
  return secrets
}
