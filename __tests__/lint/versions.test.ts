// The KubeRay release and feature gates a lint runs against: what --kuberay-version and
// --feature-gates accept, and the gate defaults of each release.
import { describe, expect, test } from '@jest/globals'
import { renderMessage } from '../../src/lint/validate.js'
import { KUBERAY_RULES } from '../../src/lint/rules/registry.js'
import { crdReleaseFor, defaultFeatureGates, parseFeatureGates, parseKubeRayVersion } from '../../src/lint/versions.js'

describe('parseKubeRayVersion', () => {
  test.each([
    ['1.7.0', '1.7.0'],
    ['v1.6.2', '1.6.2'],
    ['1.5', '1.5.2'],
    [' 1.1.1 ', '1.1.1'],
    ['1.0.0', undefined],
    ['1.8.0', undefined],
    ['latest', undefined]
  ])('%j → %j', (input, release) => {
    expect(parseKubeRayVersion(input)).toBe(release)
  })

  test('a patch release uses the CRD of the last patch of its minor', () => {
    expect(crdReleaseFor('1.5.0')).toBe('1.5.2')
    expect(crdReleaseFor('1.7.0')).toBe('1.7.0')
  })
})

describe('feature gates', () => {
  test('RayJobDeletionPolicy is off by default up to 1.5.x and on since 1.6.0', () => {
    expect(defaultFeatureGates('1.5.2').RayJobDeletionPolicy).toBe(false)
    expect(defaultFeatureGates('1.6.0').RayJobDeletionPolicy).toBe(true)
  })

  test('a release knows only its own gates', () => {
    expect(Object.keys(defaultFeatureGates('1.2.0'))).toEqual(['RayClusterStatusConditions'])
    expect(defaultFeatureGates('1.7.0')).not.toHaveProperty('AsyncJobInfoQuery')
    expect(defaultFeatureGates('1.6.2')).toHaveProperty('AsyncJobInfoQuery', false)
  })

  test('--feature-gates overrides the defaults and refuses what the release does not know', () => {
    const { gates, errors } = parseFeatureGates('RayClusterMTLS=true, RayJobDeletionPolicy=false', '1.7.0')
    expect(errors).toEqual([])
    expect(gates).toMatchObject({ RayClusterMTLS: true, RayJobDeletionPolicy: false, RayMultiHostIndexing: true })
    expect(parseFeatureGates('RayClusterMTLS=yes,Nope=true', '1.6.2').errors).toEqual([
      'feature gate "RayClusterMTLS=yes" is not of the form Name=true or Name=false',
      'KubeRay 1.6.2 has no feature gate "Nope" (it knows: RayClusterStatusConditions, RayJobDeletionPolicy, RayMultiHostIndexing, RayServiceIncrementalUpgrade, RayCronJob, AsyncJobInfoQuery)'
    ])
  })
})

describe("KubeRay's error prefixes came in 1.5.0", () => {
  const rule = (id: string) => KUBERAY_RULES.find((r) => r.id === id)!

  test.each([
    ['backoff-limit-negative', '1.4.2', 'backoffLimit must be a positive integer'],
    ['backoff-limit-negative', '1.5.0', 'The RayJob spec is invalid: backoffLimit must be a positive integer'],
    ['name-too-long', '1.4.0', 'RayJob name should be no more than 47 characters'],
    ['name-too-long', '1.5.1', 'The RayJob metadata is invalid: RayJob name should be no more than 47 characters'],
    ['head-no-containers', '1.4.2', 'headGroupSpec should have at least one container'],
    ['head-no-containers', '1.7.0', 'The RayJob spec is invalid: headGroupSpec should have at least one container'],
    ['selector-with-sidecar-mode', '1.7.0', 'ClusterSelector is not supported in SidecarMode']
  ])('%s in %s: %s', (id, version, message) => {
    expect(renderMessage(rule(id), undefined, version as '1.7.0')).toBe(message)
  })
})
