// The test server is only as good as its checks: requests that GitHub's API description does not
// allow are refused and recorded, conforming ones pass, and an answer of the fake that is not the
// documented shape is caught too.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { OpenApiServer } from './openapi-server.js'
import { FakeGitHub, HEAD_SHA, OWNER, REPO } from './fake-github.js'

let gh: FakeGitHub
beforeAll(async () => {
  gh = await FakeGitHub.start()
})
afterAll(() => gh.server.close())
beforeEach(() => gh.reset())

const send = (method: string, path: string, body?: unknown, token = 'write-token') =>
  fetch(`${gh.server.baseUrl}${path}`, {
    method,
    headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
const checkRun = (over: Record<string, unknown> = {}) => ({ name: 'lint', head_sha: HEAD_SHA, output: { title: 't', summary: 's', annotations: [] }, ...over })
const annotation = { path: 'a.yaml', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'm' }

describe('the OpenAPI checks on requests', () => {
  it('passes a conforming request, and answers it with the documented shape', async () => {
    const res = await send('POST', `/repos/${OWNER}/${REPO}/check-runs`, checkRun({ output: { title: 't', summary: 's', annotations: [annotation] } }))
    expect(res.status).toBe(201)
    expect(((await res.json()) as { html_url: string }).html_url).toMatch(/\/runs\/\d+$/)
    expect(gh.server.violations).toEqual([])
    expect(gh.server.seen('checks/create')).toHaveLength(1)
  })

  it.each([
    ['a path no operation has', 'POST', `/repos/${OWNER}/${REPO}/check-run`, checkRun(), 'no operation of the API description has this method and path'],
    ['a method the path does not take', 'DELETE', `/repos/${OWNER}/${REPO}/check-runs`, undefined, 'no operation of the API description has this method and path'],
    ['a body property the schema does not name', 'POST', `/repos/${OWNER}/${REPO}/check-runs`, checkRun({ head_commit: 'x' }), 'must NOT have additional properties (head_commit)'],
    ['a required property missing', 'POST', `/repos/${OWNER}/${REPO}/check-runs`, { name: 'lint' }, "must have required property 'head_sha'"],
    ['a value outside its enum', 'POST', `/repos/${OWNER}/${REPO}/check-runs`, checkRun({ conclusion: 'passed' }), 'must be equal to one of the allowed values'],
    ['more than 50 annotations in one request', 'POST', `/repos/${OWNER}/${REPO}/check-runs`, checkRun({ output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) } }), 'must NOT have more than 50 items'],
    ['an annotation without its level', 'POST', `/repos/${OWNER}/${REPO}/check-runs`, checkRun({ output: { title: 't', summary: 's', annotations: [{ ...annotation, annotation_level: undefined }] } }), "must have required property 'annotation_level'"],
    ['a path parameter of the wrong type', 'PATCH', `/repos/${OWNER}/${REPO}/check-runs/latest`, { status: 'completed' }, 'path parameter check_run_id="latest"'],
    ['a query parameter the operation does not take', 'GET', `/repos/${OWNER}/${REPO}/pulls/42/files?per_page=100&state=open`, undefined, 'query parameter state is not one pulls/list-files takes'],
    ['a body on an operation that takes none', 'DELETE', `/repos/${OWNER}/${REPO}/issues/comments/1`, { x: 1 }, 'takes no request body']
  ])('refuses %s', async (_, method, path, body, problem) => {
    const res = await send(method, path, body)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(gh.server.violations).toHaveLength(1)
    expect(gh.server.violations[0]).toContain(problem)
  })

  it('refuses a request without a token', async () => {
    const res = await fetch(`${gh.server.baseUrl}/repos/${OWNER}/${REPO}/pulls/42/files`, { headers: { accept: 'application/json' } })
    expect(res.status).toBe(401)
    expect(gh.server.violations[0]).toContain('no token')
  })

  it("catches an answer of the fake that is not the documented shape (the fake's answers are checked too)", async () => {
    const wrong = await OpenApiServer.start(() => ({ status: 201, body: { id: 'not a number' } }))
    try {
      const res = await fetch(`${wrong.baseUrl}/repos/${OWNER}/${REPO}/check-runs`, { method: 'POST', headers: { authorization: 'token t', accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(checkRun()) })
      expect(res.status).toBe(500)
      expect(wrong.violations[0]).toContain("the fake's answer 201 is not the documented shape")
    } finally {
      await wrong.close()
    }
  })

  it('pages a list as GitHub does (Link: rel="next"), up to 100 a page', async () => {
    gh.files = Array.from({ length: 250 }, (_, i) => ({ filename: `f${i}.yaml`, patch: '@@ -1 +1 @@\n-a\n+b' }))
    const first = await send('GET', `/repos/${OWNER}/${REPO}/pulls/42/files?per_page=100`)
    expect(((await first.json()) as unknown[]).length).toBe(100)
    expect(first.headers.get('link')).toContain('page=2>; rel="next"')
    const last = await send('GET', `/repos/${OWNER}/${REPO}/pulls/42/files?per_page=100&page=3`)
    expect(((await last.json()) as unknown[]).length).toBe(50)
    expect(last.headers.get('link')).not.toContain('rel="next"')
    expect(gh.server.violations).toEqual([])
  })
})
