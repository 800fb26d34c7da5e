// Connecting to the cluster: credentials from the first available source, masked before anything is
// printed, and the log says which source and context were used.
import { KubeClient } from '../kube/client.js'
import { loadKubeConfig } from '../kube/config.js'
import type { LoadedKubeConfig } from '../kube/config.js'
import type { RequestLog } from '../clients/request-log.js'
import type { Runner } from '../runner/types.js'
import type { SubmitSettings } from '../settings.js'

export interface Connection {
  kube: KubeClient
  loaded: LoadedKubeConfig
}

export function connectToCluster(settings: SubmitSettings, runner: Runner, log?: RequestLog): Connection {
  const mask = (secret: string): void => runner.mask(secret)
  const loaded = loadKubeConfig({ kubeconfig: settings.kubeconfig, context: settings.context, mask })
  loaded.secrets.forEach(mask)
  runner.info(`Kubernetes: ${loaded.server}, context "${loaded.context}", credentials from ${loaded.source}`)
  return { kube: new KubeClient(loaded.config, loaded.server, log, mask), loaded }
}
