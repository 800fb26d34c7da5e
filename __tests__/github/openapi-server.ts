// A local HTTP server that stands in for api.github.com and holds every request to GitHub's own
// API description (@octokit/openapi, api.github.com.json): the method and path must be an
// operation of it, every path and query parameter must be one the operation declares and match its
// schema, and the JSON body must match the operation's request body schema, with no property the
// schema does not name (GitHub ignores unknown properties; a misspelt one is a bug here). Every
// answer is checked against the documented response schema for its status too, so the fake's
// answers are the documented shapes. What does not conform is recorded in `violations`, and the
// request is answered 400 / 500 so the client under test sees it.
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type SchemaObject = Record<string, unknown>

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: SchemaObject
}

interface Operation {
  method: string
  template: string
  pattern: RegExp
  pathParams: string[]
  operationId: string
  parameters: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaObject }> }
  responses: Record<string, unknown>
  /** Literal path segments: more wins when two templates match (pulls/comments/{id} before pulls/{number}/...). */
  literals: number
}

/** One request as the server saw it. */
export interface SeenRequest {
  method: string
  path: string
  query: Record<string, string>
  operationId?: string
  body?: Json
  token?: string
}

/** What a handler answers. */
export interface Answer {
  status: number
  body?: Json
  headers?: Record<string, string>
}

/** A request, with its operation and parameters, as a handler gets it. */
export interface Request {
  operationId: string
  method: string
  path: string
  params: Record<string, string>
  query: Record<string, string>
  body: Json | undefined
  token: string | undefined
  /** The server's base URL (for pagination links). */
  baseUrl: string
}

export type Handler = (request: Request) => Answer | Promise<Answer>

/** An answer given instead of the handler's, `times` times, to the first requests that match. */
export interface Fault extends Answer {
  operationId?: string
  method?: string
  times?: number
}

const require = createRequire(import.meta.url)
const SPEC_FILE = join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json')
const SPEC_ID = 'https://api.github.com/openapi.json'

let loaded: { spec: SchemaObject; operations: Operation[]; ajv: Ajv } | undefined

/** The description, read once per test file (13 MB of JSON). */
export function githubApiDescription(): { spec: SchemaObject; operations: Operation[]; ajv: Ajv } {
  if (loaded) return loaded
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as SchemaObject
  const operations: Operation[] = []
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, unknown>>)) {
    const shared = (item.parameters as Parameter[] | undefined) ?? []
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue
      const o = op as { operationId: string; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }
      const pathParams: string[] = []
      const pattern = new RegExp(
        `^${template
          .split('/')
          .map((seg) => seg.replace(/\{([^}]+)\}|[^{]+/g, (m, name: string | undefined) => (name ? (pathParams.push(name), '([^/]+)') : m.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))))
          .join('/')}$`
      )
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern,
        pathParams,
        operationId: o.operationId,
        parameters: [...shared, ...(o.parameters ?? [])].map((p) => resolve(spec, p) as Parameter),
        requestBody: resolve(spec, o.requestBody) as Operation['requestBody'],
        responses: o.responses,
        literals: template.split('/').filter((s) => s && !s.includes('{')).length
      })
    }
  }
  operations.sort((a, b) => b.literals - a.literals)
  allowNullInNullableEnums(spec)
  // OpenAPI 3.0's schemas are JSON Schema with `nullable`, which Ajv knows; examples and x-github
  // are annotations (strict: false lets them be), and formats are not checked.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false, logger: false })
  ajv.addSchema(spec, SPEC_ID)
  loaded = { spec, operations, ajv }
  return loaded
}

/**
 * `nullable: true` with an `enum` that lacks null: GitHub means null is allowed (an unfinished check
 * run's conclusion is null), as about half of such schemas in the description say outright.
 */
function allowNullInNullableEnums(node: unknown): void {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) return node.forEach(allowNullInNullableEnums)
  const o = node as Record<string, unknown>
  if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum = [...o.enum, null]
  for (const value of Object.values(o)) allowNullInNullableEnums(value)
}

/** Follows a local `$ref` (#/components/...) until it reaches what it names. */
function resolve(spec: SchemaObject, value: unknown): unknown {
  let v = value
  while (v && typeof v === 'object' && typeof (v as { $ref?: unknown }).$ref === 'string') {
    const ref = (v as { $ref: string }).$ref
    v = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec)
  }
  return v
}

/** An inline schema made to compile against the description: its local $refs point into it; with `closed`, objects take only the properties they name. */
function rebase(schema: unknown, closed: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rebase(s, closed))
  if (!schema || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out.$ref = `${SPEC_ID}${value}`
    else if (key === 'properties' && value && typeof value === 'object') out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebase(v, closed)]))
    else if (key === 'example' || key === 'examples') continue
    else out[key] = rebase(value, closed)
  }
  if (closed && out.properties && out.additionalProperties === undefined && !out.allOf && !out.anyOf && !out.oneOf) out.additionalProperties = false
  return out
}

const compiled = new Map<string, ValidateFunction>()

function validator(key: string, schema: unknown, closed: boolean): ValidateFunction {
  let v = compiled.get(key)
  if (!v) {
    v = githubApiDescription().ajv.compile(rebase(schema, closed) as SchemaObject)
    compiled.set(key, v)
  }
  return v
}

function problems(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`)
    .join('; ')
}

/** The documented example of an operation's answer (for list operations, the first item), as a fresh object. */
export function documentedExample(operationId: string, status: number): Record<string, Json> {
  const { spec, operations } = githubApiDescription()
  const op = operations.find((o) => o.operationId === operationId)
  if (!op) throw new Error(`no operation ${operationId} in the description`)
  const response = resolve(spec, op.responses[String(status)]) as { content?: Record<string, { examples?: Record<string, unknown> }> }
  const examples = response.content?.['application/json']?.examples ?? {}
  const first = resolve(spec, Object.values(examples)[0]) as { value?: Json }
  const value = Array.isArray(first.value) ? first.value[0] : first.value
  return structuredClone(value) as Record<string, Json>
}

/** Coerces a path or query string to what a parameter schema says it is, for validation. */
function coerce(text: string, schema: SchemaObject | undefined): Json {
  const type = schema?.type
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text)
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true'
  return text
}

export class OpenApiServer {
  readonly requests: SeenRequest[] = []
  readonly violations: string[] = []
  private faults: Fault[] = []
  private server!: Server
  baseUrl = ''

  constructor(private readonly handle: Handler) {}

  static async start(handle: Handler): Promise<OpenApiServer> {
    githubApiDescription()
    const s = new OpenApiServer(handle)
    s.server = createServer((req, res) => void s.serve(req, res))
    await new Promise<void>((done) => s.server.listen(0, '127.0.0.1', done))
    s.baseUrl = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`
    return s
  }

  async close(): Promise<void> {
    await new Promise<void>((done) => this.server.close(() => done()))
  }

  /** Answers the next matching request(s) with this instead. */
  fault(fault: Fault): void {
    this.faults.push({ times: 1, ...fault })
  }

  /** Requests of one operation. */
  seen(operationId: string): SeenRequest[] {
    return this.requests.filter((r) => r.operationId === operationId)
  }

  reset(): void {
    this.requests.length = 0
    this.violations.length = 0
    this.faults = []
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', this.baseUrl)
    const query = Object.fromEntries(url.searchParams)
    const auth = req.headers.authorization
    const token = auth ? /^(?:token|bearer) (.+)$/i.exec(auth)?.[1] : undefined
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query, token }
    this.requests.push(seen)
    const send = (answer: Answer): void => {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers })
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body))
    }
    const refuse = (status: number, message: string): void => {
      this.violations.push(`${seen.method} ${url.pathname}${url.search}: ${message}`)
      send({ status, body: { message: `openapi-server: ${message}` } })
    }

    const op = githubApiDescription().operations.find((o) => o.method === seen.method && o.pattern.test(url.pathname))
    if (!op) return refuse(404, 'no operation of the API description has this method and path')
    seen.operationId = op.operationId
    if (!token) return refuse(401, 'no token in the Authorization header')
    if (!/json/.test(String(req.headers.accept ?? ''))) return refuse(400, `accept header ${JSON.stringify(req.headers.accept)} asks for no JSON`)

    // Path and query parameters: declared, and of their schema's type.
    const values = op.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent)
    const params = Object.fromEntries(op.pathParams.map((name, i) => [name, values[i]]))
    for (const p of op.parameters) {
      const value = p.in === 'path' ? params[p.name] : p.in === 'query' ? query[p.name] : undefined
      if (value === undefined) {
        if (p.required && (p.in === 'path' || p.in === 'query')) return refuse(400, `required ${p.in} parameter ${p.name} is missing`)
        continue
      }
      const v = validator(`${op.operationId} ${p.in} ${p.name}`, p.schema ?? {}, false)
      if (!v(coerce(value, p.schema))) return refuse(422, `${p.in} parameter ${p.name}=${JSON.stringify(value)}: ${problems(v)}`)
    }
    for (const name of Object.keys(query)) {
      if (!op.parameters.some((p) => p.in === 'query' && p.name === name)) return refuse(400, `query parameter ${name} is not one ${op.operationId} takes`)
    }

    // The body: JSON of the request body's schema, and only what it names.
    let body: Json | undefined
    const schema = op.requestBody?.content?.['application/json']?.schema
    if (text) {
      if (!schema) return refuse(400, `${op.operationId} takes no request body`)
      if (!/^application\/json/.test(String(req.headers['content-type'] ?? ''))) return refuse(415, `content-type ${JSON.stringify(req.headers['content-type'])} is not JSON`)
      try {
        body = JSON.parse(text) as Json
      } catch {
        return refuse(400, 'the body is not JSON')
      }
      const v = validator(`${op.operationId} body`, schema, true)
      if (!v(body)) return refuse(422, `body: ${problems(v)}`)
    } else if (op.requestBody?.required) return refuse(400, `${op.operationId} needs a request body`)
    seen.body = body

    const faultAt = this.faults.findIndex((f) => (!f.operationId || f.operationId === op.operationId) && (!f.method || f.method === seen.method))
    let answer: Answer
    if (faultAt >= 0) {
      const fault = this.faults[faultAt]
      if (--fault.times! <= 0) this.faults.splice(faultAt, 1)
      answer = { status: fault.status, body: fault.body, headers: fault.headers }
    } else {
      answer = await this.handle({ operationId: op.operationId, method: seen.method, path: url.pathname, params, query, body, token, baseUrl: this.baseUrl })
    }
    const wrong = this.checkAnswer(op, answer)
    if (wrong) return refuse(500, `the fake's answer ${answer.status} is not the documented shape: ${wrong}`)
    send(answer)
  }

  /** Why an answer is not what the description documents for its status, or undefined. */
  private checkAnswer(op: Operation, answer: Answer): string | undefined {
    const { spec } = githubApiDescription()
    const documented = op.responses[String(answer.status)]
    // Rate limits, a missing permission and 5xx can answer any call; GitHub documents their body once, as basic-error.
    const response = documented
      ? (resolve(spec, documented) as { content?: Record<string, { schema?: unknown }> })
      : answer.status >= 400
        ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/basic-error' } } } }
        : undefined
    if (!response) return `${op.operationId} documents no ${answer.status} answer`
    const schema = response.content?.['application/json']?.schema
    if (!schema) return answer.body === undefined ? undefined : `${op.operationId} documents no body for ${answer.status}`
    const v = validator(`${op.operationId} answer ${documented ? answer.status : 'error'}`, schema, false)
    return v(answer.body) ? undefined : problems(v)
  }
}

/** One page of `items` as GitHub pages lists (per_page up to 100, default 30), with its Link header. */
export function page<T extends Json>(items: T[], request: Request): Answer {
  const perPage = Math.min(100, Number(request.query.per_page ?? 30))
  const pageNo = Number(request.query.page ?? 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number, rel: string) => `<${request.baseUrl}${request.path}?per_page=${perPage}&page=${n}>; rel="${rel}"`
  const links: string[] = []
  if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'))
  if (pageNo > 1) links.push(link(1, 'first'), link(pageNo - 1, 'prev'))
  return { status: 200, body: items.slice((pageNo - 1) * perPage, pageNo * perPage), headers: links.length ? { link: links.join(', ') } : {} }
}
