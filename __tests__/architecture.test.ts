// The layout is the architecture: each folder of src/ may import only the folders listed for it
// below (the README's "Layout" draws the same arrows), and no file imports itself back through
// others, not even for a type. A new import that breaks either fails here, naming the file.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SRC = join(ROOT, 'src')

/** Who may import whom. A file directly in src/ is its own unit, named after the file. */
const ALLOWED: Record<string, readonly string[]> = {
  // the pure core
  manifest: [],
  yaml: ['manifest'],
  lint: ['manifest', 'yaml'],
  report: ['lint', 'manifest'],
  // the edge: clients of the two servers, and the runner
  clients: [],
  kube: ['clients', 'manifest', 'yaml'],
  dashboard: ['clients'],
  runner: ['report'],
  // GitHub's API (check runs, reviews, comments): loaded only when a report other than annotations asks for it
  github: ['clients', 'lint', 'manifest', 'report'],
  // the workspace's files, the inputs, and the settings read from them
  workspace: [],
  action: ['lint'],
  version: [],
  settings: ['action', 'gate', 'lint', 'workspace'],
  // jobs 2 and 3
  gate: ['clients', 'dashboard', 'kube', 'manifest', 'runner'],
  submit: ['clients', 'dashboard', 'gate', 'kube', 'lint', 'manifest', 'report', 'runner', 'settings', 'version', 'yaml'],
  // what each `command:` does, and the entry points
  commands: ['gate', 'github', 'lint', 'manifest', 'report', 'runner', 'settings', 'submit', 'version', 'workspace', 'yaml'],
  main: ['commands', 'kube', 'runner', 'settings', 'submit', 'version'],
  cli: ['commands', 'lint', 'report', 'settings', 'version', 'workspace'],
  bin: ['cli'],
  index: ['bin', 'main']
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

const unitOf = (file: string): string => relative(SRC, file).split('/')[0].replace(/\.ts$/, '')

/** Every relative import of a file (static, dynamic and type-only), as absolute .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => resolve(dirname(file), m[1]).replace(/\.js$/, '.ts'))
}

const files = sourceFiles(SRC)
const graph = new Map(files.map((f) => [f, importsOf(f).filter((target) => target.startsWith(SRC))]))

describe('the layout', () => {
  it('gives every folder and top-level file of src/ a place in the table', () => {
    expect([...new Set(files.map(unitOf))].filter((unit) => !(unit in ALLOWED))).toEqual([])
  })

  it('has arrows that point one way: each folder imports only what the table allows', () => {
    const wrong: string[] = []
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const from = unitOf(file)
        const to = unitOf(target)
        if (from !== to && !ALLOWED[from]?.includes(to)) wrong.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)} (${from} may import: ${ALLOWED[from]?.join(', ') || 'nothing'})`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('has no import cycle between files, not even type-only', () => {
    expect(cycles(graph).map((cycle) => cycle.map((f) => relative(SRC, f)).join(' -> '))).toEqual([])
  })

  it('allows no cycle between folders either', () => {
    const folderGraph = new Map(Object.entries(ALLOWED).map(([unit, to]) => [unit, [...to]]))
    expect(cycles(folderGraph)).toEqual([])
  })
})

/** The strongly connected components with more than one member (Tarjan), or a node importing itself. */
function cycles(edges: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string): void => {
    index.set(node, next)
    low.set(node, next++)
    stack.push(node)
    onStack.add(node)
    for (const target of edges.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target)
        low.set(node, Math.min(low.get(node)!, low.get(target)!))
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!))
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1 || edges.get(node)?.includes(node)) found.push(component.sort())
    }
  }
  for (const node of edges.keys()) if (!index.has(node)) visit(node)
  return found
}
