// The watch's silence limit is a field client-node's types mark private: if a client-node upgrade
// renames it, the action would quietly fall back to a reconnect every 30 s (twice the requests).
import { expect, it } from '@jest/globals'
import { KubeConfig, Watch } from '@kubernetes/client-node'
import { silentFor, WATCH_SILENCE_MS } from '../../src/kube/client.js'

it("sets client-node's own watch inactivity limit, which is still where silentFor expects it", () => {
  const watch = new Watch(new KubeConfig()) as unknown as Record<string, unknown>
  expect(watch.requestTimeoutMs).toBe(30_000)
  silentFor(watch as unknown as Watch, WATCH_SILENCE_MS)
  expect(watch.requestTimeoutMs).toBe(90_000)
  expect(Object.keys(watch)).toContain('requestTimeoutMs')
})
