// A real fault-injecting TCP proxy (Toxiproxy, github.com/Shopify/toxiproxy/v2, built into the stack
// cache by test/stack/build.sh) between the action and the API server or a Ray Dashboard. One
// server per test file, on loopback only; its proxies and toxics are driven through its HTTP API.
//
//   const toxi = await Toxiproxy.start()
//   const api = await toxi.proxy('api', '127.0.0.1:16443')         // listens on 127.0.0.1:<free port>
//   writeKubeconfig(path, token, user, api.url('https'))            // the action reaches the API server through it
//   await api.toxic('cut', 'reset_peer', { timeout: 0 })            // every connection is reset…
//   await api.removeToxic('cut')                                    // …until removed
//   await api.disable(); await api.enable()                         // connection refused meanwhile
//   await toxi.stop()
import { spawn, execFileSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import { connect, createServer } from 'node:net'
import type { Duplex } from 'node:stream'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** The toxiproxy-server binary in the stack cache (TOXIPROXY_DIR of test/stack/lib.sh); built when missing. */
export function toxiproxyServerBinary(): string {
  const dir = execFileSync('bash', ['-c', 'source test/stack/lib.sh && printf %s "$TOXIPROXY_DIR"'], { cwd: ROOT, encoding: 'utf8' })
  const binary = join(dir, 'toxiproxy-server')
  if (!existsSync(join(dir, '.done'))) {
    execFileSync('bash', ['test/stack/build.sh', 'toxiproxy'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  }
  return binary
}

/** A free TCP port on 127.0.0.1 (the kernel's choice; there is a small race until Toxiproxy takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data'
export type Stream = 'upstream' | 'downstream'

export class ToxiproxyError extends Error {}

export class Toxiproxy {
  private constructor(
    readonly apiUrl: string,
    private readonly child: ChildProcess,
    private log: string
  ) {}

  /** Starts a Toxiproxy server on a free loopback port and waits until its API answers. */
  static async start(): Promise<Toxiproxy> {
    const binary = toxiproxyServerBinary()
    const port = await freePort()
    // A process group of its own (detached), so stop() ends exactly this server and nothing else.
    const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const toxi = new Toxiproxy(`http://127.0.0.1:${port}`, child, '')
    const keep = (chunk: Buffer) => (toxi.log = (toxi.log + chunk.toString()).slice(-20_000))
    child.stdout!.on('data', keep)
    child.stderr!.on('data', keep)
    const deadline = Date.now() + 15_000
    for (;;) {
      if (child.exitCode !== null) throw new ToxiproxyError(`toxiproxy-server exited (${child.exitCode}) at start:\n${toxi.log}`)
      try {
        const res = await request(`${toxi.apiUrl}/version`)
        await res.body.text()
        if (res.statusCode === 200) return toxi
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await toxi.stop()
        throw new ToxiproxyError(`toxiproxy-server did not answer on ${toxi.apiUrl} within 15 s:\n${toxi.log}`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  /** The server's own log (connections accepted/closed, toxics), for failure messages. */
  get serverLog(): string {
    return this.log
  }

  async api<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await request(`${this.apiUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await res.body.text()
    if (res.statusCode >= 300) throw new ToxiproxyError(`Toxiproxy ${method} ${path}: HTTP ${res.statusCode}: ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }

  /** Creates a proxy to `upstream` (host:port) listening on a free loopback port. */
  async proxy(name: string, upstream: string): Promise<Proxy> {
    // Listen on a port chosen now: Toxiproxy re-listens on the same address after disable/enable.
    const listen = `127.0.0.1:${await freePort()}`
    const created = await this.api<{ listen: string }>('POST', '/proxies', { name, listen, upstream, enabled: true })
    return new Proxy(this, name, created.listen)
  }

  /** Ends the server (its process group); idempotent. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const closed = new Promise((r) => this.child.once('close', r))
    try {
      process.kill(-this.child.pid!, 'SIGTERM')
    } catch {
      return
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.child.pid!, 'SIGKILL')
      } catch {
        // gone already
      }
    }, 5000)
    await closed
    clearTimeout(timer)
  }
}

export class Proxy {
  constructor(
    private readonly toxi: Toxiproxy,
    readonly name: string,
    /** host:port it listens on. */
    readonly listen: string
  ) {}

  url(scheme: 'http' | 'https'): string {
    return `${scheme}://${this.listen}`
  }

  /** Adds a toxic; it acts on new connections and on those already open. */
  async toxic(name: string, type: ToxicType, attributes: Record<string, number>, stream: Stream = 'downstream', toxicity = 1): Promise<void> {
    await this.toxi.api('POST', `/proxies/${this.name}/toxics`, { name, type, stream, toxicity, attributes })
  }

  async removeToxic(name: string): Promise<void> {
    await this.toxi.api('DELETE', `/proxies/${this.name}/toxics/${name}`)
  }

  /** Closes the listener and every open connection: new connections are refused until enable(). */
  async disable(): Promise<void> {
    await this.toxi.api('POST', `/proxies/${this.name}`, { enabled: false })
  }

  async enable(): Promise<void> {
    await this.toxi.api('POST', `/proxies/${this.name}`, { enabled: true })
  }

  /** Enabled again with no toxics (a case's faults must not outlive it). */
  async heal(): Promise<void> {
    const info = await this.toxi.api<{ toxics: { name: string }[] }>('GET', `/proxies/${this.name}`)
    for (const t of info.toxics) await this.removeToxic(t.name)
    await this.enable()
  }
}

/**
 * What Toxiproxy cannot do, as it works on bytes: answer an HTTP request itself. A small HTTP
 * interposer in front of a Ray Dashboard that, while `fault` is set, answers the requests it
 * matches with a given status and body (a 5xx, or a 200 whose body is not JSON) and passes every
 * other request, WebSocket upgrades included, through to `upstream` unchanged.
 */
export interface HttpFault {
  /** Which requests get the fault's answer, e.g. GETs under /api/jobs/. */
  match: (method: string, path: string) => boolean
  status: number
  body: string
  contentType?: string
}

export class HttpInterposer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly state: { fault?: HttpFault; hits: number }
  ) {}

  /** While set, the requests it matches get its answer instead of the Dashboard's. */
  get fault(): HttpFault | undefined {
    return this.state.fault
  }

  set fault(fault: HttpFault | undefined) {
    this.state.fault = fault
  }

  /** Requests answered with a fault so far. */
  get hits(): number {
    return this.state.hits
  }

  static async start(upstream: string): Promise<HttpInterposer> {
    const [host, port] = upstream.split(':')
    const state: { fault?: HttpFault; hits: number } = { hits: 0 }
    const server = createHttpServer((req, res) => {
      const fault = state.fault
      if (fault && fault.match(req.method ?? 'GET', req.url ?? '/')) {
        state.hits++
        req.resume()
        res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/plain' })
        res.end(fault.body)
        return
      }
      const up = httpRequest({ host, port: Number(port), method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      up.on('error', () => res.destroy())
      req.pipe(up)
    })
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const up = connect(Number(port), host, () => {
        const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`]
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`)
        up.write(`${lines.join('\r\n')}\r\n\r\n`)
        if (head.length) up.write(head)
        socket.pipe(up).pipe(socket)
      })
      up.on('error', () => socket.destroy())
      socket.on('error', () => up.destroy())
    })
    const listenPort = await freePort()
    await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve))
    return new HttpInterposer(server, `http://127.0.0.1:${listenPort}`, state)
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise((resolve) => this.server.close(resolve))
  }
}
