// Follows a job's driver log over the Dashboard's WebSocket tail (/api/jobs/<id>/logs/tail): one
// long connection instead of re-reading the whole log. Ray's tail replays the log from the start and
// closes with 1000 once the job is over. Compression stays off: Ray 2.58's proxy drops every frame
// of a client that offers permessage-deflate (ray-job-api.md §0.8), and `ws` is the Node client that
// can turn the offer off and take custom TLS options.
import WebSocket from 'ws'
import type { DashboardClient } from './client.js'

export interface TailEnd {
  /** True when Ray closed the stream because the job is over (close code 1000). */
  complete: boolean
  /** Why it ended otherwise. */
  problem?: string
}

/** Streams log text to `onText` until Ray closes the tail, the connection fails, or `signal` aborts. */
export async function tailLogs(client: DashboardClient, submissionId: string, onText: (text: string) => void, signal: AbortSignal): Promise<TailEnd> {
  const { url, options } = await client.webSocketTarget(`/api/jobs/${encodeURIComponent(submissionId)}/logs/tail`)
  return new Promise<TailEnd>((resolve) => {
    let settled = false
    const finish = (end: TailEnd) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', abort)
      resolve(end)
    }
    const socket = new WebSocket(url, { ...options, perMessageDeflate: false, handshakeTimeout: 20_000 })
    const abort = () => {
      socket.terminate()
      finish({ complete: false, problem: 'stopped' })
    }
    signal.addEventListener('abort', abort)
    socket.on('message', (data: WebSocket.RawData) => {
      // A throw here would escape as an uncaught exception and end the step with no state saved.
      try {
        onText(data.toString())
      } catch (error) {
        socket.terminate()
        finish({ complete: false, problem: `the log could not be shown: ${(error as Error).message}` })
      }
    })
    socket.on('unexpected-response', (request, response) => {
      // The handshake was refused (404 unknown job, 401 no token, 403 from the API server ...): read why, then drop it.
      let body = ''
      response.on('data', (chunk: Buffer) => (body += chunk.toString()))
      response.on('end', () => {
        request.destroy()
        finish({ complete: false, problem: `HTTP ${response.statusCode} ${body.trim().split('\n').at(-1) ?? ''}`.trim() })
      })
      response.on('error', () => finish({ complete: false, problem: `HTTP ${response.statusCode}` }))
    })
    socket.on('error', (error: Error) => finish({ complete: false, problem: error.message }))
    socket.on('close', (code: number) => finish(code === 1000 ? { complete: true } : { complete: false, problem: `closed with code ${code}` }))
  })
}
