// What a windows-latest runner hands the action: backslashes, drive letters, ';' between KUBECONFIG
// files. The path-handling functions take the platform's path module, so these run everywhere;
// the CI matrix runs the bundled lint on a real Windows runner too.
import { describe, expect, it } from '@jest/globals'
import { win32 } from 'node:path'
import { kubeconfigFiles } from '../src/kube/config.js'
import { isInside, toPosix } from '../src/workspace/discover.js'
import { sarifUri } from '../src/report/sarif.js'
import { resolveSarifTarget } from '../src/report/sarif-file.js'

const roots = { workspace: 'D:\\a\\repo\\repo', runnerTemp: 'D:\\a\\_temp' }

describe('on a Windows runner', () => {
  it('writes sarif-file inside the workspace or RUNNER_TEMP, given with either slash', () => {
    expect(resolveSarifTarget('reports\\rayjob.sarif', roots, win32)).toEqual({ root: 'D:\\a\\repo\\repo', path: 'D:\\a\\repo\\repo\\reports\\rayjob.sarif' })
    expect(resolveSarifTarget('reports/rayjob.sarif', roots, win32)).toEqual({ root: 'D:\\a\\repo\\repo', path: 'D:\\a\\repo\\repo\\reports\\rayjob.sarif' })
    expect(resolveSarifTarget('D:\\a\\_temp\\lint.sarif', roots, win32)).toEqual({ root: 'D:\\a\\_temp', path: 'D:\\a\\_temp\\lint.sarif' })
  })

  it('refuses sarif-file on another drive, above the workspace, or naming the workspace itself', () => {
    expect(resolveSarifTarget('C:\\Windows\\lint.sarif', roots, win32)).toEqual({ error: expect.stringContaining('"C:\\Windows\\lint.sarif" is outside the workspace (D:\\a\\repo\\repo) or RUNNER_TEMP (D:\\a\\_temp)') })
    expect(resolveSarifTarget('..\\lint.sarif', roots, win32)).toEqual({ error: expect.stringContaining('has a ".." segment') })
    expect(resolveSarifTarget('D:\\a\\repo\\repo', roots, win32)).toEqual({ error: expect.stringContaining('names a directory, not a file') })
  })

  it('keeps globs inside the workspace, whatever the case of the drive letter', () => {
    expect(isInside('D:\\a\\repo\\repo', 'd:\\a\\repo\\repo\\jobs\\train.yaml', win32)).toBe(true)
    expect(isInside('D:\\a\\repo\\repo', 'D:\\a\\repo\\other\\train.yaml', win32)).toBe(false)
    expect(isInside('D:\\a\\repo\\repo', 'E:\\repo\\train.yaml', win32)).toBe(false)
  })

  it('shows file paths with / in findings and SARIF', () => {
    expect(toPosix('jobs\\nightly\\train.yaml', win32.sep)).toBe('jobs/nightly/train.yaml')
    expect(sarifUri('jobs\\nightly run\\train.yaml', win32.sep)).toBe('jobs/nightly%20run/train.yaml')
  })

  it("splits KUBECONFIG on ';', not on the drive letter's ':'", () => {
    expect(kubeconfigFiles('C:\\Users\\runner\\.kube\\config;D:\\a\\_temp\\kubeconfig', win32.delimiter)).toEqual(['C:\\Users\\runner\\.kube\\config', 'D:\\a\\_temp\\kubeconfig'])
    expect(kubeconfigFiles('/home/runner/.kube/config:/tmp/kubeconfig', ':')).toEqual(['/home/runner/.kube/config', '/tmp/kubeconfig'])
  })
})
