import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { describePermission } from '../../src/kube/client.js'
import { permissionsNeeded } from '../../src/submit/create.js'

describe('the permissions submit checks before creating anything', () => {
  it('are exactly what the README Role grants, by default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const role = parse(/<!-- least-privilege-role -->\s*```yaml\n([\s\S]*?)```/.exec(readme)![1]) as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] }
    const granted = role.rules.flatMap((r) => r.resources.flatMap((resource) => r.verbs.map((verb) => `${verb} ${resource}${r.apiGroups[0] ? ` (${r.apiGroups[0]})` : ''}`)))
    expect(permissionsNeeded({ onTimeout: 'stop', onCancel: 'stop' }).map(describePermission).sort()).toEqual(granted.sort())
  })

  it('leave out the service proxy with dashboard-url, and delete when nothing is ever stopped', () => {
    const needed = permissionsNeeded({ dashboardUrl: 'http://ray:8265', onTimeout: 'keep', onCancel: 'keep' }).map(describePermission)
    expect(needed).toEqual(['get rayjobs (ray.io)', 'create rayjobs (ray.io)', 'watch rayjobs (ray.io)'])
  })

  it('add update on services/proxy for working-directory (the package goes up with PUT), unless dashboard-url is given', () => {
    expect(permissionsNeeded({ onTimeout: 'keep', onCancel: 'keep', workingDirectory: '/ws/app' }).map(describePermission)).toContain('update services/proxy')
    expect(permissionsNeeded({ onTimeout: 'keep', onCancel: 'keep' }).map(describePermission)).not.toContain('update services/proxy')
    expect(permissionsNeeded({ dashboardUrl: 'http://ray:8265', onTimeout: 'keep', onCancel: 'keep', workingDirectory: '/ws/app' }).map(describePermission)).not.toContain('update services/proxy')
  })
})
