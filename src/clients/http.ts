// What a request to a server needs besides its URL: the credentials for this request and the
// connection pool to send it on. The Kubernetes client makes one; the Dashboard client sends with it.
import type { Dispatcher } from 'undici'

export interface Transport {
  headers: Record<string, string>
  dispatcher?: Dispatcher
}
