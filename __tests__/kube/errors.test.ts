// How API server refusals are explained. The Status bodies are the ones kube-apiserver sends; the
// integration tests meet most of them for real (RBAC, AlreadyExists), these also cover a cluster
// without KubeRay, which the shared test stack cannot be made into.
import { describe, expect, it } from '@jest/globals'
import { errorFromStatus, networkHint } from '../../src/kube/client.js'

const status = (code: number, reason: string, message: string, details?: object) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code, details })

describe('API server errors', () => {
  it('says KubeRay is not installed when ray.io/v1 rayjobs are not served', () => {
    const e = errorFromStatus('POST', '/apis/ray.io/v1/namespaces/ml/rayjobs', 404, status(404, 'NotFound', 'the server could not find the requested resource'))
    expect(e.message).toBe(
      'POST /apis/ray.io/v1/namespaces/ml/rayjobs failed: HTTP 404 NotFound: the server could not find the requested resource\nKubeRay is not installed in this cluster: the API server does not serve ray.io/v1 RayJobs. Install the KubeRay operator and its CRDs (helm install kuberay-operator kuberay/kuberay-operator).'
    )
  })

  it('says the namespace is missing', () => {
    const e = errorFromStatus('POST', '/apis/ray.io/v1/namespaces/nope/rayjobs', 404, status(404, 'NotFound', 'namespaces "nope" not found', { name: 'nope', kind: 'namespaces' }))
    expect(e.message).toContain('The namespace does not exist: create it, or set the namespace input to an existing one.')
  })

  it("shows the cluster CRD's own verdict on a strict dry run", () => {
    const e = errorFromStatus('POST', '/apis/ray.io/v1/namespaces/ml/rayjobs', 422, status(422, 'Invalid', 'RayJob.ray.io "x" is invalid: spec.backofLimit: field not declared in schema'))
    expect(e.message).toMatch(/HTTP 422 Invalid: RayJob\.ray\.io "x" is invalid: spec\.backofLimit: field not declared in schema\nThe cluster's own RayJob CRD rejected the manifest/)
  })

  it("explains a field the cluster's older CRD does not know (strict field validation)", () => {
    const e = errorFromStatus('POST', '/apis/ray.io/v1/namespaces/ml/rayjobs', 400, status(400, 'BadRequest', 'strict decoding error: unknown field "spec.rayClusterSpec.tlsOptions"'))
    expect(e.message).toContain('the cluster runs an older KubeRay than the kuberay-version the lint used. Set kuberay-version to the cluster')
  })

  it('points at the Role on 403 and at the credentials on 401', () => {
    expect(errorFromStatus('GET', '/x', 403, status(403, 'Forbidden', 'rayjobs.ray.io "a" is forbidden')).message).toContain('grant it in the Role bound to this identity')
    expect(errorFromStatus('GET', '/x', 401, status(401, 'Unauthorized', 'Unauthorized')).message).toContain('wrong or expired')
  })

  it('tells an untrusted certificate from a server out of reach', () => {
    expect(networkHint('SELF_SIGNED_CERT_IN_CHAIN self-signed certificate in certificate chain')).toMatch(/^The API server's TLS certificate is not trusted/)
    expect(networkHint('UNABLE_TO_VERIFY_LEAF_SIGNATURE unable to verify the first certificate')).toMatch(/certificate-authority-data/)
    expect(networkHint('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:6443')).toBe("Check the kubeconfig's server address and that the runner can reach it.")
  })

  it('keeps a body that is not a Status', () => {
    expect(errorFromStatus('GET', '/x', 502, '<html>Bad Gateway</html>').message).toBe('GET /x failed: HTTP 502: <html>Bad Gateway</html>\nThe API server is overloaded or failing; try again later.')
  })
})
