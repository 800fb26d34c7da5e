// The Dashboard's package API as `ray job submit --working-dir` uses it: GET to check, PUT only when
// Ray answers 404, against a local server that answers as Ray 2.58's job_head.py does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DashboardClient, DashboardError } from '../../src/dashboard/client.js'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  bytes: number
}

const stored = new Map<string, Buffer>()
const seen: Seen[] = []
let answerNext: number[] = []
let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, bytes: body.length })
      const forced = answerNext.shift()
      if (forced) {
        res.writeHead(forced, { 'content-type': 'text/plain' }).end(forced === 413 ? 'Maximum request body size 104857600 exceeded, actual body size 110000000' : 'busy')
        return
      }
      const match = /^\/api\/packages\/(\w+)\/(.+)$/.exec(req.url!)
      if (!match) return void res.writeHead(404).end('404: Not Found')
      const uri = `${match[1]}://${match[2]}`
      if (req.method === 'GET') return void (stored.has(uri) ? res.writeHead(200).end() : res.writeHead(404).end(`Package ${uri} does not exist`))
      if (req.method === 'PUT') {
        stored.set(uri, body)
        return void res.writeHead(200).end()
      }
      res.writeHead(405).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('ensurePackage', () => {
  it('uploads a package Ray lacks with one PUT of the raw zip, and then only checks', async () => {
    const client = new DashboardClient({ baseUrl: base, via: 'dashboard-url' }, 'tok')
    const zip = Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary')
    seen.length = 0
    expect(await client.ensurePackage('gcs://_ray_pkg_0123456789abcdef.zip', zip)).toBe('uploaded')
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/packages/gcs/_ray_pkg_0123456789abcdef.zip', 'PUT /api/packages/gcs/_ray_pkg_0123456789abcdef.zip'])
    expect(seen[1]).toMatchObject({ bytes: zip.length })
    expect(seen[1].headers).toMatchObject({ 'content-type': 'application/zip', 'x-ray-authorization': 'Bearer tok' })
    expect(stored.get('gcs://_ray_pkg_0123456789abcdef.zip')?.equals(zip)).toBe(true)

    seen.length = 0
    expect(await client.ensurePackage('gcs://_ray_pkg_0123456789abcdef.zip', zip)).toBe('present')
    expect(seen.map((s) => s.method)).toEqual(['GET'])
  })

  it("says the Dashboard's 413 with the size it refused", async () => {
    const client = new DashboardClient({ baseUrl: base, via: 'dashboard-url' })
    answerNext = [404, 413]
    const failure = client.ensurePackage('gcs://_ray_pkg_aaaaaaaaaaaaaaaa.zip', Buffer.alloc(10))
    await expect(failure).rejects.toThrow(DashboardError)
    await expect(failure).rejects.toThrow(/PUT \/api\/packages\/gcs\/_ray_pkg_aaaaaaaaaaaaaaaa\.zip on the Ray Dashboard failed: HTTP 413: Maximum request body size 104857600 exceeded.*: the Dashboard refuses a package of 10 bytes/)
  })

  it('tries again while the head is not reachable yet (503), until the retry window ends', async () => {
    const client = new DashboardClient({ baseUrl: base, via: 'dashboard-url' })
    answerNext = [503]
    const retries: string[] = []
    expect(await client.ensurePackage('gcs://_ray_pkg_bbbbbbbbbbbbbbbb.zip', Buffer.alloc(3), { until: Date.now() + 10_000, onRetry: (m) => retries.push(m) })).toBe('uploaded')
    expect(retries).toHaveLength(1)
    answerNext = [503]
    await expect(client.ensurePackage('gcs://_ray_pkg_cccccccccccccccc.zip', Buffer.alloc(3))).rejects.toThrow(/HTTP 503/)
  })
})
