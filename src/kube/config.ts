// Where the Kubernetes credentials come from: the `kubeconfig` input, else KUBECONFIG, else
// ~/.kube/config, else the in-cluster service account. The log says which one was used.
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { credentialsIn, decodeKubeconfig, kubeconfigSecrets } from './secrets.js'

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
  /**
   * Called with each credential found in a kubeconfig file's text before that text is parsed, so a
   * file named by KUBECONFIG is masked before anything (even its own parse error) can be printed.
   */
  mask?: (secret: string) => void
}

export class KubeConfigError extends Error {}

/** The files KUBECONFIG names: split on the platform's list separator as client-node and kubectl split it (';' on Windows, where ':' follows a drive letter). */
export function kubeconfigFiles(value: string, listDelimiter: string = delimiter): string[] {
  return value.split(listDelimiter).filter(Boolean)
}

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
      throw new KubeConfigError(`the kubeconfig input is not a kubeconfig (YAML or base64 of it): ${describeLoadError(error)}`)
    }
    return 'the kubeconfig input'
  }
  if (env.KUBECONFIG) {
    const files = kubeconfigFiles(env.KUBECONFIG)
    const missing = files.filter((f) => !existsSync(f))
    if (missing.length === files.length) throw new KubeConfigError(`KUBECONFIG names ${env.KUBECONFIG}, which does not exist`)
    loadFiles(config, files.filter((f) => existsSync(f)), request.mask)
    return `KUBECONFIG (${env.KUBECONFIG})`
  }
  const home = join(env.HOME || homedir(), '.kube', 'config')
  if (existsSync(home)) {
    loadFiles(config, [home], request.mask)
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

function loadFiles(config: KubeConfig, files: string[], mask?: (secret: string) => void): void {
  for (const [i, file] of files.entries()) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      throw new KubeConfigError(`could not read kubeconfig ${file}: ${(error as NodeJS.ErrnoException).code ?? 'read error'}`)
    }
    if (mask) kubeconfigSecrets(text).forEach(mask)
    const target = i === 0 ? config : new KubeConfig()
    try {
      target.loadFromString(text)
    } catch (error) {
      throw new KubeConfigError(`kubeconfig ${file} is not a kubeconfig: ${describeLoadError(error)}`)
    }
    if (target !== config) config.mergeConfig(target, true)
  }
}

/**
 * Why a kubeconfig could not be loaded, without a word of its text: the YAML parser's message
 * quotes the lines around the error, and those lines may hold a token.
 */
export function describeLoadError(error: unknown): string {
  const e = error as { name?: string; reason?: unknown; mark?: { line?: unknown; column?: unknown } }
  if (e?.name === 'YAMLException') {
    const where = typeof e.mark?.line === 'number' && typeof e.mark.column === 'number' ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : ''
    const reason = typeof e.reason === 'string' ? safeReason(e.reason) : 'a YAML syntax error'
    return `${reason}${where} (the text is not shown: it may hold credentials). Check that the secret holds the whole kubeconfig, with its indentation.`
  }
  const message = error instanceof Error ? error.message : String(error)
  // client-node's own checks ("clusters[0].name is missing") name fields, never values; anything else is not echoed.
  return /^[\w .[\]'"-]{1,120}$/.test(message) && !/:/.test(message) ? message : 'its structure is not a kubeconfig (clusters, users and contexts lists)'
}

/** js-yaml's reasons are fixed phrases; keep one only if it quotes nothing from the text. */
function safeReason(reason: string): string {
  return /^[a-z][a-z0-9 ,()-]{0,100}$/i.test(reason) ? reason : 'a YAML syntax error'
}

/** Every token, password and private key of every user (and every proxy password) in the loaded config. */
function credentialsOf(config: KubeConfig): string[] {
  return credentialsIn(JSON.parse(config.exportConfig()))
}
